"""`python app.py doctor`: check an installation end to end and print a checklist with fixes.

Each check returns a `Check`; the run prints them all and exits non-zero when any failed.
Checks: the Slack bot token and its granted scopes (the `x-oauth-scopes` header of auth.test),
the app-level token for Socket Mode (apps.connections.open), the Drift token and its scopes
(POST /app/token_info), how many Slack members map to Drift users, the thread sync (its mode,
webhooks or polling, and the Drift scope it needs) and the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TextIO

from slack_sdk import WebClient

from drift.client import DriftClient
from drift.errors import DriftError, DriftTransportError
from drift.models import TokenInfo
from drift.users import UserDirectory
from runtime.doctor_check import Check
from runtime.doctor_database import check_database
from runtime.doctor_sync import check_sync
from runtime.scopes import (
    OPTIONAL_DRIFT_SCOPES,
    REQUIRED_BOT_SCOPES,
    REQUIRED_DRIFT_SCOPES,
    WITHOUT_OPTIONAL_DRIFT_SCOPE,
)
from runtime.settings import Settings
from runtime.slack_errors import SLACK_FAILURES, slack_error_code, slack_was_reached
from runtime.startup import quiet_libraries

REINSTALL = "api.slack.com/apps → your app → OAuth & Permissions → Reinstall to Workspace"
SLACK_NETWORK_FIX = "Check the network (DNS, proxy, firewall) or SLACK_API_BASE_URL."
DRIFT_NETWORK_FIX = "Check the network (DNS, proxy, firewall) or DRIFT_API_BASE_URL."
MAX_LISTED = 10


def check_slack_token(client: WebClient) -> Check:
    try:
        response = client.auth_test()
    except SLACK_FAILURES as exc:
        fix = f"Copy the bot token from {REINSTALL}."
        return Check("Slack bot token", False, _slack_error(exc), _slack_fix(exc, fix))
    granted = {
        s.strip() for s in str(response.headers.get("x-oauth-scopes", "")).split(",") if s.strip()
    }
    missing = sorted(set(REQUIRED_BOT_SCOPES) - granted)
    who = f"{response.get('user')} in {response.get('team')}"
    if missing:
        return Check(
            "Slack bot scopes",
            False,
            f"{who}: missing {', '.join(missing)}",
            f"Update the app from manifest.yml, then {REINSTALL}.",
        )
    return Check("Slack bot token and scopes", True, f"{who}; {len(granted)} scopes granted")


def check_app_token(settings: Settings, client: WebClient) -> Check:
    if not settings.socket_mode:
        detail = "requests to /slack/events are verified with SLACK_SIGNING_SECRET"
        return Check("HTTP mode", True, detail)
    try:
        client.apps_connections_open(app_token=settings.slack_app_token)
    except SLACK_FAILURES as exc:
        fix = (
            "Create an app-level token with connections:write under Basic Information → "
            "App-Level Tokens, and turn Socket Mode on."
        )
        return Check("Socket Mode app token", False, _slack_error(exc), _slack_fix(exc, fix))
    return Check("Socket Mode app token", True, "apps.connections.open succeeded")


def check_drift_token(
    settings: Settings, drift: DriftClient, token_info: Callable[[], TokenInfo] | None = None
) -> Check:
    try:
        info = (token_info or drift.token_info)()
    except DriftTransportError as exc:
        return Check("Drift", False, f"Drift could not be reached ({exc})", DRIFT_NETWORK_FIX)
    except DriftError as exc:
        return Check(
            "Drift token", False, str(exc), "Copy the access token from dev.drift.com → your app."
        )
    missing = sorted(set(REQUIRED_DRIFT_SCOPES) - set(info.scopes))
    if missing:
        return Check(
            "Drift token scopes",
            False,
            f"org {info.org_id}: missing {', '.join(missing)}",
            "Add the scopes at dev.drift.com → your app → OAuth & Permissions, then "
            "reinstall it and use the NEW token (old tokens keep the old scopes).",
        )
    detail = f"org {info.org_id}; {' '.join(sorted(info.scopes))}"
    optional = sorted(set(OPTIONAL_DRIFT_SCOPES) - set(info.scopes))
    if optional:
        lost = "; ".join(
            f"without {scope}, {WITHOUT_OPTIONAL_DRIFT_SCOPE[scope]}" for scope in optional
        )
        detail += f" ({lost})"
    return Check("Drift token and scopes", True, detail)


def check_user_mapping(client: WebClient, users: UserDirectory) -> Check:
    try:
        members = [
            member
            for page in client.users_list(limit=200)
            for member in page.get("members", [])
            if not member.get("is_bot")
            and not member.get("deleted")
            and member.get("id") != "USLACKBOT"
        ]
        unmapped = [
            (member.get("profile") or {}).get("email") or member.get("name") or member["id"]
            for member in members
            if users.override_for(member["id"]) is None
            and users.find_by_email((member.get("profile") or {}).get("email") or "") is None
        ]
    except SLACK_FAILURES as exc:
        fix = _slack_fix(exc, f"Check users:read; {REINSTALL}.")
        return Check("Slack → Drift user mapping", False, _slack_error(exc), fix)
    except DriftError as exc:
        return Check(
            "Slack → Drift user mapping",
            False,
            str(exc),
            "Check the Drift token's user_read scope.",
        )
    mapped = len(members) - len(unmapped)
    detail = f"{mapped} of {len(members)} Slack members map to Drift users"
    if unmapped:
        listed = ", ".join(str(name) for name in unmapped[:MAX_LISTED])
        more = f" and {len(unmapped) - MAX_LISTED} more" if len(unmapped) > MAX_LISTED else ""
        detail += f" (not mapped: {listed}{more}; their conversations are created unassigned)"
    return Check("Slack → Drift user mapping", True, detail)


def run_checks(settings: Settings, client: WebClient, drift: DriftClient) -> list[Check]:
    users = UserDirectory(
        drift, ttl=settings.drift_users_cache_ttl, overrides=settings.drift_user_map
    )
    token_info = _once(drift.token_info)  # one POST /app/token_info for both checks
    checks: list[Callable[[], Check]] = [
        lambda: Check("Settings", True, "Socket Mode" if settings.socket_mode else "HTTP mode"),
        lambda: check_slack_token(client),
        lambda: check_app_token(settings, client),
        lambda: check_drift_token(settings, drift, token_info),
        lambda: check_user_mapping(client, users),
        lambda: Check("Database (DRIFT_OPEN_DB)", *check_database(settings)),
        lambda: check_sync(settings, token_info),
    ]
    return [check() for check in checks]


def _once(call: Callable[[], TokenInfo]) -> Callable[[], TokenInfo]:
    """`call` made at most once: its answer, or its error, is repeated to later callers (an
    unreachable Drift is waited for once, not once per check)."""
    outcome: list[TokenInfo | DriftError] = []

    def repeat() -> TokenInfo:
        if not outcome:
            try:
                outcome.append(call())
            except DriftError as exc:
                outcome.append(exc)
        result = outcome[0]
        if isinstance(result, DriftError):
            raise result
        return result

    return repeat


def print_checklist(checks: list[Check], out: TextIO) -> None:
    for check in checks:
        mark = "✓" if check.ok else "✗"
        print(f"{mark} {check.name}: {check.detail}", file=out)
        if not check.ok and check.fix:
            print(f"    fix: {check.fix}", file=out)
        if check.warning:
            print(f"    warning: {check.warning}", file=out)
    failed = sum(not check.ok for check in checks)
    print(f"doctor: {len(checks) - failed} of {len(checks)} checks passed", file=out)


def run_doctor(settings: Settings, out: TextIO | None = None, problems: Sequence[str] = ()) -> int:
    """Run every check against the configured Slack and Drift; 0 when all pass. `problems`
    (from a lenient settings load) are listed first; what they prevent is marked unchecked."""
    import sys

    client = WebClient(
        token=settings.slack_bot_token, base_url=settings.slack_api_base_url, timeout=10
    )
    settings_check = [Check("Settings", False, problem, "") for problem in problems]
    with (
        quiet_libraries(),
        DriftClient(settings.drift_api_base_url, settings.drift_access_token) as drift,
    ):
        checks = settings_check + [
            _unchecked_when_missing(check, settings)
            for check in run_checks(settings, client, drift)
        ]
    print_checklist(checks, out or sys.stdout)
    return 0 if all(check.ok for check in checks) else 1


def _unchecked_when_missing(check: Check, settings: Settings) -> Check:
    """A check whose credential is not set says so instead of reporting Slack's refusal."""
    needs = {
        "Slack": settings.slack_bot_token,
        "Socket": settings.slack_app_token or "http",
        "Drift": settings.drift_access_token,
    }
    for prefix, value in needs.items():
        if check.name.startswith(prefix) and not value:
            return Check(check.name, False, "not checked: its setting is missing", "")
    return check


def _slack_error(exc: Exception) -> str:
    if slack_was_reached(exc):
        return f"Slack answered {slack_error_code(exc)}"
    return f"Slack could not be reached ({type(exc).__name__}: DNS, connection refused or timeout)"


def _slack_fix(exc: Exception, credential_fix: str) -> str:
    """A refused credential needs a new token; an unreachable Slack needs the network."""
    return credential_fix if slack_was_reached(exc) else SLACK_NETWORK_FIX
