"""Tests for handlers/prefill.py over message shapes as a message shortcut delivers them."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from rendering.prefill import (
    first_email,
    message_to_rich_text,
    rich_text_is_empty,
    rich_text_plain_length,
    split_command_text,
)
from rendering.richtext import rich_text_to_html
from tests.rendering.names import NoNames

EMPTY = {"type": "rich_text", "elements": []}


def section(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "rich_text_section", "elements": list(elements)}


def text(value: str, **style: bool) -> dict[str, Any]:
    return {"type": "text", "text": value, **({"style": style} if style else {})}


def link(url: str, label: str | None = None) -> dict[str, Any]:
    return {"type": "link", "url": url, **({"text": label} if label else {})}


def rich_block(*elements: dict[str, Any], block_id: str = "b1") -> dict[str, Any]:
    return {"type": "rich_text", "block_id": block_id, "elements": list(elements)}


def user_message(*blocks: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "client_msg_id": "6a1c7a84-3f5c-4b8e-9f3e-2f1f7a0c1d11",
        "type": "message",
        "user": "U0G9QF9C6",
        "ts": "1732457100.000200",
        "team": "T0G9PQBBK",
        "blocks": list(blocks),
        **fields,
    }


SCREENSHOT = {
    "id": "F07",
    "name": "image.png",
    "title": "Screenshot 2026-11-24",
    "mimetype": "image/png",
    "url_private": "https://files.slack.com/files-pri/T0G9PQBBK-F07/image.png",
    "permalink": "https://acme.slack.com/files/U0G9QF9C6/F07/image.png",
    "thumb_360": "https://files.slack.com/files-tmb/T0G9PQBBK-F07/image_360.png",
}
CONTRACT = {
    "id": "F08",
    "name": "contract.pdf",
    "url_private": "https://files.slack.com/files-pri/T0G9PQBBK-F08/contract.pdf",
}
TOMBSTONE = {"id": "F09", "mode": "tombstone"}


PREFILL_CASES = [
    (
        "rich_text blocks are used as they are",
        user_message(
            rich_block(section(text("Hi "), {"type": "user", "user_id": "U024BE7LH"}, text("!"))),
            text="Hi <@U024BE7LH>!",
        ),
        [section(text("Hi "), {"type": "user", "user_id": "U024BE7LH"}, text("!"))],
    ),
    (
        "several rich_text blocks are merged",
        user_message(
            rich_block(section(text("one"))),
            {"type": "divider"},
            rich_block(
                {
                    "type": "rich_text_list",
                    "style": "bullet",
                    "indent": 0,
                    "elements": [section(text("two"))],
                },
                block_id="b2",
            ),
        ),
        [
            section(text("one")),
            {
                "type": "rich_text_list",
                "style": "bullet",
                "indent": 0,
                "elements": [section(text("two"))],
            },
        ],
    ),
    (
        "files follow the text on their own lines, as links",
        user_message(
            rich_block(section(text("See attached"))), files=[SCREENSHOT, CONTRACT, TOMBSTONE]
        ),
        [
            section(
                text("See attached"),
                text("\n"),
                link(SCREENSHOT["permalink"], "Screenshot 2026-11-24"),
                text("\n"),
                link(CONTRACT["url_private"], "contract.pdf"),
            )
        ],
    ),
    (
        "files after a list get their own section",
        user_message(
            rich_block(
                {
                    "type": "rich_text_list",
                    "style": "bullet",
                    "indent": 0,
                    "elements": [section(text("x"))],
                }
            ),
            files=[CONTRACT],
        ),
        [
            {
                "type": "rich_text_list",
                "style": "bullet",
                "indent": 0,
                "elements": [section(text("x"))],
            },
            section(link(CONTRACT["url_private"], "contract.pdf")),
        ],
    ),
    (
        "a message with only files still has a body",
        {
            "type": "message",
            "subtype": "file_share",
            "text": "",
            "user": "U1",
            "files": [SCREENSHOT],
        },
        [section(link(SCREENSHOT["permalink"], "Screenshot 2026-11-24"))],
    ),
    (
        "mrkdwn text when there are no blocks",
        {
            "type": "message",
            "subtype": "bot_message",
            "bot_id": "B1",
            "text": "Deploy *done* &amp; <https://ci.example/1|logs>",
        },
        [
            section(
                text("Deploy "),
                text("done", bold=True),
                text(" & "),
                link("https://ci.example/1", "logs"),
            )
        ],
    ),
    (
        "attachments of a bot message",
        {
            "type": "message",
            "subtype": "bot_message",
            "text": "",
            "attachments": [
                {
                    "fallback": "New lead: Ticket #4",
                    "pretext": "New lead",
                    "title": "Ticket #4 <urgent>",
                    "title_link": "https://crm.example/4",
                    "text": "from bob@example.io",
                    "fields": [{"title": "Priority", "value": "high", "short": True}],
                },
                {"fallback": "only a fallback"},
                {"title": "Plain title"},
                {"title": "odd", "title_link": "https://x.example/?a=1|2>3&b"},
            ],
        },
        [
            section(
                text("New lead\n"),
                link("https://crm.example/4", "Ticket #4 <urgent>"),
                text("\nfrom bob@example.io\n"),
                text("Priority", bold=True),
                text("\nhigh\nonly a fallback\n"),
                text("Plain title", bold=True),
                text("\n"),
                link("https://x.example/?a=1%7C2>3&b", "odd"),
            )
        ],
    ),
    (
        "section, header and context blocks of an app message",
        {
            "type": "message",
            "subtype": "bot_message",
            "text": "fallback for notifications",
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": "Weekly <report>"}},
                {"type": "section", "text": {"type": "mrkdwn", "text": "_All_ green"}},
                {"type": "section", "fields": [{"type": "plain_text", "text": "a*b"}]},
                {"type": "image", "image_url": "https://img.example/x.png", "alt_text": "chart"},
                {
                    "type": "context",
                    "elements": [{"type": "mrkdwn", "text": "by ops"}, {"type": "image"}],
                },
            ],
        },
        [
            section(
                text("Weekly <report>", bold=True),
                text("\n"),
                text("All", italic=True),
                text(" green\na*b\nby ops "),
            )
        ],
    ),
    (
        "blocks without text fall back to the text field",
        {
            "type": "message",
            "text": "see chart",
            "blocks": [{"type": "image", "image_url": "https://i.example/c.png"}],
        },
        [section(text("see chart"))],
    ),
    (
        "a shared message's author and text are kept, link previews are not",
        user_message(
            rich_block(section(text("FYI"))),
            attachments=[
                {
                    "is_msg_unfurl": True,
                    "is_share": True,
                    "text": "the *original* message",
                    "author_name": "Ann",
                },
                {"from_url": "https://news.example/a", "title": "News", "text": "preview text"},
            ],
        ),
        [
            section(text("FYI")),
            section(text("Ann\nthe "), text("original", bold=True), text(" message")),
        ],
    ),
    (
        "an app's attachment keeps its author (linked) and footer, in Slack's order",
        user_message(
            attachments=[
                {
                    "pretext": "New issue",
                    "author_name": "Dana <admin>",
                    "author_link": "https://jira.example/people/dana",
                    "title": "Login fails",
                    "text": "Steps to reproduce",
                    "footer": "Jira | ACME-12",
                }
            ],
        ),
        [
            section(
                text("New issue\n"),
                {"type": "link", "url": "https://jira.example/people/dana", "text": "Dana <admin>"},
                text("\n"),
                text("Login fails", bold=True),
                text("\nSteps to reproduce\nJira | ACME-12"),
            )
        ],
    ),
    (
        "an empty bot message gives an empty block",
        {"type": "message", "subtype": "bot_message", "bot_id": "B1"},
        [],
    ),
    ("an empty dict", {}, []),
    (
        "garbage fields are ignored",
        {"blocks": "x", "files": [None, 3], "attachments": {"a": 1}, "text": None},
        [],
    ),
]


@pytest.mark.parametrize(
    ("message", "elements"),
    [case[1:] for case in PREFILL_CASES],
    ids=[case[0] for case in PREFILL_CASES],
)
def test_message_to_rich_text(message: dict[str, Any], elements: list[dict[str, Any]]) -> None:
    assert message_to_rich_text(message) == {"type": "rich_text", "elements": elements}


def test_prefill_does_not_share_structure_with_the_message() -> None:
    message = user_message(rich_block(section(text("keep me"))), files=[CONTRACT])
    before = copy.deepcopy(message)
    prefill = message_to_rich_text(message)
    prefill["elements"][0]["elements"][0]["text"] = "changed"
    assert message == before


def test_prefill_renders_to_the_html_the_agent_sees() -> None:
    message = user_message(
        rich_block(section(text("Price is "), text("<$5>", bold=True))),
        files=[SCREENSHOT],
    )
    html = rich_text_to_html(message_to_rich_text(message), NoNames())
    assert html == (
        "<p>Price is <strong>&lt;$5&gt;</strong><br>"
        f'<a href="{SCREENSHOT["permalink"]}">Screenshot 2026-11-24</a></p>'
    )


def test_empty_message_prefill_is_empty() -> None:
    assert message_to_rich_text({"subtype": "bot_message"}) == EMPTY


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ({"text": "Please reach jane@acme.com today"}, "jane@acme.com"),
        ({"text": "Mail <mailto:Jane.Doe@Acme.com|Jane.Doe@Acme.com>"}, "Jane.Doe@Acme.com"),
        ({"text": "mail jane@acme.com."}, "jane@acme.com"),
        ({"text": "&lt;jane@acme.com&gt;"}, "jane@acme.com"),
        ({"text": "first a@x.com then b@y.com"}, "a@x.com"),
        ({"text": "first.last+tag@mail.acme.co.uk"}, "first.last+tag@mail.acme.co.uk"),
        ({"text": "user@localhost, @here, a@b and @@x.com"}, ""),
        ({"text": ""}, ""),
        ({}, ""),
        (
            {
                "text": "",
                "blocks": [rich_block(section(link("mailto:sales@acme.com", "write to us")))],
            },
            "sales@acme.com",
        ),
        (
            {
                "blocks": [rich_block(section(text("no email"), link("https://x.com")))],
                "attachments": [{"text": "contact: bob@x.io"}],
            },
            "bob@x.io",
        ),
        (
            {"attachments": [{"fields": [{"title": "Email", "value": "lead@corp.example"}]}]},
            "lead@corp.example",
        ),
        ({"text": "text wins x@text.com", "attachments": [{"text": "y@att.com"}]}, "x@text.com"),
        ({"text": "no address", "files": [{"name": "z@file.com.pdf"}]}, ""),
    ],
)
def test_first_email(message: dict[str, Any], expected: str) -> None:
    assert first_email(message) == expected


@pytest.mark.parametrize(
    ("command_text", "expected"),
    [
        ("", ("", "")),
        ("jane@acme.com Hello there", ("jane@acme.com", "Hello there")),
        ("<mailto:jane@acme.com|jane@acme.com> Hi", ("jane@acme.com", "Hi")),
        ("<mailto:jane@acme.com> Hi", ("jane@acme.com", "Hi")),
        ("jane@acme.com", ("jane@acme.com", "")),
        ("(jane@acme.com), hi", ("jane@acme.com", "hi")),
        ("  jane@acme.com   two\nlines  ", ("jane@acme.com", "two\nlines")),
        ("Hello jane@acme.com, see you", ("jane@acme.com", "Hello jane@acme.com, see you")),
        ("just text ", ("", "just text")),
        ("notanemail@ hi", ("", "notanemail@ hi")),
        ("Jane@Acme.COM hi", ("Jane@Acme.COM", "hi")),
    ],
)
def test_split_command_text(command_text: str, expected: tuple[str, str]) -> None:
    assert split_command_text(command_text) == expected


BULLETS_OF_SPACE = {
    "type": "rich_text_list",
    "style": "bullet",
    "indent": 0,
    "elements": [section(text("  "))],
}


@pytest.mark.parametrize(
    ("block", "empty"),
    [
        (EMPTY, True),
        ({}, True),
        ({"type": "rich_text", "elements": "x"}, True),
        (rich_block(section(text(" \n\t "))), True),
        (rich_block(section(text("\u00a0"))), True),
        (rich_block(BULLETS_OF_SPACE, section()), True),
        (rich_block(section(text(" x "))), False),
        (rich_block(section({"type": "emoji", "name": "wave"})), False),
        (rich_block(section({"type": "user", "user_id": "U1"})), False),
        (rich_block(section(link("https://x.com"))), False),
        (rich_block(section({"type": "broadcast", "range": "here"})), False),
        (rich_block({"type": "rich_text_preformatted", "elements": [text("code")]}), False),
    ],
)
def test_rich_text_is_empty(block: dict[str, Any], empty: bool) -> None:
    assert rich_text_is_empty(block) is empty


@pytest.mark.parametrize(
    ("block", "length"),
    [
        (EMPTY, 0),
        (rich_block(section(text("hello"))), 5),
        (rich_block(section(text("héllo wörld"))), 11),
        (rich_block(section(text("a"), {"type": "user", "user_id": "U12"})), 5),
        (rich_block(section({"type": "emoji", "name": "wave", "unicode": "1f44b"})), 1),
        (rich_block(section(link("https://x.com", "docs"))), 4),
        (rich_block(section(link("https://x.com"))), 13),
        (rich_block(section({"type": "date", "timestamp": "x", "fallback": "Jan 1"})), 5),
        (rich_block(section({"type": "date", "timestamp": 0, "format": "{date_num}"})), 10),
        (rich_block(section({"type": "date", "timestamp": 0, "format": "y" * 50_000})), 50_000),
        (rich_block(section({"type": "emoji", "name": "x" * 300_000})), 300_002),
        (rich_block(section({"type": "emoji", "name": "flag-fr"})), 2),
        (
            rich_block(
                section(text("ab")),
                BULLETS_OF_SPACE,
                {"type": "rich_text_quote", "elements": [text("q")]},
            ),
            5,
        ),
    ],
)
def test_rich_text_plain_length(block: dict[str, Any], length: int) -> None:
    assert rich_text_plain_length(block) == length
