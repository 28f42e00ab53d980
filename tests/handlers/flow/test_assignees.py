"""Slack user → Drift user: the override map, email match, and every reason for nobody."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from drift.client import DriftClient
from drift.users import UserDirectory
from handlers.flow.assignees import (
    SET_MAP_HINT,
    Assignee,
    AssigneeProblem,
    preview_text,
    resolve_assignee,
)
from handlers.flow.names import SlackNames
from tests.fakes import payloads
from tests.fakes.drift_api import FakeDrift
from tests.fakes.slack_api import FakeSlack

OVERRIDES = {"U0OVERRIDE": 21850, "U0GHOSTMAP": 99999}


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_user("U0CHRIS", name="chris", real_name="Chris A", email="CHRIS@example.com")
        fake.add_user("U0DANA", name="dana", display_name="dana", email="dana.admin@example.com")
        fake.add_user("U0OVERRIDE", name="ovr", real_name="Over Ride", email="x@example.com")
        fake.add_user("U0GHOSTMAP", name="ghost", real_name="Ghost Map", email=None)
        fake.add_user("U0NOMAIL", name="nomail", real_name="No Mail", email=None)
        fake.add_user("U0STRANGER", name="stranger", real_name="Str Anger", email="s@elsewhere.io")
        fake.add_user("U0DRIFTBOT", name="driftbot", real_name="Driftbot", email="bot@example.com")
        fake.add_user("U0ROBOT", name="robot", real_name="Deploy Robot", is_bot=True)
        fake.add_user(
            "U0LEFT", name="left", real_name="Left Co", email="l@example.com", deleted=True
        )
        yield fake
        assert fake.server_errors == []


def resolver(slack: FakeSlack, drift: FakeDrift):
    names = SlackNames(WebClient(token=slack.bot_token, base_url=slack.base_url))
    client = DriftClient(drift.base_url, drift.access_token, retries=0)
    users = UserDirectory(client, overrides=OVERRIDES)
    return lambda slack_user_id: resolve_assignee(names, users, slack_user_id)


@pytest.mark.parametrize(
    ("slack_user_id", "expected"),
    [
        ("U0OVERRIDE", Assignee(21850, name="Dana Admin", availability="OFFLINE")),
        ("U0GHOSTMAP", Assignee(99999, name="Ghost Map")),
        ("U0CHRIS", Assignee(21849, name="Chris Agent", availability="AVAILABLE")),
        ("U0DANA", Assignee(21850, name="Dana Admin", availability="OFFLINE")),
        ("", Assignee(None, unassigned_reason="no assignee was chosen")),
        (
            "U0NOMAIL",
            Assignee(
                None,
                unassigned_reason="Slack shows no email for No Mail; " + SET_MAP_HINT,
            ),
        ),
        (
            "U0STRANGER",
            Assignee(None, unassigned_reason="no Drift user with the email s@elsewhere.io"),
        ),
        (
            "U0DRIFTBOT",
            Assignee(None, unassigned_reason="no Drift user with the email bot@example.com"),
        ),
        (
            "U0MISSING",
            Assignee(None, unassigned_reason="Slack did not return the profile of U0MISSING"),
        ),
    ],
)
def test_resolve_assignee(slack: FakeSlack, slack_user_id: str, expected: Assignee) -> None:
    with FakeDrift() as drift:
        assert resolver(slack, drift)(slack_user_id) == expected


@pytest.mark.parametrize(
    ("slack_user_id", "problem"),
    [
        ("U0ROBOT", "Deploy Robot is a bot: choose a person to assign."),
        (payloads.BOT_USER_ID, "Drift Open is a bot: choose a person to assign."),
        ("U0LEFT", "Left Co's Slack account is deactivated: choose someone else."),
    ],
)
def test_bots_and_deactivated_users_cannot_be_assigned(
    slack: FakeSlack, slack_user_id: str, problem: str
) -> None:
    with FakeDrift() as drift:
        with pytest.raises(AssigneeProblem) as caught:
            resolver(slack, drift)(slack_user_id)
        assert drift.calls == []
    assert str(caught.value) == problem


def test_slack_lookup_failure_is_a_reason_not_a_crash() -> None:
    with FakeSlack(scopes=frozenset({"chat:write"})) as slack, FakeDrift() as drift:
        assignee = resolver(slack, drift)(payloads.USER_ID)
    assert assignee.drift_id is None
    assert assignee.unassigned_reason == f"Slack did not return the profile of {payloads.USER_ID}"


def test_unreadable_drift_users_are_a_reason(slack: FakeSlack) -> None:
    with FakeDrift(scopes=frozenset({"conversation_write"})) as drift:
        assignee = resolver(slack, drift)("U0CHRIS")
    assert assignee.drift_id is None
    assert assignee.unassigned_reason == "the Drift token may not read the users list (user_read)"


def test_override_wins_even_when_drift_is_unreadable(slack: FakeSlack) -> None:
    with FakeDrift(scopes=frozenset({"conversation_write"})) as drift:
        assert resolver(slack, drift)("U0OVERRIDE") == Assignee(21850, name="Over Ride")


@pytest.mark.parametrize(
    ("assignee", "line"),
    [
        (
            Assignee(7, name="Jane Doe", availability="AVAILABLE"),
            ":bust_in_silhouette: Will be assigned to *Jane Doe* in Drift (available).",
        ),
        (
            Assignee(7, name="Jo <b> & Co", availability="ON_CALL"),
            ":bust_in_silhouette: Will be assigned to *Jo &lt;b&gt; &amp; Co* in Drift (on call).",
        ),
        (
            Assignee(7, name="Jane Doe"),
            ":bust_in_silhouette: Will be assigned to *Jane Doe* in Drift.",
        ),
        (
            Assignee(None, unassigned_reason="no Drift user with the email jane@acme.com"),
            ":warning: No Drift user with the email jane@acme.com — will be unassigned; "
            "set DRIFT_USER_MAP to map them.",
        ),
        (
            Assignee(
                None,
                unassigned_reason="Slack shows no email for Jo; set DRIFT_USER_MAP to map them",
            ),
            f":warning: Slack shows no email for Jo; {SET_MAP_HINT} — will be unassigned.",
        ),
        (
            Assignee(None, unassigned_reason="no assignee was chosen"),
            ":warning: No assignee was chosen — will be unassigned.",
        ),
        (
            Assignee(None, unassigned_reason="no Drift user with the email <a@b.co>"),
            ":warning: No Drift user with the email &lt;a@b.co&gt; — will be unassigned; "
            "set DRIFT_USER_MAP to map them.",
        ),
    ],
)
def test_preview_text(assignee: Assignee, line: str) -> None:
    assert preview_text(assignee) == line
