"""The unfurl card builders: every Drift value escaped, valid Block Kit, nothing private leaks."""

from __future__ import annotations

import json

from handlers.ui.cards import (
    PRIVATE_NOTE,
    ConversationCard,
    build_private_unfurl_blocks,
    build_unfurl_blocks,
)
from tests.fakes.block_kit import message_blocks_problems

URL = "https://app.drift.com/inboxes/1/conversations/42"


def test_a_full_card_is_valid_and_escapes_what_drift_says() -> None:
    card = ConversationCard(
        conversation_id=42,
        url=URL,
        status="open",
        contact_name="<!channel> Jane",
        contact_email="jane@acme.com",
        assignee_name="Riley <@U123>",
        created_at=1_700_000_000,
        last_message="Call <https://evil.example|your bank> now",
    )
    blocks = build_unfurl_blocks(card)
    assert message_blocks_problems(blocks) == []
    text = json.dumps(blocks, ensure_ascii=False)
    assert "<!channel>" not in text and "<@U123>" not in text and "<https://evil" not in text
    assert "&lt;!channel&gt; Jane (jane@acme.com)" in text
    assert "<!date^1700000000^" in text
    assert "Last message: “Call &lt;https://evil.example|your bank&gt; now”" in text


def test_a_sparse_card_says_unassigned_and_skips_what_is_unknown() -> None:
    blocks = build_unfurl_blocks(ConversationCard(conversation_id=42, url=URL))
    assert message_blocks_problems(blocks) == []
    text = json.dumps(blocks)
    assert "unassigned" in text and "unknown contact" in text
    assert "Last message" not in text and "Created" not in text


def test_the_private_card_holds_only_the_number_and_the_link() -> None:
    blocks = build_private_unfurl_blocks(42, URL)
    assert message_blocks_problems(blocks) == []
    assert "#42" in json.dumps(blocks) and URL in json.dumps(blocks)
    assert PRIVATE_NOTE in json.dumps(blocks)
