"""The message builder the message-size measurement renders."""

from __future__ import annotations

import pytest

from bench.growth import message
from rendering.richtext import rich_text_to_html
from tests.rendering.names import NoNames


@pytest.mark.parametrize("size", [1_000, 10_000])
def test_message_is_about_the_requested_size_and_renders(size: int) -> None:
    html = rich_text_to_html(message(size), NoNames())
    assert size <= len(html) <= 3 * size
    assert "Hi &lt;team&gt;, the renewal &amp; the" in html
    assert "<strong>" in html
