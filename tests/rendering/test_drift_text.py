"""Drift HTML → plain text, and the one-line preview of a message."""

from __future__ import annotations

import pytest

from rendering.drift_text import html_to_mrkdwn, html_to_text, preview


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Hello</p>", "Hello"),
        ("<p>Hi &amp; <b>bye</b></p>", "Hi & bye"),
        ("<p>one</p><p>two<br>three</p>", "one\ntwo\nthree"),
        ("<ul><li>a</li><li>b</li></ul>", "a\nb"),
        ("<script>alert(1)</script><p>safe</p>", "safe"),
        ("&lt;!channel&gt; is text", "<!channel> is text"),
        ("a    b\t\tc", "a b c"),
        ("", ""),
        ("<p>unclosed <b>bold", "unclosed bold"),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("html", "limit", "expected"),
    [
        ("<p>short</p>", 120, "short"),
        ("<p>one</p><p>two</p>", 120, "one two"),
        ("<p>" + "x" * 130 + "</p>", 120, "x" * 119 + "…"),
        ("<p>abcdef</p>", 6, "abcdef"),
        ("<p>abcdefg</p>", 6, "abcde…"),
    ],
)
def test_preview(html: str, limit: int, expected: str) -> None:
    assert preview(html, limit) == expected
    assert len(preview(html, limit)) <= limit


@pytest.mark.parametrize(
    ("html", "mrkdwn"),
    [
        ("<p>Hello <b>there</b></p>", "Hello *there*"),
        ("<p>&lt;!channel&gt; look</p>", "&lt;!channel&gt; look"),
        ("<p>&lt;@U123&gt;</p>", "&lt;@U123&gt;"),
        ("<p>&lt;https://evil.test|bank&gt;</p>", "&lt;https://evil.test|bank&gt;"),
        ('<a href="https://evil.test">bank</a>', "bank (<https://evil.test>)"),
        ('<a href="https://x.test/?a=1&amp;b=2">q</a>', "q (<https://x.test/?a=1&amp;b=2>)"),
        ('<a href="javascript:alert(1)">click</a>', "click"),
        ('<a href="https://x.test/a|b">pipe</a>', "pipe"),
        ("<p>a &amp; b</p><p><i>c</i></p>", "a &amp; b\n_c_"),
        ("<script>x</script>Hi", "Hi"),
    ],
)
def test_drift_html_becomes_escaped_mrkdwn(html: str, mrkdwn: str) -> None:
    assert html_to_mrkdwn(html) == mrkdwn
