"""rendering/thread.py: what fits Drift's limit, and the thread as HTML."""

from __future__ import annotations

from typing import Any

import pytest

from rendering.thread import HEADER_ALLOWANCE, newest_that_fit, thread_html
from tests.rendering.names import NoNames


def message(text: str, ts: str = "1700000000.000100", **extra: Any) -> dict[str, Any]:
    return {"type": "message", "text": text, "ts": ts, **extra}


SIZE = 40 + HEADER_ALLOWANCE  # one 40-character message


@pytest.mark.parametrize(
    ("count", "budget", "left_out"),
    [
        (0, 100, 0),
        (3, 3 * SIZE, 0),
        (3, 3 * SIZE - 1, 1),
        (3, SIZE, 2),
        (3, SIZE - 1, 3),
        (5, 0, 5),
    ],
)
def test_newest_that_fit(count: int, budget: int, left_out: int) -> None:
    messages = [message("y" * 40) for _ in range(count)]
    assert newest_that_fit(messages, budget) == left_out


def test_thread_html_escapes_authors_and_says_what_is_missing() -> None:
    messages = [message("old " + "z" * 40), message("new <b>one</b>", ts="1700000060.000100")]
    html = thread_html(messages, NoNames(), lambda _: "<i>Ann</i>", budget=SIZE + 20, unread=3)
    assert "<b>&lt;i&gt;Ann&lt;/i&gt;</b> · 14 Nov 2023 22:14 UTC" in html
    assert "1 earlier messages were left out" in html
    assert "3 messages could not be fetched" in html
    assert "new &lt;b&gt;one&lt;/b&gt;" in html and "old" not in html


def test_files_are_links() -> None:
    files = [{"name": "quote.pdf", "permalink": "https://acme.slack.com/files/U1/F1/quote.pdf"}]
    html = thread_html([message("See file", files=files)], NoNames(), lambda _: "Ann", budget=1000)
    assert 'href="https://acme.slack.com/files/U1/F1/quote.pdf"' in html
