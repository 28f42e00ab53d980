"""Pure builders for the contact context, the New / Add to choice and the whole-thread offer."""

from __future__ import annotations

import json

import pytest

from handlers.ui import ids, messages, views
from handlers.ui.context import (
    ContactFacts,
    KnownConversation,
    ThreadOffer,
    age_text,
    build_context_blocks,
    build_thread_blocks,
    carried_blocks,
    contact_line,
)
from handlers.ui.outcomes import Created, Failed

NOW = 1_800_000_000.0
KNOWN = KnownConversation(42, "https://app.drift.com/inboxes/1/conversations/42", NOW - 7200)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "just now"), (59, "just now"), (60, "1 min ago"), (7199, "1 h ago"), (86400, "1 d ago")],
)
def test_age_text(seconds: float, text: str) -> None:
    assert age_text(seconds) == text


@pytest.mark.parametrize(
    ("facts", "line"),
    [
        (ContactFacts("a@b.co", "new"), ":sparkles: New contact — Drift will create it."),
        (
            ContactFacts("a@b.co", "found", name="<Jane>", company="A*B"),
            ":bust_in_silhouette: *&lt;Jane&gt;* · A*B",
        ),
        (ContactFacts("a@b.co", "found"), ":bust_in_silhouette: a@b.co"),
        (
            ContactFacts("a@b.co", "unavailable", reason="Drift did not answer in time"),
            ":grey_question: Contact context unavailable (Drift did not answer in time). "
            "You can still submit.",
        ),
    ],
)
def test_contact_line(facts: ContactFacts, line: str) -> None:
    assert contact_line(facts) == line


def test_known_conversations_offer_the_choice_with_the_one_chosen() -> None:
    facts = ContactFacts("a@b.co", "new", conversations=(KNOWN,))
    blocks = build_context_blocks(facts, now=NOW, add_to=42)
    shown = json.dumps(blocks, ensure_ascii=False)
    assert "<https://app.drift.com/inboxes/1/conversations/42|#42> · started 2 h ago" in shown
    assert "unassigned" in shown
    target = blocks[1]["element"]
    assert target["initial_option"]["value"] == "add:42"
    context, _ = carried_blocks({"blocks": blocks}, add_to=0, ticked=False)
    assert context[1]["element"]["initial_option"]["value"] == ids.NEW_CONVERSATION


def test_the_thread_offer_and_its_notes() -> None:
    offer = ThreadOffer(total=41, fetched=15, rate_limited=True, left_out=3)
    blocks = build_thread_blocks(offer, ticked=True)
    assert blocks[0]["element"]["initial_options"] == blocks[0]["element"]["options"]
    note = blocks[1]["elements"][0]["text"]
    assert "15 of 41 messages were fetched" in note and "The 3 oldest messages" in note
    [only] = build_thread_blocks(ThreadOffer(total=41, fetched=0, rate_limited=True))
    assert only["type"] == "context" and "cannot be included right now" in json.dumps(only)


@pytest.mark.parametrize("shared", [False, True])
def test_the_added_answer_names_the_contact_only_outside_shared_channels(shared: bool) -> None:
    created = Created("jane@acme.com", KNOWN.url, "U1", added=True)
    text, blocks = messages.build_added_message(created, shared=shared)
    shown = json.dumps(blocks)
    assert "added this to" in shown and KNOWN.url in shown
    assert ("jane@acme.com" in shown + text) is not shared
    assert "Added to the" in json.dumps(views.build_created_view(created))


@pytest.mark.parametrize(
    ("ambiguous", "head"),
    [(False, "was not added"), (True, "it may or may not have been added")],
)
def test_a_failed_add_says_so(ambiguous: bool, head: str) -> None:
    failed = Failed("jane@acme.com", "Drift said no.", "d1", ambiguous=ambiguous, adding=True)
    assert head in views.failure_text(failed)
