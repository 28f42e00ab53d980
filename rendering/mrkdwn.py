"""Slack mrkdwn → a rich_text block, for the modal (Drift HTML is rendered from that block).

The text is split into blocks first (```` ``` ```` fences, `>` / `>>>` quotes, plain sections),
then each line is tokenised once, left to right: `<…>` constructs, `` `code` ``, `:emoji:` and
the style markers `*` `_` `~`. Markers count only at word boundaries and only when paired on
the same line; anything unpaired or unterminated stays literal text. Only `&amp; &lt; &gt;` are
decoded, once. In `<url|label>` the first `|` splits (Slack percent-encodes `|` inside URLs), so
a label may contain more pipes. `<!date^…|fallback>` keeps its fallback in the date element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rendering.html import strip_controls

Element = dict[str, Any]

_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_EMOJI = re.compile(r":([a-z0-9_+'-]{1,100}):(?::skin-tone-([2-6]):)?")
_NUMERIC_EMOJI = {"+1", "-1", "100", "1234"}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S")
# Slack's own templates link hosts without a scheme (`<example.com|Fred>`) and draw them as https.
_BARE_HOST = re.compile(r"(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,63}(?:[/?#]\S*)?")
_STYLE_NAMES = {"*": "bold", "_": "italic", "~": "strike"}
_BROADCASTS = {"here", "channel", "everyone"}
_MENTIONS = (("@", "user", "user_id"), ("#", "channel", "channel_id"))


@dataclass
class _Token:
    element: Element
    marker: str = ""
    opens: bool = False
    closes: bool = False
    paired: bool = False


def mrkdwn_to_rich_text(text: str) -> Element:
    """A rich_text block for `text`, usable as a rich_text_input's `initial_value`."""
    return _Parser().block(text)


def unescape(text: str) -> str:
    """Decode Slack's three entities once: `&amp;lt;` becomes `&lt;`, not `<`."""
    return _ENTITY.sub(lambda match: _ENTITIES[match.group(1)], text)


def split_blocks(text: str) -> list[tuple[str, str]]:
    """("pre" | "quote" | "section", raw text) in order; an unclosed fence is plain text."""
    blocks: list[tuple[str, str]] = []
    rest = text
    while (start := rest.find("```")) != -1 and (end := rest.find("```", start + 3)) != -1:
        blocks += _quotes_and_sections(rest[:start].removesuffix("\n"))
        blocks.append(("pre", rest[start + 3 : end].removeprefix("\n").removesuffix("\n")))
        rest = rest[end + 3 :].removeprefix("\n")
    return blocks + _quotes_and_sections(rest)


def _quotes_and_sections(text: str) -> list[tuple[str, str]]:
    blocks: list[tuple[str, str]] = []
    lines = text.split("\n") if text else []
    for number, line in enumerate(lines):
        kind, content = "section", line
        for marker in ("&gt;", ">"):
            if line.startswith(marker * 3):
                content = "\n".join([line[len(marker) * 3 :], *lines[number + 1 :]])
                return _joined([*blocks, ("quote", content.removeprefix(" "))])
            if line.startswith(marker):
                kind, content = "quote", line[len(marker) :].removeprefix(" ")
                break
        blocks.append((kind, content))
    return _joined(blocks)


