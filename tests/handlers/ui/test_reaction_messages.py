"""The reaction's offer: a one-line summary that never ends inside a Slack `<…>` token."""

from __future__ import annotations

import pytest

from handlers.ui import ids
from handlers.ui.reaction_messages import build_reaction_offer, summary_of


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 300, "short"),
        ("two\nlines  here", 300, "two lines here"),
        ("abcdefghij", 6, "abcde…"),
        ("hi <@U0123456789> there", 10, "hi…"),
        ("hi <@U01> there", 12, "hi <@U01> t…"),
        ("", 300, ""),
    ],
)
def test_summary(text: str, limit: int, expected: str) -> None:
    assert summary_of(text, limit) == expected


def test_the_offer_escapes_the_email_and_carries_the_draft() -> None:
    _, blocks = build_reaction_offer("d1", "x", "a<b>@c.co", unread=False)
    assert "a&lt;b&gt;@c.co" in str(blocks)
    [button] = blocks[-1]["elements"]
    assert (button["action_id"], button["value"]) == (ids.REACTION_OPEN_ACTION, "d1")
