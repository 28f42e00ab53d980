"""Drift HTML → plain text (tags dropped, entities decoded) and → Slack mrkdwn (all escaped)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BREAKS = frozenset({"br", "p", "div", "li", "ul", "ol", "blockquote", "pre", "tr", "h1", "h2"})
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_MARKS = {"b": "*", "strong": "*", "i": "_", "em": "_"}


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def text(self) -> str:
        text = _SPACES.sub(" ", "".join(self.parts))
        lines = [line.strip() for line in text.split("\n")]
        return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skipping += 1
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


class _MrkdwnCollector(_TextCollector):
    """Text escaped for mrkdwn; bold and italic kept; a link shown as its label and its URL
    (Slack's `<url|label>` would let a customer dress any URL in any words)."""

    def __init__(self) -> None:
        super().__init__()
        self._href: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _MARKS:
            self.parts.append(_MARKS[tag])
        elif tag == "a":
            self._href.append(dict(attrs).get("href") or "")
        else:
            super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _MARKS:
            self.parts.append(_MARKS[tag])
        elif tag == "a":
            href = self._href.pop() if self._href else ""
            if _SAFE_URL.match(href):
                self.parts.append(f" (<{href.replace('&', '&amp;')}>)")
        else:
            super().handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        super().handle_data(mrkdwn_escape(data))


_SAFE_URL = re.compile(r"^(https?|mailto):[^\s<>|\"']+$", re.IGNORECASE)


def mrkdwn_escape(text: str) -> str:
    """The three characters Slack reads as markup, as entities: no mention, no forged link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def html_to_text(html: str) -> str:
    """The text of `html`, with one newline between blocks and runs of spaces collapsed."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return collector.text()


def html_to_mrkdwn(html: str) -> str:
    """Drift HTML as Slack mrkdwn: every character from Drift escaped, so `<!channel>`,
    `<@U123>` or `<https://evil|bank>` in a customer's message are shown, never acted on."""
    collector = _MrkdwnCollector()
    collector.feed(html)
    collector.close()
    return collector.text()


def preview(html: str, limit: int = 120) -> str:
    """The first `limit` characters of the text on one line, with "…" when cut."""
    text = " ".join(html_to_text(html).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
