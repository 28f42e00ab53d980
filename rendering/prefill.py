"""A Slack message → the modal's starting values. Pure functions, no I/O.

`message_to_rich_text` gives the rich_text block the rep edits: the message's own rich_text
blocks when it has them, else its other blocks' text or its mrkdwn `text`, plus attachments;
then one link per file on its own line (never inline images). `first_email` and
`split_command_text` find the contact's address; `rich_text_is_empty` and
`rich_text_plain_length` measure what the rep typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import deepcopy
from typing import Any

from rendering.emoji import emoji_text
from rendering.html import readable_date
from rendering.mrkdwn import mrkdwn_to_rich_text

Element = dict[str, Any]

EMAIL_PATTERN = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?![A-Za-z0-9-])"
)
_MAILTO_TOKEN = re.compile(r"<mailto:([^|>]+)(?:\|[^>]*)?>")
_TOKEN_PUNCTUATION = "<>()[]{},;:\"'"
_SEARCHED_KEYS = (
    *("pretext", "author_name", "title", "title_link", "text", "url", "value", "footer"),
    "fallback",
    *("elements", "fields", "blocks", "attachments"),
)
_LEAF_LENGTH_KEYS = {"link": "text", "team": "team_id", "color": "value", "date": "fallback"}
_MENTION_ID_KEYS = {"user": "user_id", "channel": "channel_id", "usergroup": "usergroup_id"}


def message_to_rich_text(message: dict[str, Any]) -> Element:
    """The modal's initial rich_text block; `{"type": "rich_text", "elements": []}` if empty.

    With rich_text blocks, attachments are left out unless they are shared messages: the others
    are link previews of URLs already in the text.
    """
    blocks = [block for block in _dicts(message.get("blocks")) if block.get("type") == "rich_text"]
    elements = [deepcopy(element) for block in blocks for element in _dicts(block.get("elements"))]
    attachments = _dicts(message.get("attachments"))
    if elements:
        shares = [item for item in attachments if item.get("is_msg_unfurl") or item.get("is_share")]
        text = _attachments_mrkdwn(shares)
    else:
        own_text = _blocks_mrkdwn(_dicts(message.get("blocks"))) or _string(message.get("text"))
        text = "\n".join(part for part in (own_text, _attachments_mrkdwn(attachments)) if part)
    elements += mrkdwn_to_rich_text(text)["elements"]
    links = _file_links(_dicts(message.get("files")))
    if links and elements and elements[-1].get("type") == "rich_text_section":
        last = elements[-1]
        elements[-1] = {**last, "elements": [*_dicts(last.get("elements")), _text("\n"), *links]}
    elif links:
        elements.append({"type": "rich_text_section", "elements": links})
    return {"type": "rich_text", "elements": elements}


def _attachments_mrkdwn(attachments: list[dict[str, Any]]) -> str:
    """Legacy attachments as mrkdwn, in the order Slack draws them: pretext, author, title (a
    link if it has one), text, blocks, fields, footer."""
    parts: list[str] = []
    for attachment in attachments:
        own = [_string(attachment.get("pretext"))]
        author, author_link = _string(attachment.get("author_name")), attachment.get("author_link")
        own.append(_labelled_link(author, _string(author_link), bold=False))
        title, title_link = _string(attachment.get("title")), _string(attachment.get("title_link"))
        own.append(_labelled_link(title, title_link, bold=True))
        own += [_string(attachment.get("text")), _blocks_mrkdwn(_dicts(attachment.get("blocks")))]
        for item in _dicts(attachment.get("fields")):
            label, value = _escape(_string(item.get("title"))), _string(item.get("value"))
            own.append(f"*{label}*\n{value}" if label else value)
        own.append(_escape(_string(attachment.get("footer"))))
        if not any(part.strip() for part in own):
            own.append(_escape(_string(attachment.get("fallback"))))
        parts += own
    return "\n".join(part for part in parts if part.strip())


def _labelled_link(label: str, url: str, *, bold: bool) -> str:
    """Plain `label` as mrkdwn: a link to `url` when there is one, else (optionally) bold."""
    if not label:
        return ""
    if url:
        return f"<{_escape(url).replace('|', '%7C')}|{_escape(label)}>"
    return f"*{_escape(label)}*" if bold else _escape(label)


def _blocks_mrkdwn(blocks: list[dict[str, Any]]) -> str:
    """Text of section, header and context blocks as mrkdwn; images and dividers are skipped."""
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header" and (header := _text_object(block.get("text"))):
            lines.append(f"*{header}*")
        elif kind == "section":
            lines.append(_text_object(block.get("text")))
            lines.extend(
                _text_object(section_field) for section_field in _as_list(block.get("fields"))
            )
        elif kind == "context":
            lines.append(" ".join(_text_object(item) for item in _dicts(block.get("elements"))))
    return "\n".join(line for line in lines if line.strip())


def _text_object(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    text = _string(value.get("text"))
    return text if value.get("type") == "mrkdwn" else _escape(text)


def _file_links(files: list[dict[str, Any]]) -> list[Element]:
    links: list[Element] = []
    for file in files:
        label = _string(file.get("title")) or _string(file.get("name"))
        url = _string(file.get("permalink")) or _string(file.get("url_private"))
        if not (label or url):
            continue
        links += [_text("\n")] if links else []
        links.append({"type": "link", "url": url, "text": label or url} if url else _text(label))
    return links


def first_email(message: dict[str, Any]) -> str:
    """The first email address in the message (text, blocks incl. mailto links, attachments)."""
    for text in _strings(message):
        match = EMAIL_PATTERN.search(text)
        if match:
            return match.group(0)
    return ""


def _strings(value: Any, depth: int = 0) -> Iterator[str]:
    """Every string under the searched keys, depth first, text before blocks and attachments."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list) and depth < 12:
        for item in value:
            yield from _strings(item, depth + 1)
    elif isinstance(value, dict) and depth < 12:
        for key in _SEARCHED_KEYS:
            yield from _strings(value.get(key), depth + 1)


