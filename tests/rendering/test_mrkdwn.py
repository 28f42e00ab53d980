"""Tests for drift/mrkdwn.py: mrkdwn as bots and attachments send it (slack-platform.md §11)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rendering.mrkdwn import mrkdwn_to_rich_text, unescape
from rendering.richtext import rich_text_to_html
from tests.rendering.test_richtext import FakeNames, assert_safe_html

RICH_TEXT_KEYS = {
    "rich_text_section": {"type", "elements"},
    "rich_text_quote": {"type", "elements"},
    "rich_text_preformatted": {"type", "elements"},
    "text": {"type", "text", "style"},
    "link": {"type", "url", "text", "style"},
    "user": {"type", "user_id", "style"},
    "channel": {"type", "channel_id", "style"},
    "usergroup": {"type", "usergroup_id", "style"},
    "broadcast": {"type", "range", "style"},
    "emoji": {"type", "name", "skin_tone", "style"},
    "date": {"type", "timestamp", "format", "fallback", "url", "style"},
}
STYLE_KEYS = {"bold", "italic", "strike", "code"}


@pytest.fixture
def names() -> FakeNames:
    return FakeNames()


HTML_CASES = [
    ("plain", "Hello there", "<p>Hello there</p>"),
    ("empty", "", ""),
    ("entities decoded then escaped", "a &amp; b &lt;tag&gt;", "<p>a &amp; b &lt;tag&gt;</p>"),
    ("decoded only once", "&amp;lt;b&amp;gt;", "<p>&amp;lt;b&amp;gt;</p>"),
    (
        "other entities stay literal",
        "&quot; &#60; &nbsp;",
        "<p>&amp;quot; &amp;#60; &amp;nbsp;</p>",
    ),
    ("bold", "*big* deal", "<p><strong>big</strong> deal</p>"),
    ("italic", "so _very_ nice", "<p>so <em>very</em> nice</p>"),
    ("strike", "~old~ new", "<p><s>old</s> new</p>"),
    ("code", "run `make test` now", "<p>run <code>make test</code> now</p>"),
    ("nested styles", "*_both_*", "<p><strong><em>both</em></strong></p>"),
    ("styles in punctuation", "(*a*), _b_.", "<p>(<strong>a</strong>), <em>b</em>.</p>"),
    ("snake_case stays", "call snake_case_name now", "<p>call snake_case_name now</p>"),
    ("arithmetic stays", "2*3*4 = 24", "<p>2*3*4 = 24</p>"),
    ("spaced markers stay", "a * b * c", "<p>a * b * c</p>"),
    ("empty pair stays", "** and __", "<p>** and __</p>"),
    ("unterminated bold", "*bold forever", "<p>*bold forever</p>"),
    ("unterminated code", "`code forever", "<p>`code forever</p>"),
    ("unterminated pre", "```pre forever", "<p>```pre forever</p>"),
    ("unterminated link", "<https://x.com oops", "<p>&lt;https://x.com oops</p>"),
    ("styles do not cross lines", "*one\ntwo*", "<p>*one<br>two*</p>"),
    ("crossed markers", "*a _b* c_", "<p><strong>a _b</strong> c_</p>"),
    (
        "code keeps markup literal",
        "`*not bold* _x_ <b>`",
        "<p><code>*not bold* _x_ &lt;b&gt;</code></p>",
    ),
    (
        "code still shows links",
        "`<https://x.com>`",
        '<p><code><a href="https://x.com">https://x.com</a></code></p>',
    ),
    ("bare link", "<https://x.com>", '<p><a href="https://x.com">https://x.com</a></p>'),
    ("labelled link", "<https://x.com|X Co>", '<p><a href="https://x.com">X Co</a></p>'),
    (
        "first pipe splits, label keeps the rest",
        "<https://x.com/a|a | b | c>",
        '<p><a href="https://x.com/a">a | b | c</a></p>',
    ),
    (
        "entities in url and label",
        "<https://x.com/?a=1&amp;b=2|Q&amp;A &lt;3>",
        '<p><a href="https://x.com/?a=1&amp;b=2">Q&amp;A &lt;3</a></p>',
    ),
    (
        "styled link",
        "*<https://x.com|X>*",
        '<p><strong><a href="https://x.com">X</a></strong></p>',
    ),
    (
        "mailto",
        "<mailto:jane@acme.com|jane@acme.com>",
        '<p><a href="mailto:jane@acme.com">jane@acme.com</a></p>',
    ),
    (
        "a host without a scheme links as https, as Slack draws it",
        "<example.com|Fred Enriquez>",
        '<p><a href="https://example.com">Fred Enriquez</a></p>',
    ),
    (
        "a bare host with a path",
        "<docs.example.com/start?x=1>",
        '<p><a href="https://docs.example.com/start?x=1">https://docs.example.com/start?x=1</a></p>',
    ),
    ("a labelled target that is no link keeps its label", "<not a host|Fred>", "<p>Fred</p>"),
    (
        "javascript link becomes text",
        "<javascript:alert(1)|click me>",
        "<p>click me (javascript:alert(1))</p>",
    ),
    (
        "raw script tags are text",
        "<script>alert(1)</script>",
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    ),
    ("escaped script is text", "&lt;script&gt;", "<p>&lt;script&gt;</p>"),
    ("user", "hi <@U024BE7LH>", "<p>hi @Jane Doe</p>"),
    ("user with label, resolver wins", "<@U024BE7LH|jdoe>", "<p>@Jane Doe</p>"),
    ("unknown user shows its ID: rich_text keeps no label", "<@U999|someone>", "<p>@U999</p>"),
    ("unknown user without label", "<@W999>", "<p>@W999</p>"),
    ("channel", "<#C024BE91L>", "<p>#sales</p>"),
    ("unknown channel shows its ID", "<#C999|general>", "<p>#C999</p>"),
    ("usergroup", "<!subteam^S0614TZR7>", "<p>@support-team</p>"),
    ("unknown usergroup shows its ID", "<!subteam^S999|@ops>", "<p>@S999</p>"),
    ("here", "<!here> look", "<p>@here look</p>"),
    ("here with label", "<!here|@here>", "<p>@here</p>"),
    ("channel broadcast", "<!channel>", "<p>@channel</p>"),
    ("everyone", "<!everyone>", "<p>@everyone</p>"),
    ("date", "<!date^1392734382^{date_short}|Feb 18, 2014>", "<p>18 Feb 2014</p>"),
    (
        "date with link",
        "<!date^1392734382^{date_num}^https://x.com|fb>",
        '<p><a href="https://x.com">2014-02-18</a></p>',
    ),
    ("bad date keeps the fallback", "<!date^soon^{date}|Some day>", "<p>Some day</p>"),
    ("emoji", "hi :wave:", "<p>hi 👋</p>"),
    ("emoji skin tone", ":wave::skin-tone-3:", "<p>👋🏼</p>"),
    ("thumbs up", ":+1: :thumbsup:", "<p>👍 👍</p>"),
    ("custom emoji", ":custom-thing:", "<p>:custom-thing:</p>"),
    ("times are not emoji", "at 10:30:45", "<p>at 10:30:45</p>"),
    (
        "quote",
        "&gt; quoted *line*\nnot quoted",
        "<blockquote>quoted <strong>line</strong></blockquote><p>not quoted</p>",
    ),
    ("raw quote marker", "> typed", "<blockquote>typed</blockquote>"),
    ("multi-line quote", "&gt; one\n&gt; two", "<blockquote>one<br>two</blockquote>"),
    (
        "rest quoted",
        "intro\n&gt;&gt;&gt; all\nof this",
        "<p>intro</p><blockquote>all<br>of this</blockquote>",
    ),
    ("pre", "```code *x* _y_```", "<pre>code *x* _y_</pre>"),
    ("pre on own lines", "```\nline1\n  line2\n```", "<pre>line1\n  line2</pre>"),
    ("pre inline", "before ```mid``` after", "<p>before </p><pre>mid</pre><p> after</p>"),
    (
        "pre with entities and link",
        "text\n```if a &lt; b &amp;&amp; <https://y.z>```\nafter",
        '<p>text</p><pre>if a &lt; b &amp;&amp; <a href="https://y.z">https://y.z</a></pre><p>after</p>',
    ),
    ("newlines", "a\nb\n\nc", "<p>a<br>b<br><br>c</p>"),
    ("windows newlines", "a\r\nb", "<p>a<br>b</p>"),
    ("controls stripped", "a\x00b\x1b[31mc\x7f", "<p>ab[31mc</p>"),
    ("rtl bold", "*مرحبا* שלום", "<p><strong>مرحبا</strong> שלום</p>"),
    ("combining marks", "_cafe\u0301_", "<p><em>cafe\u0301</em></p>"),
    (
        "markdown is not mrkdwn",
        "**x** [t](https://u.co) # h",
        "<p>*<strong>x</strong>* [t](https://u.co) # h</p>",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [case[1:] for case in HTML_CASES], ids=[case[0] for case in HTML_CASES]
)
def test_mrkdwn_to_html(names: FakeNames, text: str, expected: str) -> None:
    """What Drift receives for typed mrkdwn: through the form's rich_text, as the product does."""
    html = rich_text_to_html(mrkdwn_to_rich_text(text), names)
    assert html == expected
    assert_safe_html(html)


