"""`/drift-open`: inline text that cannot fit is refused at once, with its length."""

from __future__ import annotations

from tests.conftest import Harness


def test_a_megabyte_of_inline_text_is_too_long_not_slow(harness: Harness) -> None:
    response = harness.command(text="jane@acme.com " + "x" * 1_000_000)
    assert "1,000,014 characters" in response.body
    assert "holds 10,000" in response.body
    assert harness.slack.calls_to("views.open") == []
