"""Workflow Builder custom steps in the fake: `function_executed` events and functions.complete*.

Each execution gets a `function_execution_id` (Fx…) and a short-lived `bot_access_token`
(xwfp-…) that works like the bot token until the execution is finished. functions.completeSuccess
checks `outputs` against the step's `output_parameters` in manifest.yml
(`parameter_validation_failed`); functions.completeError needs a non-empty `error`
(`invalid_arguments`); either answers `function_execution_not_found` for an unknown id and
`execution_not_in_running_state` once the execution is finished (docs.slack.dev
reference/methods/functions.completeSuccess, functions.completeError, events/function_executed).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from tests.fakes import payloads
from tests.fakes.slack_directory import SlackMethodError

if TYPE_CHECKING:
    from tests.fakes.slack_api import FakeSlack

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"
SLACK_STRING_TYPES = frozenset(
    {"slack#/types/user_id", "slack#/types/channel_id", "slack#/types/message_ts"}
)


def manifest_functions(path: Path = MANIFEST) -> dict[str, dict[str, Any]]:
    """The `functions` section of the app's manifest: what Slack knows of its steps."""
    return dict(yaml.safe_load(path.read_text()).get("functions") or {})


@dataclass
class Execution:
    """One run of a step: its inputs, token, and how it was finished."""

    execution_id: str
    callback_id: str
    inputs: dict[str, Any]
    token: str
    state: str = "running"  # running | completed | failed
    outputs: dict[str, Any] | None = None
    error: str = ""


class FunctionRuns:
    """The executions of the app's steps, keyed by function_execution_id."""

    def __init__(self, definitions: dict[str, dict[str, Any]]) -> None:
        self.definitions = definitions
        self.executions: dict[str, Execution] = {}

    def start(self, callback_id: str, inputs: dict[str, Any]) -> Execution:
        definition = self.definitions[callback_id]
        for name, spec in (definition.get("input_parameters") or {}).items():
            if spec.get("is_required") and inputs.get(name) in (None, ""):
                raise ValueError(f"Workflow Builder requires the input {name!r}")
        execution = Execution(
            execution_id=f"Fx{secrets.token_hex(5).upper()}",
            callback_id=callback_id,
            inputs=dict(inputs),
            token=f"xwfp-{secrets.token_hex(12)}",
        )
        self.executions[execution.execution_id] = execution
        return execution

    def event(self, execution: Execution) -> dict[str, Any]:
        """The `function_executed` event for `execution` (the same one when Slack repeats it)."""
        definition = self.definitions[execution.callback_id]

        def parameters(kind: str) -> list[dict[str, Any]]:
            return [{"name": name, **spec} for name, spec in (definition.get(kind) or {}).items()]

        now = int(time.time())
        return {
            "type": "function_executed",
            "function": {
                "id": f"Fn{execution.callback_id.upper()[:8]}",
                "callback_id": execution.callback_id,
                "title": definition["title"],
                "description": definition["description"],
                "type": "app",
                "input_parameters": parameters("input_parameters"),
                "output_parameters": parameters("output_parameters"),
                "app_id": payloads.API_APP_ID,
                "date_created": now,
                "date_updated": now,
                "date_deleted": 0,
            },
            "inputs": execution.inputs,
            "function_execution_id": execution.execution_id,
            "workflow_execution_id": f"Wx{secrets.token_hex(5).upper()}",
            "event_ts": payloads.new_ts(),
            "bot_access_token": execution.token,
        }

    def running_token(self, token: str | None) -> bool:
        return any(e.token == token and e.state == "running" for e in self.executions.values())

    def running(self, params: dict[str, Any]) -> Execution:
        execution = self.executions.get(str(params.get("function_execution_id") or ""))
        if execution is None:
            raise SlackMethodError("function_execution_not_found")
        if execution.state != "running":
            raise SlackMethodError("execution_not_in_running_state")
        return execution

    def output_problems(self, execution: Execution, outputs: Any) -> list[str]:
        declared = self.definitions[execution.callback_id].get("output_parameters") or {}
        if not isinstance(outputs, dict):
            return ["outputs must be an object"]
        problems = [f"unknown output {name!r}" for name in outputs if name not in declared]
        for name, spec in declared.items():
            if name not in outputs:
                if spec.get("is_required"):
                    problems.append(f"missing required output {name!r}")
                continue
            if not _fits(spec["type"], outputs[name]):
                problems.append(f"output {name!r} is not of type {spec['type']}")
        return problems


def _fits(kind: str, value: Any) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "string" or kind in SLACK_STRING_TYPES:
        return isinstance(value, str)
    return True


def functions_complete_success(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    runs = fake.functions
    execution = runs.running(params)
    problems = runs.output_problems(execution, params.get("outputs"))
    if problems:
        raise SlackMethodError("parameter_validation_failed", errors=problems)
    execution.state, execution.outputs = "completed", dict(params["outputs"])
    return {}


def functions_complete_error(fake: FakeSlack, params: dict[str, Any]) -> dict[str, Any]:
    execution = fake.functions.running(params)
    error = params.get("error")
    if not isinstance(error, str) or not error.strip():
        raise SlackMethodError("invalid_arguments")
    execution.state, execution.error = "failed", error
    return {}
