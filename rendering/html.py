"""HTML helpers for Drift message bodies: escaping, safe links, readable dates, the footer.

Everything that leaves this package as HTML goes through `escape` (HTML-escaped, C0 control
characters other than tab and newline removed) or `link_html` (anchors only for http, https and
mailto). `NameResolver` is how converters learn display names without doing I/O themselves.

Drift documents no limit on a message body, so there is no HTML cap here: the submission
handler limits the visible text (see `rendering.prefill.rich_text_plain_length`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_URL_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")

_CONVERSATION_PLACES = {
    "": "Slack",
    "directmessage": "a direct message",
    "privategroup": "a private conversation",
}

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DATE_TOKENS: dict[str, Callable[[datetime], str]] = {
    "date_num": lambda moment: f"{moment:%Y-%m-%d}",
    "date": lambda moment: f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}",
    "date_short": lambda moment: f"{moment.day} {_MONTHS[moment.month - 1][:3]} {moment.year}",
    "date_long": lambda moment: f"{_WEEKDAYS[moment.weekday()]}, {_DATE_TOKENS['date'](moment)}",
    "time": lambda moment: f"{moment:%H:%M} UTC",
    "time_secs": lambda moment: f"{moment:%H:%M:%S} UTC",
    "ago": lambda moment: f"{_DATE_TOKENS['date_short'](moment)} {moment:%H:%M} UTC",
}
_DATE_TOKENS.update(
    date_slash=_DATE_TOKENS["date_num"],
    date_pretty=_DATE_TOKENS["date"],
    date_short_pretty=_DATE_TOKENS["date_short"],
    date_long_pretty=_DATE_TOKENS["date_long"],
    date_long_full=_DATE_TOKENS["date_long"],
)
_DEFAULT_DATE_FORMAT = "{date_short} {time}"


class NameResolver(Protocol):
    """Display names for Slack IDs; each returns None when the name is unknown."""

    def user_name(self, user_id: str) -> str | None: ...

    def channel_name(self, channel_id: str) -> str | None: ...

    def usergroup_name(self, group_id: str) -> str | None: ...


def strip_controls(text: str) -> str:
    """`text` without C0 control characters (tab and newline kept) and DEL."""
    return _CONTROL_CHARS.sub("", text)


def escape(text: str) -> str:
    """`text` safe inside HTML text and quoted attributes (control characters removed)."""
    return html.escape(strip_controls(text), quote=True)


def safe_href(url: str) -> str | None:
    """The escaped href for an http, https or mailto URL; None for any other (or no) scheme.

    Browsers ignore tabs and newlines inside a URL and trim spaces and controls around it, so
    controls are removed (and inner spaces encoded) before the scheme is read: "java\\tscript:"
    and " javascript:" are refused.
    """
    cleaned = _URL_CONTROLS.sub("", url).strip().replace(" ", "%20")
    match = _SCHEME.match(cleaned)
    if match is None or match.group(1).lower() not in SAFE_SCHEMES:
        return None
    rest = cleaned[match.end() :]
    if match.group(1).lower() == "mailto":
        if not rest:
            return None
    elif not rest.startswith("//") or len(rest) == 2:
        return None
    return escape(cleaned)


def link_html(url: str, label: str | None = None) -> str:
    """An anchor when `url` is safe; otherwise the label and the URL as plain escaped text."""
    text = label if label and label.strip() else url
    href = safe_href(url)
    if href is not None:
        return f'<a href="{href}">{escape(text)}</a>'
    if text == url or not url.strip():
        return escape(text)
    return f"{escape(text)} ({escape(url)})"


def conversation_place(channel_name: str) -> str:
    """How to name where a message was: "#sales", "a direct message", "a group message"."""
    name = strip_controls(channel_name).strip().lstrip("#")
    if name in _CONVERSATION_PLACES:
        return _CONVERSATION_PLACES[name]
    if name.startswith("mpdm-"):
        return "a group message"
    return f"#{name}"


def conversation_body(
    message_html: str,
    *,
    channel_name: str,
    author_name: str,
    permalink: str | None,
    rep_name: str = "",
) -> str:
    """The Drift body: the message, then "From Slack: #channel — Author Name (view in Slack)".

    Without an author (`/drift-open` has no source message) the footer names the rep instead:
    "From Slack: #channel — /drift-open by Rep Name", or just "From Slack: #channel".
    The link is added only when the permalink is an http(s) URL.
    """
    footer = f"From Slack: {escape(conversation_place(channel_name))}"
    if author_name.strip():
        footer += f" — {escape(author_name.strip())}"
    elif rep_name.strip():
        footer += f" — /drift-open by {escape(rep_name.strip())}"
    href = safe_href(permalink) if permalink else None
    if href is not None and not href.lower().startswith("mailto:"):
        footer += f' (<a href="{href}">view in Slack</a>)'
    return f"{message_html}<p>{footer}</p>"


MAX_SOURCE_NAME_CHARS = 80
_SOURCE_LOOKALIKES = str.maketrans({"<": "‹", ">": "›", "&": "＆", '"': "”"})


def integration_source(channel_name: str, rep_name: str, *, label: str = "") -> str:
    """Plain text for Drift's conversation header: "Slack · #channel · Label · by Rep Name"
    (`label` is the channel's own, such as "Enterprise support").

    Markup is neutralised with look-alike characters rather than entities, so a display name
    like "<b>Rep</b>" can neither format the header nor show "&lt;b&gt;" to the agent."""
    parts = ["Slack", conversation_place(channel_name)] if channel_name.strip() else ["Slack"]
    tag = " ".join(strip_controls(label).split())[:MAX_SOURCE_NAME_CHARS]
    if tag:
        parts.append(tag)
    rep = strip_controls(rep_name).strip()[:MAX_SOURCE_NAME_CHARS]
    if rep:
        parts.append(f"by {rep}")
    text = " · ".join(parts).replace("\n", " ").replace("\t", " ")
    return text.translate(_SOURCE_LOOKALIKES)


def readable_date(timestamp: Any, date_format: str = "") -> str | None:
    """Slack's date tokens filled in from a Unix timestamp, in UTC; None if it is unusable."""
    try:
        moment = datetime.fromtimestamp(int(timestamp), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    pieces = (date_format or _DEFAULT_DATE_FORMAT).split("{")
    text = [pieces[0]]
    for piece in pieces[1:]:
        token, brace, rest = piece.partition("}")
        render = _DATE_TOKENS.get(token) if brace else None
        text.append(render(moment) + rest if render else "{" + piece)
    return "".join(text)
