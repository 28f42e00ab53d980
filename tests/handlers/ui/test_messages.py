"""The message builders: contact, assignee, link and escaping, with no mocks."""

from __future__ import annotations

from handlers.ui import messages
from handlers.ui.outcomes import Created


def test_user_text_is_escaped_in_mrkdwn() -> None:
    created = Created("a<b>&c@acme.com", "https://x.test/1", "U1", assignee_name="<!channel>")
    text, blocks = messages.build_created_message(created)
    rendered = repr(blocks)
    assert "<!channel>" not in rendered
    assert "&lt;!channel&gt;" in rendered
    assert "a&lt;b&gt;&amp;c@acme.com" in rendered
    assert "https://x.test/1" in text


def test_created_message_names_contact_assignee_and_link() -> None:
    created = Created("jane@acme.com", "https://x.test/1", "U1", assignee_name="Jane Doe")
    _, blocks = messages.build_created_message(created)
    section = blocks[0]
    assert "jane@acme.com" in section["text"]["text"]
    assert "Jane Doe" in section["text"]["text"]
    assert section["accessory"]["url"] == "https://x.test/1"
    assert section["accessory"]["text"]["text"] == "Open in Drift"


def test_unassigned_message_says_why() -> None:
    created = Created(
        "jane@acme.com",
        "https://x.test/1",
        "U1",
        unassigned_reason="no Drift user with the email a@b.co",
    )
    _, blocks = messages.build_created_message(created)
    assert "unassigned" in blocks[0]["text"]["text"]
    assert "no Drift user with the email a@b.co" in blocks[0]["text"]["text"]
