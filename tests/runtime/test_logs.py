"""configure_logging: text or one JSON object per line, with tokens redacted everywhere."""

from __future__ import annotations

import json
import logging

import pytest

from runtime.logs import JsonFormatter, configure_logging
from runtime.settings import Settings

BOT_TOKEN = "xoxb-test-token-4242"
DRIFT_TOKEN = "drift-test-secret-9876"
SIGNING_SECRET = "signing-secret-abcdef"


pytestmark = pytest.mark.usefixtures("restore_root_logging")


def settings(**fields: str) -> Settings:
    return Settings(
        slack_bot_token=BOT_TOKEN,
        drift_access_token=DRIFT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        **fields,  # type: ignore[arg-type]
    )


def emit_sample_lines() -> None:
    log = logging.getLogger("handlers.flow.creation")
    log.info("conversation outcome=%s key=%s total_ms=%.0f", "created", "T1:V1:n", 12.3)
    log.warning("Drift said no to Bearer %s and %s", DRIFT_TOKEN, BOT_TOKEN)
    logging.getLogger("slack_sdk.web").debug("hidden at INFO: %s", BOT_TOKEN)
    try:
        raise RuntimeError(f"boom with {SIGNING_SECRET}")
    except RuntimeError:
        log.exception("Unexpected failure with %s", "ünïcode")


def test_json_lines_have_level_logger_message(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(settings(log_format="json"))
    emit_sample_lines()
    lines = capsys.readouterr().err.splitlines()
    entries = [json.loads(line) for line in lines]
    assert len(entries) == 3
    assert {(e["level"], e["logger"]) for e in entries} == {
        ("INFO", "handlers.flow.creation"),
        ("WARNING", "handlers.flow.creation"),
        ("ERROR", "handlers.flow.creation"),
    }
    assert entries[0]["message"] == "conversation outcome=created key=T1:V1:n total_ms=12"
    assert entries[0]["time"].endswith("+00:00")
    assert entries[2]["message"] == "Unexpected failure with ünïcode"
    assert "RuntimeError: boom with [redacted]" in entries[2]["exc"]


def test_json_lines_are_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(settings(log_format="json"))
    emit_sample_lines()
    output = capsys.readouterr().err
    for secret in (BOT_TOKEN, DRIFT_TOKEN, SIGNING_SECRET):
        assert secret not in output
    assert "Drift said no to Bearer [redacted] and [redacted]" in output


def test_text_format_and_level(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(settings(log_level="DEBUG"))
    emit_sample_lines()
    lines = capsys.readouterr().err.splitlines()
    assert " INFO handlers.flow.creation: conversation outcome=created " in lines[0]
    assert any("DEBUG slack_sdk.web: hidden at INFO: [redacted]" in line for line in lines)
    assert not any(BOT_TOKEN in line or SIGNING_SECRET in line for line in lines)
    with pytest.raises(json.JSONDecodeError):
        json.loads(lines[0])


def test_configuring_twice_keeps_one_handler(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(settings(log_format="json"))
    configure_logging(settings(log_format="json"))
    logging.getLogger("x").warning("once")
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_formatter_without_exception_has_no_exc_field() -> None:
    record = logging.LogRecord("n", logging.INFO, __file__, 1, "a %s", ("b",), None)
    assert set(json.loads(JsonFormatter().format(record))) == {"time", "level", "logger", "message"}
