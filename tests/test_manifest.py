"""manifest.yml against the registered handlers, the scopes the code needs, and Slack's schema."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from handlers import register_handlers
from handlers.flow.outbox import step_outputs
from handlers.flow.step import STEP_INPUTS
from handlers.ui import ids
from handlers.ui.outcomes import Created
from runtime.scopes import REQUIRED_BOT_SCOPES
from runtime.settings import DEFAULT_DRIFT_APP_BASE_URL

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = Path("shared", "slack-manifest-schema", "manifest.schema.1.0.0.json")
SCHEMA = next(
    (folder / SCHEMA_PATH for folder in ROOT.parents if (folder / SCHEMA_PATH).exists()),
    ROOT.parent / SCHEMA_PATH,
)


class RecordingApp:
    """Stands in for a Bolt App and records what each handler module registers."""

    def __init__(self) -> None:
        self.registered: dict[str, set[str]] = defaultdict(set)

    def __getattr__(self, kind: str) -> Callable[[Any], Callable[[Any], Any]]:
        def listener(key: Any, **_options: Any) -> Callable[[Any], Any]:
            self.registered[kind].add(
                key if isinstance(key, str) else json.dumps(key, sort_keys=True)
            )
            return lambda handler: handler

        return listener


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


@pytest.fixture(scope="module")
def registered() -> dict[str, set[str]]:
    app = RecordingApp()
    register_handlers(app)  # type: ignore[arg-type]
    return app.registered


def test_slash_commands_match_registered_handlers(manifest, registered) -> None:
    commands = {entry["command"] for entry in manifest["features"]["slash_commands"]}
    assert commands == registered["command"] == {ids.COMMAND}


def test_shortcuts_match_registered_handlers(manifest, registered) -> None:
    shortcuts = manifest["features"]["shortcuts"]
    by_type: dict[str, set[str]] = defaultdict(set)
    for entry in shortcuts:
        by_type[entry["type"]].add(entry["callback_id"])
    assert by_type["message"] == registered["message_shortcut"]
    assert by_type["global"] == registered["global_shortcut"]
    assert ids.MESSAGE_SHORTCUT_CALLBACK_ID in by_type["message"]
    assert ids.SEND_TO_CUSTOMER_CALLBACK_ID in by_type["message"]


def test_bot_events_match_registered_handlers(manifest, registered) -> None:
    events = set(manifest["settings"].get("event_subscriptions", {}).get("bot_events", []))
    # `message` is one listener in Bolt and one subscription per kind of channel in Slack.
    expected = registered["event"] - {"message"}
    if "message" in registered["event"]:
        expected |= {"message.channels", "message.groups"}
    steps = {"function_executed"} if registered["function"] else set()
    assert events == expected | steps
    assert manifest["features"]["app_home"]["home_tab_enabled"] == ("app_home_opened" in events)


def test_unfurl_domains_are_the_drift_app_host(manifest, registered) -> None:
    host = urlsplit(DEFAULT_DRIFT_APP_BASE_URL).hostname
    assert manifest["features"]["unfurl_domains"] == [host]
    assert "link_shared" in registered["event"]


def test_workflow_steps_match_registered_handlers_and_their_code(manifest, registered) -> None:
    functions = manifest.get("functions") or {}
    assert set(functions) == registered["function"] == {ids.WORKFLOW_STEP_CALLBACK_ID}
    step = functions[ids.WORKFLOW_STEP_CALLBACK_ID]
    assert tuple(step["input_parameters"]) == STEP_INPUTS
    assert step["input_parameters"]["email"]["is_required"] is True
    outputs = step_outputs(Created(contact_email="a@b.co", url="https://x", rep_id=""))
    assert set(step["output_parameters"]) == set(outputs)
    # Custom steps run only in apps that can be deployed org-wide, on the app's own servers.
    assert manifest["settings"]["org_deploy_enabled"] is True
    assert manifest["settings"]["function_runtime"] == "remote"


def test_bot_scopes_are_exactly_the_ones_the_code_needs(manifest) -> None:
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == set(REQUIRED_BOT_SCOPES)


def test_socket_mode_and_interactivity_are_on(manifest) -> None:
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_modal_callback_ids_are_registered(registered) -> None:
    assert ids.FORM_CALLBACK_ID in registered["view_submission"]
    assert ids.SEND_CONFIRM_CALLBACK_ID in registered["view_submission"]


@pytest.mark.skipif(
    not SCHEMA.exists(), reason=f"Slack's manifest schema is not beside the checkout ({SCHEMA})"
)
def test_manifest_validates_against_slacks_published_schema(manifest) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text()))
    errors = sorted(f"{list(e.path)}: {e.message}" for e in validator.iter_errors(manifest))
    assert errors == []
