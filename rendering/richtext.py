"""Slack `rich_text` block → Drift HTML: `rich_text_to_html(block, names)`.

Sections become `<p>` (newlines `<br>`), lists `<ul>`/`<ol>` nested by `indent`, preformatted
`<pre>`, quotes `<blockquote>`. Text styles nest as `<strong><em><s><u><code>`. Mentions use the
NameResolver and fall back to the ID. Dates are shown in UTC from the timestamp; the `fallback`
is used only when the timestamp is unusable, because it was written in the sender's time zone.
Every string is escaped; malformed input renders what it can and never raises.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from rendering.emoji import emoji_text
from rendering.html import NameResolver, escape, link_html, readable_date

logger = logging.getLogger(__name__)

_MAX_DEPTH = 8
_STYLE_TAGS = (("bold", "strong"), ("italic", "em"), ("strike", "s"), ("underline", "u"))
_BROADCASTS = {"here", "channel", "everyone"}


def rich_text_to_html(block: dict[str, Any], names: NameResolver) -> str:
    """Drift HTML for one rich_text block (e.g. the modal's `rich_text_value`)."""
    return render_blocks(elements_of(block), names, depth=0)


def elements_of(value: Any) -> list[dict[str, Any]]:
    elements = value.get("elements") if isinstance(value, dict) else None
    if not isinstance(elements, list):
        return []
    return [element for element in elements if isinstance(element, dict)]


def render_blocks(elements: list[dict[str, Any]], names: NameResolver, *, depth: int) -> str:
    if depth > _MAX_DEPTH:
        return ""
    parts: list[str] = []
    index = 0
    while index < len(elements):
        element = elements[index]
        kind = element.get("type")
        if kind == "rich_text_list":
            run_end = index
            while run_end < len(elements) and elements[run_end].get("type") == "rich_text_list":
                run_end += 1
            parts.append(_render_lists(elements[index:run_end], names, depth))
            index = run_end
            continue
        if kind == "rich_text_preformatted":
            parts.append(f"<pre>{render_inline(elements_of(element), names, pre=True)}</pre>")
        elif kind == "rich_text_quote":
            parts.append(f"<blockquote>{_render_container(element, names, depth)}</blockquote>")
        elif _has_containers(element):
            parts.append(render_blocks(elements_of(element), names, depth=depth + 1))
        else:
            content = _render_container(element, names, depth)
            if content.strip():
                parts.append(f"<p>{content}</p>")
        index += 1
    return "".join(parts)


def _render_lists(lists: list[dict[str, Any]], names: NameResolver, depth: int) -> str:
    """Consecutive rich_text_list blocks as properly nested lists.

    `open_lists` holds (indent, tag) of the lists still open, innermost last, each with an open
    `<li>`; a deeper indent nests inside that `<li>` however far it jumps.
    """
    parts: list[str] = []
    open_lists: list[tuple[int, str]] = []
    for block in lists:
        items = elements_of(block)
        if not items:
            continue
        raw_indent = block.get("indent")
        indent = raw_indent if isinstance(raw_indent, int) else 0
        tag = "ol" if block.get("style") == "ordered" else "ul"
        while open_lists and (
            open_lists[-1][0] > indent or (open_lists[-1][0] == indent and open_lists[-1][1] != tag)
        ):
            parts.append(f"</li></{open_lists.pop()[1]}>")
        if open_lists and open_lists[-1][0] == indent:
            parts.append("</li>")
        else:
            offset = block.get("offset")
            start = offset + 1 if tag == "ol" and isinstance(offset, int) and offset > 0 else 1
            parts.append(f'<ol start="{start}">' if start > 1 else f"<{tag}>")
            open_lists.append((indent, tag))
        parts.append("</li>".join(f"<li>{_render_container(item, names, depth)}" for item in items))
    parts.extend(f"</li></{tag}>" for _, tag in reversed(open_lists))
    return "".join(parts)


def _render_container(element: dict[str, Any], names: NameResolver, depth: int) -> str:
    """A section, quote or list item; a stray leaf element is rendered as itself."""
    children = elements_of(element)
    if "elements" not in element:
        return render_inline([element], names)
    if _has_containers(element):
        return render_blocks(children, names, depth=depth + 1)
    return render_inline(_without_final_newline(children), names)


def _has_containers(element: dict[str, Any]) -> bool:
    return any(str(child.get("type")).startswith("rich_text_") for child in elements_of(element))


def _without_final_newline(children: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if children and children[-1].get("type") == "text":
        text = _string(children[-1].get("text"))
        if text.endswith("\n"):
            return [*children[:-1], {**children[-1], "text": text[:-1]}]
    return children


def render_inline(elements: list[dict[str, Any]], names: NameResolver, *, pre: bool = False) -> str:
    return "".join(_render_leaf(element, names, pre=pre) for element in elements)


def _render_leaf(element: dict[str, Any], names: NameResolver, *, pre: bool) -> str:
    kind = element.get("type")
    if kind == "text":
        content = escape(_string(element.get("text")))
    elif kind == "link":
        url = _string(element.get("url"))
        content = link_html(url, _string(element.get("text")) or url)
    elif kind == "user":
        user_id = _string(element.get("user_id"))
        content = escape("@" + (_lookup(names.user_name, user_id) or user_id).lstrip("@"))
    elif kind == "channel":
        channel_id = _string(element.get("channel_id"))
        content = escape("#" + (_lookup(names.channel_name, channel_id) or channel_id).lstrip("#"))
    elif kind == "usergroup":
        group_id = _string(element.get("usergroup_id"))
        content = escape("@" + (_lookup(names.usergroup_name, group_id) or group_id).lstrip("@"))
    elif kind == "broadcast":
        broadcast = _string(element.get("range"))
        content = escape(f"@{broadcast}") if broadcast in _BROADCASTS else ""
    elif kind == "emoji":
        content = escape(_emoji(element))
    elif kind == "date":
        content = _date(element)
    elif kind == "team":
        content = escape(_string(element.get("team_id")))
    elif kind == "color":
        content = escape(_string(element.get("value")))
    else:
        content = escape(_string(element.get("text")))
    if not pre:
        content = content.replace("\n", "<br>")
    return _styled(content, element.get("style"), pre=pre)


def _styled(content: str, style: Any, *, pre: bool) -> str:
    if not content or not isinstance(style, dict):
        return content
    if style.get("code") is True and not pre:
        content = f"<code>{content}</code>"
    for key, tag in reversed(_STYLE_TAGS):
        if style.get(key) is True:
            content = f"<{tag}>{content}</{tag}>"
    return content


def _emoji(element: dict[str, Any]) -> str:
    skin_tone = element.get("skin_tone")
    return emoji_text(
        _string(element.get("name")),
        unicode=_string(element.get("unicode")),
        skin_tone=skin_tone if isinstance(skin_tone, int) else None,
    )


def _date(element: dict[str, Any]) -> str:
    text = readable_date(element.get("timestamp"), _string(element.get("format")))
    if text is None:
        text = _string(element.get("fallback")) or _string(element.get("timestamp"))
    url = _string(element.get("url"))
    return link_html(url, text) if url else escape(text)


def _lookup(resolve: Callable[[str], str | None], key: str) -> str | None:
    if not key:
        return None
    try:
        name = resolve(key)
    except Exception:
        logger.warning("Name lookup failed; showing the ID", exc_info=True)
        return None
    return name.strip() or None if isinstance(name, str) else None


def _string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""
