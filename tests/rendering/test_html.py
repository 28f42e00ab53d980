"""Tests for drift/html.py: escaping, safe links, dates, the body footer and integrationSource."""

from __future__ import annotations

import pytest

from rendering.html import (
    conversation_body,
    conversation_place,
    escape,
    integration_source,
    link_html,
    readable_date,
    safe_href,
    strip_controls,
)
from tests.rendering.names import NoNames

PERMALINK = "https://acme.slack.com/archives/C024BE91L/p1732457100000200"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a & b", "a &amp; b"),
        ("&amp;", "&amp;amp;"),
        ("\"quoted\" 'single'", "&quot;quoted&quot; &#x27;single&#x27;"),
        ("bell\x07 null\x00 esc\x1b del\x7f", "bell null esc del"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("carriage\r\nreturn", "carriage\nreturn"),
        ("שלום <b>", "שלום &lt;b&gt;"),
        ("e\u0301 <\u0338", "e\u0301 &lt;\u0338"),
        ("👋🏽 ok", "👋🏽 ok"),
    ],
)
def test_escape(text: str, expected: str) -> None:
    assert escape(text) == expected


def test_strip_controls_keeps_tab_and_newline_only() -> None:
    every_c0 = "".join(chr(code) for code in range(0x20)) + "\x7f"
    assert strip_controls(every_c0) == "\t\n"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a?b=1&c=2", "https://example.com/a?b=1&amp;c=2"),
        ("http://example.com", "http://example.com"),
        ("HTTPS://EXAMPLE.COM", "HTTPS://EXAMPLE.COM"),
        ("mailto:jane@acme.com", "mailto:jane@acme.com"),
        ("MailTo:jane@acme.com", "MailTo:jane@acme.com"),
        ('https://x.com/"onmouseover="alert(1)', "https://x.com/&quot;onmouseover=&quot;alert(1)"),
        ("  https://example.com/a b  ", "https://example.com/a%20b"),
        ("https://ex\nample.com", "https://example.com"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("\x00javascript:alert(1)", None),
        ("jav&#x09;ascript:alert(1)", None),
        ("data:text/html;base64,PHNjcmlwdD4=", None),
        ("vbscript:msgbox(1)", None),
        ("file:///etc/passwd", None),
        ("slack://channel?id=C1", None),
        ("//evil.example.com", None),
        ("/relative/path", None),
        ("www.example.com", None),
        ("https:", None),
        ("https://", None),
        ("http:/one-slash", None),
        ("mailto:", None),
        ("", None),
        ("ｊavascript:alert(1)", None),
    ],
)
def test_safe_href(url: str, expected: str | None) -> None:
    assert safe_href(url) == expected


@pytest.mark.parametrize(
    ("url", "label", "expected"),
    [
        ("https://x.com", "Docs", '<a href="https://x.com">Docs</a>'),
        ("https://x.com", None, '<a href="https://x.com">https://x.com</a>'),
        ("https://x.com", "   ", '<a href="https://x.com">https://x.com</a>'),
        ("https://x.com", "<b>bold</b>", '<a href="https://x.com">&lt;b&gt;bold&lt;/b&gt;</a>'),
        ("mailto:a@b.co", "a@b.co", '<a href="mailto:a@b.co">a@b.co</a>'),
        ("javascript:alert(1)", "click", "click (javascript:alert(1))"),
        ("javascript:alert(1)", None, "javascript:alert(1)"),
        ("javascript:alert('<x>')", "<i>", "&lt;i&gt; (javascript:alert(&#x27;&lt;x&gt;&#x27;))"),
        ("", "label only", "label only"),
    ],
)
def test_link_html(url: str, label: str | None, expected: str) -> None:
    assert link_html(url, label) == expected


@pytest.mark.parametrize(
    ("channel_name", "expected"),
    [
        ("general", "#general"),
        ("#general", "#general"),
        ("directmessage", "a direct message"),
        ("privategroup", "a private conversation"),
        ("mpdm-jane--bob-1", "a group message"),
        ("", "Slack"),
        ("  sales\x00 ", "#sales"),
    ],
)
def test_conversation_place(channel_name: str, expected: str) -> None:
    assert conversation_place(channel_name) == expected


