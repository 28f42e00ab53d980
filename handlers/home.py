"""App Home tab: the viewer's Drift mapping, their recent conversations, and a "new" button."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.flow.assignees import AssigneeProblem, preview_text, resolve_assignee
from handlers.flow.modal import open_blank_form
from handlers.flow.services import Services
from handlers.ui import ids
from handlers.ui.blocks import mrkdwn_escape
from handlers.ui.home_view import HomeRow, build_home_view
from runtime.slack_errors import SLACK_FAILURES, slack_error_code

logger = logging.getLogger(__name__)

RECENT_LIMIT = 20


def mapping_line(services: Services, user_id: str) -> str:
    """How the viewer maps to Drift, in the words of the form's preview."""
    try:
        line = preview_text(resolve_assignee(services.names, services.users, user_id))
    except AssigneeProblem as problem:
        return f":warning: {mrkdwn_escape(str(problem))}"
    return line.replace("Will be assigned to", "Conversations assigned to you go to", 1).replace(
        "will be unassigned", "conversations assigned to you will be unassigned", 1
    )


def handle_home_opened(
    body: dict[str, Any], event: dict[str, Any], client: WebClient, services: Services
) -> None:
    """Publish the Home tab for the viewer (Bolt acks events itself)."""
    if event.get("tab") not in (None, "home"):
        return
    user_id = str(event.get("user") or "")
    team_id = str(body.get("team_id") or "")
    records = services.store.recent_for_user(team_id, user_id, RECENT_LIMIT)
    rows = [
        HomeRow(
            contact_email=record.contact_email,
            url=record.url,
            created_at=record.created_at,
            created_text=datetime.fromtimestamp(record.created_at, UTC).strftime(
                "%d %b %Y %H:%M UTC"
            ),
        )
        for record in records
    ]
    view = build_home_view(mapping_line(services, user_id), rows)
    try:
        client.views_publish(user_id=user_id, view=view)
    except SLACK_FAILURES as exc:
        logger.warning("Could not publish the Home tab (%s)", slack_error_code(exc))


def handle_home_button(
    ack: Ack, body: dict[str, Any], client: WebClient, services: Services
) -> None:
    """The Home tab's "New Drift conversation" button: the form with a channel picker."""
    ack()
    open_blank_form(client, services, body, "home")


def register(app: App) -> None:
    app.event("app_home_opened")(handle_home_opened)
    app.action(ids.HOME_OPEN_ACTION)(handle_home_button)
