"""The form as a rep fills it in (`view.state.values`) and its inputs as the app built them."""

from __future__ import annotations

from typing import Any

from handlers.ui import ids
from tests.fakes import payloads


def form_values(email: str, text: str, assignee: str | None = payloads.USER_ID) -> dict[str, Any]:
    """`view.state.values` for the form: contact email, a one-section message, the assignee."""
    return {
        ids.EMAIL_BLOCK: {ids.EMAIL_ACTION: payloads.email_value(email)},
        ids.MESSAGE_BLOCK: {ids.MESSAGE_ACTION: payloads.rich_text_value(payloads.rich_text(text))},
        ids.ASSIGNEE_BLOCK: {ids.ASSIGNEE_ACTION: payloads.users_select_value(assignee)},
    }


def inputs(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """block_id -> element of each input block of a view."""
    return {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