@pytest.mark.parametrize(
    ("kwargs", "footer"),
    [
        (
            {"channel_name": "sales", "author_name": "Jane Doe", "permalink": PERMALINK},
            f'From Slack: #sales — Jane Doe (<a href="{PERMALINK}">view in Slack</a>)',
        ),
        (
            {"channel_name": "sales", "author_name": "Jane Doe", "permalink": None},
            "From Slack: #sales — Jane Doe",
        ),
        (
            {"channel_name": "sales", "author_name": "Jane", "permalink": "javascript:alert(1)"},
            "From Slack: #sales — Jane",
        ),
        (
            {"channel_name": "sales", "author_name": "Jane", "permalink": "mailto:x@y.co"},
            "From Slack: #sales — Jane",
        ),
        (
            {"channel_name": "<img src=x>", "author_name": "<script>", "permalink": None},
            "From Slack: #&lt;img src=x&gt; — &lt;script&gt;",
        ),
        (
            {"channel_name": "sales", "author_name": "", "permalink": None, "rep_name": "Rep One"},
            "From Slack: #sales — /drift-open by Rep One",
        ),
        (
            {"channel_name": "directmessage", "author_name": "", "permalink": None},
            "From Slack: a direct message",
        ),
        (
            {"channel_name": "sales", "author_name": "Ann", "permalink": None, "rep_name": "Rep"},
            "From Slack: #sales — Ann",
        ),
    ],
)
def test_conversation_body_footer(kwargs: dict[str, str], footer: str) -> None:
    assert conversation_body("<p>Hello</p>", **kwargs) == f"<p>Hello</p><p>{footer}</p>"


@pytest.mark.parametrize(
    ("channel_name", "rep_name", "expected"),
    [
        ("sales", "Rep Name", "Slack · #sales · by Rep Name"),
        ("directmessage", "Rep Name", "Slack · a direct message · by Rep Name"),
        ("privategroup", "Rep", "Slack · a private conversation · by Rep"),
        ("mpdm-a--b-1", "Rep", "Slack · a group message · by Rep"),
        ("", "Rep", "Slack · by Rep"),
        ("sales", "", "Slack · #sales"),
        ("sales", "<b>Rep</b>", "Slack · #sales · by ‹b›Rep‹/b›"),
        ("sales", "AT&T &lt;x&gt;", "Slack · #sales · by AT＆T ＆lt;x＆gt;"),
        ("sales", 'Rep "Q"', "Slack · #sales · by Rep ”Q”"),
        ("sales", "R" * 500, "Slack · #sales · by " + "R" * 80),
        ("sales", "Rep\nName\x00", "Slack · #sales · by Rep Name"),
    ],
)
def test_integration_source_is_plain_text(channel_name: str, rep_name: str, expected: str) -> None:
    assert integration_source(channel_name, rep_name) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Enterprise support", "Slack · #sales · Enterprise support · by Rep"),
        ("  VIP\n<b>desk</b> ", "Slack · #sales · VIP ‹b›desk‹/b› · by Rep"),
        ("", "Slack · #sales · by Rep"),
    ],
)
def test_integration_source_carries_the_channel_label(label: str, expected: str) -> None:
    assert integration_source("sales", "Rep", label=label) == expected


@pytest.mark.parametrize(
    ("timestamp", "date_format", "expected"),
    [
        (1795356300, "", "22 Nov 2026 14:05 UTC"),
        ("1392734382", "{date_num}", "2014-02-18"),
        (1392734382, "{date_slash}", "2014-02-18"),
        (1392734382, "{date}", "18 February 2014"),
        (1392734382, "{date_pretty}", "18 February 2014"),
        (1392734382, "{date_short} at {time}", "18 Feb 2014 at 14:39 UTC"),
        (1392734382, "{date_long_pretty}", "Tuesday, 18 February 2014"),
        (1392734382, "{time_secs}", "14:39:42 UTC"),
        (1392734382, "{ago}", "18 Feb 2014 14:39 UTC"),
        (1392734382, "{unknown} {date_num", "{unknown} {date_num"),
        ("not a number", "{date}", None),
        (None, "{date}", None),
        (10**20, "{date}", None),
    ],
)
def test_readable_date(timestamp: object, date_format: str, expected: str | None) -> None:
    assert readable_date(timestamp, date_format) == expected


def test_no_names_resolves_nothing() -> None:
    names = NoNames()
    assert (names.user_name("U1"), names.channel_name("C1"), names.usergroup_name("S1")) == (
        None,
        None,
        None,
    )
