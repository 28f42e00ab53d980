"""Who a conversation goes to: a Slack user mapped to a Drift user, or why nobody.

The override map (`DRIFT_USER_MAP`) wins; otherwise the Slack profile email is matched,
case-insensitively, against the cached Drift users list. Shared by the creation workflow and the
live preview in the form.
"""

from __future__ import annotations

from dataclasses import dataclass

from drift.errors import DriftError
from drift.users import UserDirectory
from handlers.flow.names import SlackNames
from handlers.ui.blocks import mrkdwn_escape
from handlers.ui.drift_errors import users_list_problem

SET_MAP_HINT = "set DRIFT_USER_MAP to map them"


@dataclass(frozen=True)
class Assignee:
    """The Drift user a conversation goes to (`drift_id`), or why it goes to nobody."""

    drift_id: int | None
    name: str = ""
    availability: str = ""
    unassigned_reason: str = ""


class AssigneeProblem(Exception):
    """The chosen assignee cannot own a conversation (a bot, a deactivated account)."""


def resolve_assignee(names: SlackNames, users: UserDirectory, slack_user_id: str) -> Assignee:
    """Map a Slack user to a Drift user; raises `AssigneeProblem` for bots and deactivated users."""
    if not slack_user_id:
        return Assignee(None, unassigned_reason="no assignee was chosen")
    slack_user = names.user(slack_user_id)
    if slack_user is not None and slack_user.is_bot:
        raise AssigneeProblem(f"{slack_user.best_name} is a bot: choose a person to assign.")
    if slack_user is not None and slack_user.deleted:
        raise AssigneeProblem(
            f"{slack_user.best_name}'s Slack account is deactivated: choose someone else."
        )
    display = slack_user.best_name if slack_user else slack_user_id
    override = users.override_for(slack_user_id)
    if override is not None:
        try:
            mapped = users.get_user(override)
        except DriftError:
            mapped = None
        if mapped is None:
            return Assignee(override, name=display)
        return Assignee(override, name=mapped.name or display, availability=mapped.availability)
    if slack_user is None:
        return Assignee(None, unassigned_reason=f"Slack did not return the profile of {display}")
    if not slack_user.email:
        return Assignee(
            None, unassigned_reason=f"Slack shows no email for {display}; {SET_MAP_HINT}"
        )
    try:
        drift_user = users.find_by_email(slack_user.email)
    except DriftError as exc:
        return Assignee(None, unassigned_reason=users_list_problem(exc))
    if drift_user is None:
        return Assignee(None, unassigned_reason=f"no Drift user with the email {slack_user.email}")
    return Assignee(
        drift_user.id, name=drift_user.name or display, availability=drift_user.availability
    )


def preview_text(assignee: Assignee) -> str:
    """The one line shown under "Assign to" in the form."""
    if assignee.drift_id is None:
        reason = mrkdwn_escape(assignee.unassigned_reason)
        hint = "" if SET_MAP_HINT in reason or "no assignee" in reason else f"; {SET_MAP_HINT}"
        return f":warning: {reason[:1].upper()}{reason[1:]} — will be unassigned{hint}."
    state = f" ({assignee.availability.replace('_', ' ').lower()})" if assignee.availability else ""
    name = mrkdwn_escape(assignee.name)
    return f":bust_in_silhouette: Will be assigned to *{name}* in Drift{state}."
