"""Tests for drift/richtext.py over rich_text shapes as Slack sends them (slack-platform.md §11)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest

from rendering.richtext import rich_text_to_html
from tests.rendering.names import NoNames

ALLOWED_TAGS = {"p", "br", "strong", "em", "s", "u", "code", "pre", "blockquote", "ul", "ol", "li"}
SAFE_HREF_PREFIXES = ("http://", "https://", "mailto:")


class _SafeHtmlChecker(HTMLParser):
    """Fails on any tag, attribute or nesting the converters must never produce."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open_tags: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self.open_tags[-1] if self.open_tags else ""
        if tag == "a":
            hrefs = [value or "" for name, value in attrs if name == "href"]
            if len(attrs) != 1 or not hrefs or not hrefs[0].lower().startswith(SAFE_HREF_PREFIXES):
                self.problems.append(f"unsafe anchor {attrs}")
        elif tag == "ol":
            if any(name != "start" or not (value or "").isdigit() for name, value in attrs):
                self.problems.append(f"bad ol attributes {attrs}")
        elif tag not in ALLOWED_TAGS or attrs:
            self.problems.append(f"unexpected <{tag} {attrs}>")
        if tag == "li" and parent not in ("ul", "ol"):
            self.problems.append(f"<li> inside <{parent}>")
        if parent in ("ul", "ol") and tag != "li":
            self.problems.append(f"<{tag}> directly inside <{parent}>")
        if tag in ("p", "ul", "ol", "pre", "blockquote") and "p" in self.open_tags:
            self.problems.append(f"<{tag}> inside <p>")
        if tag != "br":
            self.open_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open_tags or self.open_tags[-1] != tag:
            self.problems.append(f"</{tag}> does not close {self.open_tags[-1:]}")
        else:
            self.open_tags.pop()

    def handle_data(self, data: str) -> None:
        if self.open_tags and self.open_tags[-1] in ("ul", "ol"):
            self.problems.append(f"text {data!r} directly inside a list")

    def handle_comment(self, data: str) -> None:
        self.problems.append("comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("declaration")


def assert_safe_html(markup: str) -> None:
    """Only allowed tags, safe hrefs, proper nesting, no controls other than tab and newline."""
    checker = _SafeHtmlChecker()
    checker.feed(markup)
    checker.close()
    assert checker.problems == [], markup
    assert checker.open_tags == [], markup
    assert not any(ord(char) < 0x20 and char not in "\t\n" for char in markup), markup


@dataclass
class FakeNames:
    """A NameResolver with fixed answers; anything else is unknown."""

    users: dict[str, str] = field(
        default_factory=lambda: {"U024BE7LH": "Jane Doe", "U0G9QF9C6": "Bob <b>"}
    )
    channels: dict[str, str] = field(default_factory=lambda: {"C024BE91L": "sales"})
    groups: dict[str, str] = field(default_factory=lambda: {"S0614TZR7": "support-team"})

    def user_name(self, user_id: str) -> str | None:
        return self.users.get(user_id)

    def channel_name(self, channel_id: str) -> str | None:
        return self.channels.get(channel_id)

    def usergroup_name(self, group_id: str) -> str | None:
        return self.groups.get(group_id)


class BrokenNames:
    """A resolver that raises: the converter must still answer, with IDs."""

    def user_name(self, user_id: str) -> str | None:
        raise RuntimeError("boom")

    def channel_name(self, channel_id: str) -> str | None:
        raise RuntimeError("boom")

    def usergroup_name(self, group_id: str) -> str | None:
        raise RuntimeError("boom")


@pytest.fixture
def names() -> FakeNames:
    return FakeNames()


def section(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "rich_text_section", "elements": list(elements)}


def text(value: str, **style: bool) -> dict[str, Any]:
    return {"type": "text", "text": value, **({"style": style} if style else {})}


def bullet(indent: int, *items: str, style: str = "bullet", **extra: Any) -> dict[str, Any]:
    elements = [section(text(item)) for item in items]
    return {
        "type": "rich_text_list",
        "style": style,
        "indent": indent,
        **extra,
        "elements": elements,
    }


def block(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "rich_text", "block_id": "Xy1", "elements": list(elements)}


SECTION_CASES = [
    ("plain", [text("Hello there")], "Hello there"),
    ("bold", [text("big", bold=True)], "<strong>big</strong>"),
    ("italic", [text("it", italic=True)], "<em>it</em>"),
    ("strike", [text("gone", strike=True)], "<s>gone</s>"),
    ("code", [text("x = 1", code=True)], "<code>x = 1</code>"),
    ("underline", [text("u", underline=True)], "<u>u</u>"),
    (
        "bold italic strike code nest",
        [text("all", bold=True, italic=True, strike=True, code=True)],
        "<strong><em><s><code>all</code></s></em></strong>",
    ),
    ("style false is ignored", [text("x", bold=False)], "x"),
    (
        "code containing markup",
        [text("<b>*x*</b> & _y_", code=True)],
        "<code>&lt;b&gt;*x*&lt;/b&gt; &amp; _y_</code>",
    ),
    ("newlines become br", [text("one\ntwo\n\nthree")], "one<br>two<br><br>three"),
    ("a final newline is dropped", [text("line\n")], "line"),
    (
        "script is text",
        [text("<script>alert(1)</script>")],
        "&lt;script&gt;alert(1)&lt;/script&gt;",
    ),
    ("controls stripped", [text("a\x00b\x1bc\x7fd\te")], "abcd\te"),
    ("rtl", [text("مرحبا بالعالم שלום")], "مرحبا بالعالم שלום"),
    ("combining marks", [text("Zoë café n\u0303")], "Zoë café n\u0303"),
    (
        "link with label",
        [{"type": "link", "url": "https://acme.com/a?b=1&c=2", "text": "Acme | Docs"}],
        '<a href="https://acme.com/a?b=1&amp;c=2">Acme | Docs</a>',
    ),
    (
        "link without label",
        [{"type": "link", "url": "https://acme.com"}],
        '<a href="https://acme.com">https://acme.com</a>',
    ),
    (
        "styled link",
        [{"type": "link", "url": "https://acme.com", "text": "Acme", "style": {"bold": True}}],
        '<strong><a href="https://acme.com">Acme</a></strong>',
    ),
    (
        "mailto link",
        [{"type": "link", "url": "mailto:jane@acme.com", "text": "jane@acme.com"}],
        '<a href="mailto:jane@acme.com">jane@acme.com</a>',
    ),
    (
        "javascript link is text",
        [{"type": "link", "url": "javascript:alert(document.cookie)", "text": "win"}],
        "win (javascript:alert(document.cookie))",
    ),
    (
        "tab-split javascript link is text",
        [{"type": "link", "url": "java\tscript:alert(1)", "text": "x"}],
        "x (java\tscript:alert(1))",
    ),
    (
        "quote-breaking url stays inside the attribute",
        [{"type": "link", "url": 'https://x.com/"><script>', "text": "x"}],
        '<a href="https://x.com/&quot;&gt;&lt;script&gt;">x</a>',
    ),
    ("user mention", [{"type": "user", "user_id": "U024BE7LH"}], "@Jane Doe"),
    ("user name is escaped", [{"type": "user", "user_id": "U0G9QF9C6"}], "@Bob &lt;b&gt;"),
    ("unknown user shows the id", [{"type": "user", "user_id": "U999"}], "@U999"),
    ("channel", [{"type": "channel", "channel_id": "C024BE91L"}], "#sales"),
    ("unknown channel", [{"type": "channel", "channel_id": "C999"}], "#C999"),
    ("usergroup", [{"type": "usergroup", "usergroup_id": "S0614TZR7"}], "@support-team"),
    ("unknown usergroup", [{"type": "usergroup", "usergroup_id": "S999"}], "@S999"),
    ("here", [{"type": "broadcast", "range": "here"}], "@here"),
    ("channel broadcast", [{"type": "broadcast", "range": "channel"}], "@channel"),
    ("everyone", [{"type": "broadcast", "range": "everyone"}], "@everyone"),
    ("unknown broadcast", [{"type": "broadcast", "range": "<x>"}], ""),
    ("emoji from unicode", [{"type": "emoji", "name": "wave", "unicode": "1f44b"}], "👋"),
    (
        "emoji with tone in unicode",
        [{"type": "emoji", "name": "wave", "unicode": "1f44b-1f3fd", "skin_tone": 4}],
        "👋🏽",
    ),
    ("emoji with skin_tone only", [{"type": "emoji", "name": "thumbsup", "skin_tone": 6}], "👍🏿"),
    ("emoji by name", [{"type": "emoji", "name": "white_check_mark"}], "✅"),
    ("custom emoji", [{"type": "emoji", "name": "partyparrot"}], ":partyparrot:"),
    ("emoji bad unicode", [{"type": "emoji", "name": "fire", "unicode": "zz"}], "🔥"),
    (
        "date",
        [
            {
                "type": "date",
                "timestamp": 1392734382,
                "format": "{date_short} at {time}",
                "fallback": "Feb 18",
            }
        ],
        "18 Feb 2014 at 14:39 UTC",
    ),
    (
        "date fallback",
        [{"type": "date", "timestamp": "soon", "fallback": "<tomorrow>"}],
        "&lt;tomorrow&gt;",
    ),
    (
        "date with link",
        [{"type": "date", "timestamp": 1392734382, "format": "{date_num}", "url": "https://c.com"}],
        '<a href="https://c.com">2014-02-18</a>',
    ),
    ("team", [{"type": "team", "team_id": "T0G9PQBBK"}], "T0G9PQBBK"),
    ("color", [{"type": "color", "value": "#F405B3"}], "#F405B3"),
    ("unknown type with text", [{"type": "future_thing", "text": "<hi>"}], "&lt;hi&gt;"),
    ("unknown type without text", [{"type": "future_thing", "id": 3}], ""),
    (
        "mention styles",
        [{"type": "user", "user_id": "U024BE7LH", "style": {"bold": True}}],
        "<strong>@Jane Doe</strong>",
    ),
]


@pytest.mark.parametrize(
    ("elements", "expected"),
    [case[1:] for case in SECTION_CASES],
    ids=[case[0] for case in SECTION_CASES],
)
def test_section_elements(names: FakeNames, elements: list[dict[str, Any]], expected: str) -> None:
    html = rich_text_to_html(block(section(*elements)), names)
    assert html == (f"<p>{expected}</p>" if expected else "")
    assert_safe_html(html)


BLOCK_CASES = [
    (
        "paragraphs",
        [section(text("First")), section(text("Second"))],
        "<p>First</p><p>Second</p>",
    ),
    (
        "whitespace-only section is dropped",
        [section(text("\n")), section(text("x"))],
        "<p>x</p>",
    ),
    (
        "preformatted keeps newlines and markup as text",
        [{"type": "rich_text_preformatted", "elements": [text("if a < b:\n    *x* = `y`\n")]}],
        "<pre>if a &lt; b:\n    *x* = `y`\n</pre>",
    ),
    (
        "preformatted with a link; code style ignored",
        [
            {
                "type": "rich_text_preformatted",
                "elements": [text("see ", code=True), {"type": "link", "url": "https://a.co"}],
            }
        ],
        '<pre>see <a href="https://a.co">https://a.co</a></pre>',
    ),
    (
        "quote",
        [{"type": "rich_text_quote", "elements": [text("wise\nwords", italic=True)]}],
        "<blockquote><em>wise<br>words</em></blockquote>",
    ),
    (
        "bullet list",
        [bullet(0, "one", "two")],
        "<ul><li>one</li><li>two</li></ul>",
    ),
    (
        "ordered list",
        [bullet(0, "one", "two", style="ordered")],
        "<ol><li>one</li><li>two</li></ol>",
    ),
    (
        "nested list returns to the outer level",
        [bullet(0, "a", "b"), bullet(1, "b1", "b2"), bullet(0, "c")],
        "<ul><li>a</li><li>b<ul><li>b1</li><li>b2</li></ul></li><li>c</li></ul>",
    ),
    (
        "ordered list continues after a nested bullet list",
        [
            bullet(0, "one", style="ordered"),
            bullet(1, "detail"),
            bullet(0, "two", style="ordered", offset=1),
        ],
        "<ol><li>one<ul><li>detail</li></ul></li><li>two</li></ol>",
    ),
    (
        "indent jump and partial return",
        [bullet(0, "a"), bullet(2, "deep"), bullet(1, "mid"), bullet(0, "top")],
        "<ul><li>a<ul><li>deep</li></ul><ul><li>mid</li></ul></li><li>top</li></ul>",
    ),
    (
        "three levels closed at the end",
        [bullet(0, "a"), bullet(1, "b"), bullet(2, "c")],
        "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ul>",
    ),
    (
        "style change at the same indent starts a new list",
        [bullet(0, "dot"), bullet(0, "first", style="ordered")],
        "<ul><li>dot</li></ul><ol><li>first</li></ol>",
    ),
    (
        "list interrupted by text keeps its number",
        [
            bullet(0, "one", style="ordered"),
            section(text("aside")),
            bullet(0, "two", style="ordered", offset=1),
        ],
        '<ol><li>one</li></ol><p>aside</p><ol start="2"><li>two</li></ol>',
    ),
    (
        "list that starts indented",
        [bullet(1, "x")],
        "<ul><li>x</li></ul>",
    ),
    (
        "empty list is skipped",
        [
            {"type": "rich_text_list", "style": "bullet", "indent": 0, "elements": []},
            section(text("x")),
        ],
        "<p>x</p>",
    ),
    (
        "styled list item",
        [
            {
                "type": "rich_text_list",
                "style": "bullet",
                "indent": 0,
                "elements": [section(text("hot", bold=True), text(" take"))],
            }
        ],
        "<ul><li><strong>hot</strong> take</li></ul>",
    ),
    (
        "real message: intro, list, quote, code",
        [
            section(text("Hi "), {"type": "user", "user_id": "U024BE7LH"}, text(", steps:\n")),
            bullet(0, "install", style="ordered"),
            {"type": "rich_text_quote", "elements": [text("careful")]},
            {"type": "rich_text_preformatted", "elements": [text("make run")]},
        ],
        "<p>Hi @Jane Doe, steps:</p><ol><li>install</li></ol>"
        "<blockquote>careful</blockquote><pre>make run</pre>",
    ),
    (
        "stray leaf at block level",
        [text("loose")],
        "<p>loose</p>",
    ),
    (
        "section wrapping containers is not a paragraph",
        [section(bullet(0, "x"))],
        "<ul><li>x</li></ul>",
    ),
]


@pytest.mark.parametrize(
    ("elements", "expected"),
    [case[1:] for case in BLOCK_CASES],
    ids=[case[0] for case in BLOCK_CASES],
)
def test_blocks(names: FakeNames, elements: list[dict[str, Any]], expected: str) -> None:
    html = rich_text_to_html(block(*elements), names)
    assert html == expected
    assert_safe_html(html)


@pytest.mark.parametrize(
    "value",
    [
        {},
        {"type": "rich_text"},
        {"type": "rich_text", "elements": None},
        {"type": "rich_text", "elements": "nope"},
        {"type": "rich_text", "elements": [None, 3, "x", []]},
        {"type": "rich_text", "elements": [{"type": "rich_text_section", "elements": "x"}]},
        {
            "type": "rich_text",
            "elements": [section({"type": "text", "text": None, "style": "bold"})],
        },
        {
            "type": "rich_text",
            "elements": [section({"type": "user"}, {"type": "emoji"}, {"type": "date"})],
        },
        {
            "type": "rich_text",
            "elements": [{"type": "rich_text_list", "indent": "2", "elements": [None]}],
        },
    ],
)
def test_malformed_blocks_render_without_error(value: dict[str, Any], names: FakeNames) -> None:
    assert_safe_html(rich_text_to_html(value, names))


def test_numbers_are_shown_as_text(names: FakeNames) -> None:
    html = rich_text_to_html(block(section({"type": "text", "text": 42})), names)
    assert html == "<p>42</p>"


def test_broken_resolver_falls_back_to_ids() -> None:
    html = rich_text_to_html(
        block(
            section(
                {"type": "user", "user_id": "U1"},
                text(" "),
                {"type": "channel", "channel_id": "C1"},
                text(" "),
                {"type": "usergroup", "usergroup_id": "S1"},
            )
        ),
        BrokenNames(),
    )
    assert html == "<p>@U1 #C1 @S1</p>"


def test_no_names_shows_ids() -> None:
    html = rich_text_to_html(block(section({"type": "user", "user_id": "U024BE7LH"})), NoNames())
    assert html == "<p>@U024BE7LH</p>"


def test_deeply_nested_containers_are_cut_off(names: FakeNames) -> None:
    nested: dict[str, Any] = section(text("bottom"))
    for _ in range(50):
        nested = {"type": "rich_text_quote", "elements": [nested]}
    html = rich_text_to_html(block(nested), names)
    assert "bottom" not in html
    assert_safe_html(html)


_FUZZ_LEAVES = [
    text("<i>&amp;\x00"),
    text("x", bold=True, code=True),
    {"type": "link", "url": " javascript:alert(1)", "text": "<x>"},
    {"type": "link", "url": "https://ok.example/\"'<>", "style": {"italic": True}},
    {"type": "user", "user_id": "U024BE7LH"},
    {"type": "emoji", "name": "wave", "skin_tone": 9},
    {"type": "date", "timestamp": -1e30},
    {"type": "broadcast", "range": "here"},
    {"weird": True},
]


def _fuzz_element(rng: random.Random, depth: int) -> dict[str, Any]:
    if depth > 3 or rng.random() < 0.4:
        return dict(rng.choice(_FUZZ_LEAVES))
    kind = rng.choice(
        ["rich_text_section", "rich_text_list", "rich_text_quote", "rich_text_preformatted"]
    )
    element: dict[str, Any] = {
        "type": kind,
        "elements": [_fuzz_element(rng, depth + 1) for _ in range(rng.randint(0, 4))],
    }
    if kind == "rich_text_list":
        element.update(
            indent=rng.randint(-1, 4),
            style=rng.choice(["bullet", "ordered"]),
            offset=rng.randint(0, 3),
        )
    return element


@pytest.mark.parametrize("seed", range(200))
def test_random_structures_give_safe_well_formed_html(seed: int, names: FakeNames) -> None:
    rng = random.Random(seed)
    value = block(*(_fuzz_element(rng, 0) for _ in range(rng.randint(1, 8))))
    assert_safe_html(rich_text_to_html(value, names))
