"""Keeping secrets out of the logs: a logging filter that redacts tokens wherever they appear.

`RedactingFilter` replaces the configured secret values (and their URL-encoded forms) and
anything shaped like a Slack token (`xoxb-…`, `xoxp-…`, `xapp-…`, …) or an HTTP bearer
credential with "[redacted]", in the message merged with its arguments (the record keeps the
redacted text as `msg` and no `args`), in exception and stack text, and in any other string
attribute a formatter might print (`extra=` fields). The traceback is redacted into
`record.exc_text`, which `logging.Formatter.format` prints instead of re-formatting
`exc_info`; a custom formatter must do the same (`record.exc_text or formatException(...)`).

Attach it to HANDLERS, not loggers: a filter on a logger only sees records logged on that very
logger, never those propagated up from child loggers (`slack_bolt.App`, `slack_sdk.web`,
`urllib3.connectionpool`, ...), whereas a handler's filters see every record it is about to
write. `install_redaction()` does that for the handlers present when it is called, so call it
right after logging is configured; handlers added later need `handler.addFilter(...)` too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 8

TOKEN_SHAPES = (
    r"\bxox[abepr](?:\.xox[abepr])?-[A-Za-z0-9-]+",
    r"\bxapp-[A-Za-z0-9-]+",
)
BEARER_SHAPE = re.compile(
    r"\b(Bearer)\s+(?!" + re.escape(REDACTED) + r")[^\s'\",;}\]]+", re.IGNORECASE
)
PLAIN_FORMATTER = logging.Formatter()


class RedactingFilter(logging.Filter):
    """Rewrites each record so that no secret value or token-shaped string reaches a handler."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        variants = {
            variant
            for secret in secrets
            if len(secret) >= MIN_SECRET_LENGTH
            for variant in (secret, quote(secret, safe=""), quote_plus(secret, safe=""))
        }
        longest_first = sorted(variants, key=len, reverse=True)
        alternatives = [re.escape(value) for value in longest_first] + list(TOKEN_SHAPES)
        self._pattern = re.compile("|".join(alternatives))

    def redact(self, text: str) -> str:
        """`text` with every secret and token-shaped string replaced by "[redacted]"."""
        text = BEARER_SHAPE.sub(rf"\1 {REDACTED}", text)
        return self._pattern.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(_message_of(record))
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = PLAIN_FORMATTER.formatException(record.exc_info)
        for name, value in list(vars(record).items()):
            if isinstance(value, str) and name != "msg":
                setattr(record, name, self.redact(value))
        return True


def install_redaction(
    secrets: Iterable[str], logger: logging.Logger | None = None
) -> RedactingFilter:
    """Attach one `RedactingFilter` to every handler of `logger` (default: the root logger)."""
    target = logger if logger is not None else logging.getLogger()
    if not target.handlers:
        raise ValueError(
            f"logger {target.name!r} has no handlers yet: configure logging before installing"
            " redaction, or records would bypass it"
        )
    redacting_filter = RedactingFilter(secrets)
    for handler in target.handlers:
        handler.addFilter(redacting_filter)
    return redacting_filter


def _message_of(record: logging.LogRecord) -> str:
    """The formatted message; if the arguments do not fit the format, both as plain text."""
    try:
        return record.getMessage()
    except Exception:
        return f"{record.msg!s} [unformattable log arguments: {record.args!r}]"
