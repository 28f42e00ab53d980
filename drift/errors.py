"""The DriftError hierarchy and the two functions that build it.

`error_from_response` turns a non-2xx HTTP response into a `DriftAPIError`; `error_from_exception`
turns a `requests` transport exception into a `DriftTransportError`. Every error says whether Drift
may have processed the request anyway (`ambiguous`) and offers a plain-words `user_message` for a
sales rep. `user_message` is plain text: escape it before putting it into Slack mrkdwn.
"""

from __future__ import annotations

import email.utils
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime

import requests
from urllib3.exceptions import ConnectTimeoutError, ProtocolError, ReadTimeoutError

_CHECK_DRIFT = "It may have gone through anyway, so check Drift before you try again."
_MAX_MESSAGE = 300
_MAX_BODY_TEXT = 2000
logger = logging.getLogger(__name__)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class DriftError(Exception):
    """Base class: anything that went wrong talking to Drift."""

    ambiguous_by_default = False
    what_happened = "Something went wrong while talking to Drift."
    advice = "Please try again in a minute."

    def __init__(self, message: str, *, ambiguous: bool | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.ambiguous = self.ambiguous_by_default if ambiguous is None else ambiguous

    @property
    def user_message(self) -> str:
        """What happened and what to do, in plain words for a sales rep."""
        return f"{self._what_happened()} {_CHECK_DRIFT if self.ambiguous else self._advice()}"

    def _what_happened(self) -> str:
        return self.what_happened

    def _advice(self) -> str:
        return self.advice


class DriftProtocolError(DriftError):
    """Drift answered, but not with the JSON shape we expect."""

    what_happened = "Drift sent back an answer this app could not read."
    advice = "Please tell your Slack admin."


class DriftTransportError(DriftError):
    """The HTTP exchange itself failed; no usable response arrived."""


class DriftConnectionError(DriftTransportError):
    """The request never reached Drift (refused, DNS failure, connect timeout, bad URL)."""

    what_happened = "Couldn't reach Drift, so nothing was sent."
    advice = "Try again in a minute; if it keeps happening, tell your Slack admin."


class DriftTimeoutError(DriftTransportError):
    """Drift accepted the request but did not answer in time."""

    ambiguous_by_default = True
    what_happened = "Drift took too long to answer."


class DriftDroppedError(DriftTransportError):
    """The connection broke after the request was sent (reset, closed, truncated answer)."""

    ambiguous_by_default = True
    what_happened = "The connection to Drift broke before it answered."


class DriftAPIError(DriftError):
    """Drift answered with a non-2xx status."""

    advice = "If this keeps happening, tell your Slack admin."

    def __init__(
        self,
        status_code: int,
        error_type: str | None,
        message: str,
        body: object = None,
        *,
        ambiguous: bool | None = None,
    ) -> None:
        super().__init__(message, ambiguous=ambiguous)
        self.status_code = status_code
        self.error_type = error_type
        self.body = body

    def __str__(self) -> str:
        kind = f" {self.error_type}" if self.error_type else ""
        return f"HTTP {self.status_code}{kind}: {self.message}"

    def _what_happened(self) -> str:
        return _sentence(f"Drift refused the request (HTTP {self.status_code}): {self.message}")


class DriftValidationError(DriftAPIError):
    """400: Drift says a field is missing or invalid."""

    advice = "Check the email address and the message, then try again."

    def _what_happened(self) -> str:
        return _sentence(f"Drift rejected the request as invalid: {self.message}")


class DriftAuthError(DriftAPIError):
    """401/403: the token is invalid, revoked, or lacks a scope."""

    def __init__(
        self,
        status_code: int,
        error_type: str | None,
        message: str,
        body: object = None,
        *,
        scope: str | None = None,
    ) -> None:
        super().__init__(status_code, error_type, message, body)
        self.scope = scope

    def __str__(self) -> str:
        return super().__str__() + (f" [needs scope {self.scope}]" if self.scope else "")

    def _advice(self) -> str:
        return (
            "Ask your Drift admin to check the app's scopes at dev.drift.com, reinstall it and "
            "put the new token in the bot's settings. Nothing was sent."
        )

    def _what_happened(self) -> str:
        lacks = f"the {self.scope} scope" if self.scope else "a scope it needs"
        return f"Drift rejected the app's access token, or the token lacks {lacks}."


class DriftNotFoundError(DriftAPIError):
    """404: the user, conversation or path does not exist."""

    advice = "Check that it still exists in Drift."

    def _what_happened(self) -> str:
        return _sentence(f"Drift could not find what was asked for: {self.message}")


class DriftRateLimitError(DriftAPIError):
    """429: too many calls; `retry_after` is Drift's hint in seconds, if it gave one."""

    what_happened = "Drift is limiting how fast this app can call it, so nothing was sent."

    def __init__(
        self,
        status_code: int,
        error_type: str | None,
        message: str,
        body: object = None,
        *,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(status_code, error_type, message, body)
        self.retry_after = retry_after

    def _advice(self) -> str:
        when = f"in {round(self.retry_after)} seconds" if self.retry_after else "in a minute"
        return f"Try again {when}."

    def _what_happened(self) -> str:
        return self.what_happened


class DriftServerError(DriftAPIError):
    """5xx: Drift (or a gateway in front of it) failed; ambiguous for anything but reads."""

    advice = "Please try again in a few minutes."

    def _what_happened(self) -> str:
        return f"Drift had a problem on its side (HTTP {self.status_code})."


def error_from_response(response: requests.Response, *, scope: str | None = None) -> DriftAPIError:
    """Map a non-2xx response to the matching DriftAPIError; `scope` names what the call needs."""
    text = _redact(response.text or "", _bearer_token(response))
    body: object = _parse_json(text)
    status = response.status_code
    if body is None:
        # An HTML error page from Drift or a proxy can name hosts, paths and tracebacks: the
        # detail goes to the log, the rep gets the status's name.
        body = text[:_MAX_BODY_TEXT]
        if text.strip():
            logger.warning("Drift answered HTTP %s with a non-JSON body: %.300r", status, text)
    error_type, message = _describe(body)
    if not message:
        reason = (response.reason or "").strip() or "no response body"
        message = f"{reason} (no details from Drift)" if text.strip() else reason
    args = (status, error_type, message, body)
    if status == 400:
        return DriftValidationError(*args)
    if status in (401, 403):
        return DriftAuthError(*args, scope=scope)
    if status == 404:
        return DriftNotFoundError(*args)
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return DriftRateLimitError(*args, retry_after=retry_after)
    if status >= 500:
        method = (response.request.method or "") if response.request is not None else ""
        return DriftServerError(*args, ambiguous=method.upper() not in _SAFE_METHODS)
    return DriftAPIError(*args)


def never_reached_drift(exc: BaseException) -> bool:
    """True when the exception chain proves no byte of the request was sent (safe to retry)."""
    chain = _exception_chain(exc)
    if any(isinstance(link, ReadTimeoutError | ProtocolError) for link in chain):
        return False
    return any(isinstance(link, requests.ConnectTimeout | ConnectTimeoutError) for link in chain)


def error_from_exception(exc: requests.RequestException) -> DriftTransportError:
    """Map a `requests` transport exception to the matching DriftTransportError."""
    detail = f"{type(exc).__name__}: {exc}"[:_MAX_MESSAGE]
    if never_reached_drift(exc) or isinstance(exc, _INVALID_REQUEST):
        return DriftConnectionError(detail)
    if isinstance(exc, requests.Timeout):
        return DriftTimeoutError(detail)
    return DriftDroppedError(detail)


def parse_retry_after(
    value: str | None, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if unusable."""
    if value is None or not value.strip():
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now()).total_seconds())


_INVALID_REQUEST = (
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
    requests.exceptions.InvalidHeader,
)


def _exception_chain(exc: BaseException) -> list[BaseException]:
    """Every exception reachable through causes, contexts, args and urllib3's `reason`."""
    seen: list[BaseException] = []
    pending: list[object] = [exc]
    while pending:
        item = pending.pop()
        if not isinstance(item, BaseException) or any(item is s for s in seen):
            continue
        seen.append(item)
        pending.extend((item.__cause__, item.__context__, getattr(item, "reason", None)))
        pending.extend(item.args)
    return seen


def _describe(body: object) -> tuple[str | None, str | None]:
    """(error type, message) from `{"error": {...}}`, `{"error": "..."}` or `{"errors": [...]}`."""
    if not isinstance(body, dict):
        return None, None
    error = body.get("error")
    if isinstance(error, dict):
        return _text(error.get("type")), _text(error.get("message"))
    if isinstance(error, str):
        return None, _text(error)
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        items = [item for item in errors if isinstance(item, dict)]
        messages = [m for m in (_text(item.get("message")) for item in items) if m]
        error_type = _text(items[0].get("type")) if items else None
        return error_type, "; ".join(messages)[:_MAX_MESSAGE] or None
    return None, _text(body.get("message"))


def _sentence(text: str) -> str:
    return text if text.rstrip().endswith((".", "!", "?")) else text.rstrip() + "."


def _text(value: object) -> str | None:
    return str(value)[:_MAX_MESSAGE] if value not in (None, "") else None


def _parse_json(text: str) -> object:
    try:
        return json.loads(text) if text.strip() else None
    except ValueError:
        return None


def _bearer_token(response: requests.Response) -> str | None:
    request = response.request
    header = request.headers.get("Authorization", "") if request is not None else ""
    return header[len("Bearer ") :] if header.startswith("Bearer ") else None


def _redact(text: str, secret: str | None) -> str:
    return text.replace(secret, "[redacted]") if secret and len(secret) >= 8 else text