RICH_TEXT_CASES = [
    ("", []),
    (
        "Hi *there* <@U1>",
        [
            {
                "type": "rich_text_section",
                "elements": [
                    {"type": "text", "text": "Hi "},
                    {"type": "text", "text": "there", "style": {"bold": True}},
                    {"type": "text", "text": " "},
                    {"type": "user", "user_id": "U1"},
                ],
            }
        ],
    ),
    (
        "_<#C1|general>_ :wave::skin-tone-2:",
        [
            {
                "type": "rich_text_section",
                "elements": [
                    {"type": "channel", "channel_id": "C1", "style": {"italic": True}},
                    {"type": "text", "text": " "},
                    {"type": "emoji", "name": "wave", "skin_tone": 2},
                ],
            }
        ],
    ),
    (
        "<https://x.com|a | b> <!subteam^S1|@team> <!here>",
        [
            {
                "type": "rich_text_section",
                "elements": [
                    {"type": "link", "url": "https://x.com", "text": "a | b"},
                    {"type": "text", "text": " "},
                    {"type": "usergroup", "usergroup_id": "S1"},
                    {"type": "text", "text": " "},
                    {"type": "broadcast", "range": "here"},
                ],
            }
        ],
    ),
    (
        "<!date^1392734382^{date_short} at {time}|Feb 18, 2014 at 6:39 AM PST>",
        [
            {
                "type": "rich_text_section",
                "elements": [
                    {
                        "type": "date",
                        "timestamp": 1392734382,
                        "format": "{date_short} at {time}",
                        "fallback": "Feb 18, 2014 at 6:39 AM PST",
                    }
                ],
            }
        ],
    ),
    (
        "&gt; q\n```a &lt; b```",
        [
            {"type": "rich_text_quote", "elements": [{"type": "text", "text": "q"}]},
            {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": "a < b"}]},
        ],
    ),
    (
        "`x` and `y`",
        [
            {
                "type": "rich_text_section",
                "elements": [
                    {"type": "text", "text": "x", "style": {"code": True}},
                    {"type": "text", "text": " and "},
                    {"type": "text", "text": "y", "style": {"code": True}},
                ],
            }
        ],
    ),
]


@pytest.mark.parametrize(("text", "elements"), RICH_TEXT_CASES)
def test_mrkdwn_to_rich_text(text: str, elements: list[dict[str, Any]]) -> None:
    assert mrkdwn_to_rich_text(text) == {"type": "rich_text", "elements": elements}


def _assert_input_shape(element: dict[str, Any]) -> None:
    kind = element["type"]
    assert set(element) <= RICH_TEXT_KEYS[kind], element
    assert set(element.get("style", {})) <= STYLE_KEYS, element
    for child in element.get("elements", []):
        _assert_input_shape(child)


@pytest.mark.parametrize("text", [case[1] for case in HTML_CASES])
def test_rich_text_only_uses_input_shapes_and_is_json(text: str) -> None:
    block = mrkdwn_to_rich_text(text)
    assert json.loads(json.dumps(block)) == block
    for element in block["elements"]:
        _assert_input_shape(element)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("&amp;", "&"),
        ("&lt;&gt;", "<>"),
        ("&amp;lt;", "&lt;"),
        ("&quot;&#38;", "&quot;&#38;"),
        ("&AMP;", "&AMP;"),
    ],
)
def test_unescape_only_slack_entities(text: str, expected: str) -> None:
    assert unescape(text) == expected