def split_command_text(text: str) -> tuple[str, str]:
    """`/drift-open` text → (email, the rest). A leading address is taken out of the text;
    one further in is used as the email but left in place (it is part of a sentence)."""
    for number, match in enumerate(re.finditer(r"\S+", text)):
        token = _MAILTO_TOKEN.sub(r"\1", match.group(0)).strip(_TOKEN_PUNCTUATION)
        if EMAIL_PATTERN.fullmatch(token):
            if number:
                return token, text.strip()
            return token, text[match.end() :].strip()
    return "", text.strip()


def rich_text_is_empty(block: dict[str, Any]) -> bool:
    """True when the block shows nothing but whitespace."""
    return not any(_leaf_text(leaf).strip() for leaf in _leaves(block))


def rich_text_plain_length(block: dict[str, Any]) -> int:
    """How many characters Drift will show for the block: emoji and dates as they render
    (an unknown emoji as its `:name:`, a date in its format), mentions as their IDs."""
    return sum(len(_rendered_text(leaf)) for leaf in _leaves(block))


def _rendered_text(leaf: dict[str, Any]) -> str:
    kind = _string(leaf.get("type"))
    if kind == "emoji":
        tone = leaf.get("skin_tone")
        name, unicode = _string(leaf.get("name")), _string(leaf.get("unicode"))
        return emoji_text(name, unicode=unicode, skin_tone=tone if isinstance(tone, int) else None)
    if kind == "date":
        shown = readable_date(leaf.get("timestamp"), _string(leaf.get("format")))
        return shown if shown is not None else _leaf_text(leaf)
    return _leaf_text(leaf)


def _leaves(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 10:
        return
    for element in _dicts(value.get("elements") if isinstance(value, dict) else None):
        if "elements" in element:
            yield from _leaves(element, depth + 1)
        else:
            yield element


def _leaf_text(leaf: dict[str, Any]) -> str:
    kind = _string(leaf.get("type"))
    if kind == "emoji":
        return "•" if leaf.get("name") else ""
    if kind == "broadcast":
        return "@" + _string(leaf.get("range"))
    if kind in _MENTION_ID_KEYS:
        return "@" + _string(leaf.get(_MENTION_ID_KEYS[kind]))
    if kind in _LEAF_LENGTH_KEYS:
        return _string(leaf.get(_LEAF_LENGTH_KEYS[kind])) or _string(leaf.get("url"))
    return _string(leaf.get("text"))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(text: str) -> Element:
    return {"type": "text", "text": text}


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""
