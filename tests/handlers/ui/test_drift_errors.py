"""Tests for handlers/ui/drift_errors.py: the sentences a rep reads when Drift fails."""

from __future__ import annotations

import pytest

from drift.errors import (
    DriftAPIError,
    DriftAuthError,
    DriftConnectionError,
    DriftDroppedError,
    DriftError,
    DriftNotFoundError,
    DriftProtocolError,
    DriftRateLimitError,
    DriftServerError,
    DriftTimeoutError,
    DriftValidationError,
)
from handlers.ui.drift_errors import drift_error_message, users_list_problem

ERRORS = [
    DriftConnectionError("refused"),
    DriftTimeoutError("read timeout"),
    DriftDroppedError("reset"),
    DriftProtocolError("not json", ambiguous=True),
    DriftProtocolError("not json"),
    DriftValidationError(400, "validation_error", "email is invalid"),
    DriftAuthError(403, None, "no", scope="conversation_write"),
    DriftNotFoundError(404, "not_found", "no user 5"),
    DriftRateLimitError(429, "rate_limit", "slow", retry_after=4.0),
    DriftRateLimitError(429, "rate_limit", "slow"),
    DriftServerError(502, None, "bad gateway", ambiguous=True),
    DriftServerError(503, None, "unavailable", ambiguous=False),
    DriftAPIError(409, None, "already exists"),
    DriftError("anything else"),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda error: type(error).__name__)
def test_every_message_is_plain_and_matches_ambiguity(error: DriftError) -> None:
    message = drift_error_message(error)

    assert message.endswith(".")
    assert "  " not in message
    assert error.message not in message or isinstance(error, DriftAPIError)
    assert ("check Drift" in message) is error.ambiguous


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (DriftValidationError(400, None, "email is bad."), "invalid: email is bad. Check"),
        (DriftValidationError(400, None, "email is invalid"), "invalid: email is invalid. Check"),
        (DriftRateLimitError(429, None, "x", retry_after=4.0), "Try again in 4 seconds."),
        (DriftRateLimitError(429, None, "x"), "Try again in a minute."),
        (DriftConnectionError("TLS handshake failed"), "Couldn't reach Drift, so nothing was"),
        (DriftAuthError(403, None, "x", scope="conversation_write"), "lacks the conversation_wr"),
        (DriftAuthError(401, None, "x"), "lacks a scope it needs"),
        (DriftAuthError(401, None, "x"), "Ask your Drift admin"),
        (DriftServerError(503, None, "x", ambiguous=False), "(HTTP 503). Please try again"),
        (DriftNotFoundError(404, None, "no user 5"), "find what was asked for: no user 5."),
        (DriftAPIError(409, None, "already exists"), "(HTTP 409): already exists. If this"),
    ],
)
def test_messages_quote_what_helps_the_rep(error: DriftError, expected: str) -> None:
    assert expected in drift_error_message(error)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (DriftTimeoutError("slow"), "the Drift users list did not load in time"),
        (DriftAuthError(403, None, "no"), "the Drift token may not read the users list (user_rea"),
        (DriftDroppedError("reset"), "the Drift users list could not be loaded"),
    ],
)
def test_a_users_list_that_failed_says_what_happened_only(error: DriftError, reason: str) -> None:
    assert users_list_problem(error).startswith(reason)
    assert "check" not in reason.lower() and "try again" not in reason.lower()