def _joined(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    blocks: list[tuple[str, str]] = []
    for kind, content in lines:
        if blocks and blocks[-1][0] == kind:
            blocks[-1] = (kind, f"{blocks[-1][1]}\n{content}")
        else:
            blocks.append((kind, content))
    return blocks


class _Parser:
    """One conversion of a text into a rich_text block."""

    def block(self, text: str) -> Element:
        elements: list[Element] = []
        cleaned = strip_controls(str(text).replace("\r\n", "\n"))
        for kind, content in split_blocks(cleaned):
            children: list[Element] = []
            if kind == "pre":
                children = self.angles_only(content, {})
            else:
                for number, line in enumerate(content.split("\n")):
                    children += [_text("\n")] if number else []
                    children += _styled(self.tokens(line))
            children = _merge(children)
            if children:
                container = {"pre": "preformatted", "quote": "quote"}.get(kind, "section")
                elements.append({"type": f"rich_text_{container}", "elements": children})
        return {"type": "rich_text", "elements": elements}

    def tokens(self, line: str) -> list[_Token]:
        tokens: list[_Token] = []
        plain_start = index = 0
        while index < len(line):
            char, before = line[index], line[index - 1] if index else " "
            after = line[index + 1] if index + 1 < len(line) else " "
            found: list[_Token] = []
            end = index + 1
            if char == "<" and (angle := self.angle_at(line, index)):
                found, end = [_Token(angle[0])], angle[1]
            elif char == "`" and (close := line.find("`", index + 1)) > index + 1:
                code = self.angles_only(line[index + 1 : close], {"code": True})
                found, end = [_Token(element) for element in code], close + 1
            elif char == ":" and not before.isalnum() and (match := _emoji_at(line, index)):
                emoji: Element = {"type": "emoji", "name": match.group(1)}
                if match.group(2):
                    emoji["skin_tone"] = int(match.group(2))
                found, end = [_Token(emoji)], match.end()
            elif char in _STYLE_NAMES:
                opens = not before.isalnum() and not after.isspace() and after != char
                closes = not before.isspace() and not after.isalnum() and before != char
                if opens or closes:
                    found = [_Token(_text(char), char, opens, closes)]
            if found:
                if plain_start < index:
                    tokens.append(_Token(_text(unescape(line[plain_start:index]))))
                tokens += found
                plain_start = end
            index = end
        if plain_start < len(line):
            tokens.append(_Token(_text(unescape(line[plain_start:]))))
        return _paired(tokens)

    def angle_at(self, text: str, index: int) -> tuple[Element, int] | None:
        """The element for a `<…>` construct starting at `index`, and where it ends."""
        next_open = text.find("<", index + 1)
        end = text.find(">", index + 1, len(text) if next_open == -1 else next_open)
        if end == -1:
            return None
        element = self.angle_element(text[index + 1 : end])
        return (element, end + 1) if element is not None else None

    def angles_only(self, text: str, style: dict[str, bool]) -> list[Element]:
        """Code and preformatted text: `<…>` constructs still apply, markup does not."""
        elements: list[Element] = []
        start = index = 0
        while (index := text.find("<", index)) != -1:
            found = self.angle_at(text, index)
            if found is None:
                index += 1
                continue
            elements += [_text(unescape(text[start:index])), found[0]]
            start = index = found[1]
        elements.append(_text(unescape(text[start:])))
        return [{**element, "style": style} if style else element for element in elements]

    def angle_element(self, inner: str) -> Element | None:
        """`@U1|name`, `#C1|name`, `!here`, `!subteam^S1|@team`, `!date^…|fallback` or a link."""
        target, _, label = inner.partition("|")
        label = unescape(label)
        for sigil, kind, key in _MENTIONS:
            if target.startswith(sigil) and len(target) > 1:
                return {"type": kind, key: target[1:]}  # rich_text has no room for the label
        if target.startswith("!subteam^") and len(target) > 9:
            return {"type": "usergroup", "usergroup_id": target[9:]}
        if target.startswith("!") and target[1:] in _BROADCASTS:
            return {"type": "broadcast", "range": target[1:]}
        if target.startswith("!date^"):
            return _date_element(target.split("^"), label)
        if target.startswith("!"):
            return _text(label or target[1:])
        if _SCHEME.match(target):
            link = {"type": "link", "url": unescape(target)}
            return {**link, "text": label} if label else link
        if _BARE_HOST.fullmatch(target):
            link = {"type": "link", "url": "https://" + unescape(target)}
            return {**link, "text": label} if label else link
        return _text(label) if label else None


def _paired(tokens: list[_Token]) -> list[_Token]:
    """Mark the markers that open and close a style; the others stay plain text."""
    open_markers: list[int] = []
    open_by_marker: dict[str, list[int]] = {marker: [] for marker in _STYLE_NAMES}
    for index, token in enumerate(tokens):
        if not token.marker:
            continue
        openers = open_by_marker[token.marker]
        if token.closes and openers and openers[-1] != index - 1:
            opener = openers[-1]
            while open_markers and open_markers[-1] >= opener:
                open_by_marker[tokens[open_markers.pop()].marker].pop()
            tokens[opener].paired = token.paired = True
        elif token.opens:
            open_markers.append(index)
            openers.append(index)
    return tokens


def _styled(tokens: list[_Token]) -> list[Element]:
    active: dict[str, bool] = {}
    elements: list[Element] = []
    for token in tokens:
        if token.paired:
            name = _STYLE_NAMES[token.marker]
            if not active.pop(name, False):
                active[name] = True
            continue
        style = {**active, **token.element.get("style", {})}
        elements.append({**token.element, "style": style} if style else token.element)
    return elements


def _date_element(parts: list[str], fallback: str) -> Element | None:
    if len(parts) < 3 or not parts[1].lstrip("-").isdigit():
        return _text(fallback) if fallback else None
    element: Element = {"type": "date", "timestamp": int(parts[1]), "format": unescape(parts[2])}
    if len(parts) > 3 and parts[3]:
        element["url"] = unescape(parts[3])
    return {**element, "fallback": fallback} if fallback else element


def _emoji_at(line: str, index: int) -> re.Match[str] | None:
    match = _EMOJI.match(line, index)
    name = match.group(1) if match else ""
    return match if any(char.isalpha() for char in name) or name in _NUMERIC_EMOJI else None


def _text(text: str) -> Element:
    return {"type": "text", "text": text}


def _merge(elements: list[Element]) -> list[Element]:
    """Join neighbouring text elements that share a style; drop empty ones."""
    merged: list[Element] = []
    for element in elements:
        if element["type"] == "text" and not element["text"]:
            continue
        previous = merged[-1] if merged else {}
        same_style = previous.get("style") == element.get("style")
        if element["type"] == previous.get("type") == "text" and same_style:
            merged[-1] = {**previous, "text": previous["text"] + element["text"]}
        else:
            merged.append(element)
    return merged