HOSTILE = [
    '<https://x.com/"onclick="alert(1)|x>',
    "<https://x.com|<img src=x onerror=alert(1)>>",
    "< javascript:alert(1)|x>",
    "<JAVASCRIPT:alert(1)>",
    "<data:text/html,<script>alert(1)</script>|x>",
    "<vbscript:x>",
    "*<script>*",
    "```<iframe src=javascript:alert(1)>```",
    "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;",
    "<@U1|<b>>",
    '<#C1|"><svg onload=alert(1)>>',
    "<!date^1^{date}^javascript:alert(1)|x>",
    "<!subteam^S1|@<i>>",
    "\u202eevil\u202c *rtl override*",
    "<" * 30 + ">" * 30,
    "`" * 7 + "*_~" * 10,
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_gives_safe_html(names: FakeNames, text: str) -> None:
    assert_safe_html(rich_text_to_html(mrkdwn_to_rich_text(text), names))


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "text",
    ["<" * 50_000, "(*" * 25_000, ":" + "a" * 50_000, "`" * 50_001, "_a " * 20_000, "<a|" * 20_000],
)
def test_pathological_input_is_linear_enough(names: FakeNames, text: str) -> None:
    assert_safe_html(rich_text_to_html(mrkdwn_to_rich_text(text), names))
