"""The submission checks: emails, messages, and forms with missing fields."""

from __future__ import annotations

from typing import Any

import pytest

from handlers.flow.validation import MAX_MESSAGE_CHARS, Form, email_problem, read_form, validate
from handlers.ui import ids


def rich(text: str) -> dict[str, Any]:
    return {
        "type": "rich_text",
        "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}],
    }


@pytest.mark.parametrize(
    "email",
    [
        "jane@acme.com",
        "Jane.Doe+sales@sub.acme.co.uk",
        "o'brien@acme.ie",
        "x@xn--bcher-kva.example",
        "a_b-c@my-domain.io",
    ],
)
def test_good_emails(email: str) -> None:
    assert email_problem(email) is None


@pytest.mark.parametrize(
    "email",
    [
        "",
        "jane",
        "jane@",
        "@acme.com",
        "jane@acme",
        "jane@@acme.com",
        "jane doe@acme.com",
        "jane@acme..com",
        ".jane@acme.com",
        "jane.@acme.com",
        "jane@-acme.com",
        "jane@acme.c",
        "jane@acme.123",
        "jane\u200b@acme.com",
        "jane\x00@acme.com",
        "<script>@acme.com",
        "jane@acme.com\n",
        "a" * 65 + "@acme.com",
        "j@" + "a" * 250 + ".com",
        "jané@acme.com",
    ],
)
def test_bad_emails_get_a_clear_message(email: str) -> None:
    problem = email_problem(email)
    assert problem
    assert problem.endswith(".")


def test_a_good_form_has_no_errors() -> None:
    assert validate(Form("jane@acme.com", rich("Hi Jane"), "U1")) == {}


@pytest.mark.parametrize(
    ("form", "block"),
    [
        (Form("", rich("Hi"), "U1"), ids.EMAIL_BLOCK),
        (Form("jane@acme.com", {}, "U1"), ids.MESSAGE_BLOCK),
        (Form("jane@acme.com", rich("   \n\t "), "U1"), ids.MESSAGE_BLOCK),
        (Form("jane@acme.com", {"type": "rich_text", "elements": []}, "U1"), ids.MESSAGE_BLOCK),
        (Form("jane@acme.com", rich("x" * (MAX_MESSAGE_CHARS + 1)), "U1"), ids.MESSAGE_BLOCK),
    ],
)
def test_bad_forms_name_the_block(form: Form, block: str) -> None:
    assert block in validate(form)


def test_the_message_limit_is_inclusive() -> None:
    assert validate(Form("jane@acme.com", rich("x" * MAX_MESSAGE_CHARS), "")) == {}


def test_a_form_without_a_channel_asks_for_one_when_needed() -> None:
    assert ids.CHANNEL_BLOCK in validate(Form("jane@acme.com", rich("Hi"), ""), ask_channel=True)


def test_read_form_tolerates_a_payload_missing_fields() -> None:
    assert read_form({}) == Form("", {}, "")
    assert read_form({ids.EMAIL_BLOCK: None, ids.MESSAGE_BLOCK: {ids.MESSAGE_ACTION: "x"}}) == Form(
        "", {}, ""
    )


def test_read_form_reads_slack_state_values() -> None:
    values = {
        ids.EMAIL_BLOCK: {
            ids.EMAIL_ACTION: {"type": "email_text_input", "value": " jane@acme.com "}
        },
        ids.MESSAGE_BLOCK: {
            ids.MESSAGE_ACTION: {"type": "rich_text_input", "rich_text_value": rich("Hi")}
        },
        ids.ASSIGNEE_BLOCK: {ids.ASSIGNEE_ACTION: {"type": "users_select", "selected_user": "U9"}},
    }
    assert read_form(values) == Form("jane@acme.com", rich("Hi"), "U9")


@pytest.mark.parametrize(
    ("target", "thread", "add_to", "whole_thread"),
    [
        (None, None, 0, False),
        ({"selected_option": {"value": "new"}}, None, 0, False),
        ({"selected_option": {"value": "add:4242"}}, None, 4242, False),
        ({"selected_option": {"value": "add:-1"}}, None, 0, False),
        ({"selected_option": {"value": "add:x"}}, None, 0, False),
        ({"selected_option": None}, {"selected_options": []}, 0, False),
        (None, {"selected_options": [{"value": "whole_thread"}]}, 0, True),
        (None, {"selected_options": "whole_thread"}, 0, False),
    ],
)
def test_read_form_reads_the_target_and_the_thread_choice(
    target: dict[str, object] | None,
    thread: dict[str, object] | None,
    add_to: int,
    whole_thread: bool,
) -> None:
    values: dict[str, object] = {}
    if target is not None:
        values[ids.TARGET_BLOCK] = {ids.TARGET_ACTION: target}
    if thread is not None:
        values[ids.THREAD_BLOCK] = {ids.THREAD_ACTION: thread}
    form = read_form(values)
    assert (form.add_to, form.whole_thread) == (add_to, whole_thread)
