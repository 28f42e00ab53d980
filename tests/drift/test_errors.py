"""Tests for drift/error_mapping.py: response and exception mapping, Retry-After, redaction."""

from __future__ import annotations

from datetime import UTC, datetime
from http.client import RemoteDisconnected

import pytest
import requests
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from drift.error_mapping import (
    error_from_exception,
    error_from_response,
    never_reached_drift,
    parse_retry_after,
)
from drift.errors import (
    DriftAPIError,
    DriftAuthError,
    DriftConnectionError,
    DriftDroppedError,
    DriftNotFoundError,
    DriftRateLimitError,
    DriftServerError,
    DriftTimeoutError,
    DriftValidationError,
)
from drift.transport import TLSHandshakeError
from handlers.ui.drift_errors import drift_error_message
from tests.drift.conftest import TOKEN

URL = "/conversations/new"


def _refused() -> requests.ConnectionError:
    reason = NewConnectionError(None, "Failed to establish a new connection: refused")
    return requests.ConnectionError(MaxRetryError(None, URL, reason))


def _dns_failure() -> requests.ConnectionError:
    reason = NameResolutionError("driftapi.test", None, OSError("Name or service not known"))
    return requests.ConnectionError(MaxRetryError(None, URL, reason))


def _connect_timeout() -> requests.ConnectTimeout:
    reason = ConnectTimeoutError("connect timed out")
    return requests.ConnectTimeout(MaxRetryError(None, URL, reason))


def _read_timeout() -> requests.ReadTimeout:
    return requests.ReadTimeout(ReadTimeoutError(None, URL, "Read timed out."))


def _remote_disconnected() -> requests.ConnectionError:
    cause = RemoteDisconnected("Remote end closed connection without response")
    return requests.ConnectionError(ProtocolError("Connection aborted.", cause))


def _reset_after_send() -> requests.ConnectionError:
    cause = ConnectionResetError(104, "Connection reset by peer")
    return requests.ConnectionError(ProtocolError("Connection aborted.", cause))


def _chunked() -> requests.exceptions.ChunkedEncodingError:
    return requests.exceptions.ChunkedEncodingError(ProtocolError("Response ended prematurely"))


def _tls_handshake_failure() -> requests.exceptions.SSLError:
    reason = TLSHandshakeError(None, "TLS handshake failed: wrong version number")
    return requests.exceptions.SSLError(MaxRetryError(None, URL, reason))


def _tls_failure_after_sending() -> requests.exceptions.SSLError:
    reason = SSLError("decryption failed or bad record mac")
    return requests.exceptions.SSLError(MaxRetryError(None, URL, reason))


def _refusal_only_in_the_cause() -> requests.ConnectionError:
    """Not the shape requests builds (it wraps urllib3's error in args): not provably unsent."""
    try:
        try:
            raise NewConnectionError(None, "refused")
        except NewConnectionError as inner:
            raise requests.ConnectionError("wrapped") from inner
    except requests.ConnectionError as outer:
        return outer


@pytest.mark.parametrize(
    ("make_exception", "never_reached", "expected_class", "ambiguous"),
    [
        (_refused, True, DriftConnectionError, False),
        (_dns_failure, True, DriftConnectionError, False),
        (_connect_timeout, True, DriftConnectionError, False),
        (_tls_handshake_failure, True, DriftConnectionError, False),
        (_read_timeout, False, DriftTimeoutError, True),
        (_remote_disconnected, False, DriftDroppedError, True),
        (_reset_after_send, False, DriftDroppedError, True),
        (_chunked, False, DriftDroppedError, True),
        (_tls_failure_after_sending, False, DriftDroppedError, True),
        (_refusal_only_in_the_cause, False, DriftDroppedError, True),
        (lambda: requests.ConnectionError("unknown"), False, DriftDroppedError, True),
        (lambda: requests.exceptions.InvalidURL("bad"), False, DriftConnectionError, False),
    ],
)
def test_transport_exceptions_are_classified_by_what_urllib3_reports(
    make_exception, never_reached, expected_class, ambiguous
) -> None:
    exc = make_exception()

    error = error_from_exception(exc)

    assert never_reached_drift(exc) is never_reached
    assert type(error) is expected_class
    assert error.ambiguous is ambiguous


@pytest.mark.parametrize(
    ("status", "body", "expected_class", "error_type", "message"),
    [
        (
            400,
            {"error": {"type": "validation_error", "message": "email is invalid"}},
            DriftValidationError,
            "validation_error",
            "email is invalid",
        ),
        (401, {"errors": [{"type": "CONTACT-2", "message": "Unauthorized"}]}, DriftAuthError,
         "CONTACT-2", "Unauthorized"),
        (403, {"error": {"type": "authentication_error", "message": "Bad token"}},
         DriftAuthError, "authentication_error", "Bad token"),
        (404, {"error": {"type": "not_found", "message": "No such user"}}, DriftNotFoundError,
         "not_found", "No such user"),
        (409, {"message": "already exists"}, DriftAPIError, None, "already exists"),
        (429, {"error": {"type": "rate_limit", "message": "Slow down"}}, DriftRateLimitError,
         "rate_limit", "Slow down"),
        (500, {"error": "An error occurred while calling Drift.", "code": 500},
         DriftServerError, None, "An error occurred while calling Drift."),
        (502, "<html>Bad Gateway</html>", DriftServerError, None,
         "Bad Gateway (no details from Drift)"),
        (503, "", DriftServerError, None, "Service Unavailable"),
        (400, {"errors": [{"message": "a"}, {"message": "b"}]}, DriftValidationError, None,
         "a; b"),
    ],
)  # fmt: skip
def test_error_from_response_maps_status_and_body(
    make_response, status, body, expected_class, error_type, message
) -> None:
    error = error_from_response(make_response(status, body))

    assert type(error) is expected_class
    assert (error.status_code, error.error_type, error.message) == (status, error_type, message)


def test_an_html_error_page_reaches_the_log_not_the_rep(make_response, caplog) -> None:
    page = (
        "<html><h1>502</h1><pre>Traceback (most recent call last):\n"
        '  File "/srv/drift/gateway.py", line 12 upstream 10.0.3.7:8080</pre></html>'
    )
    error = error_from_response(make_response(502, page))

    assert error.message == "Bad Gateway (no details from Drift)"
    for leak in ("Traceback", "/srv/drift", "10.0.3.7", "<html>"):
        assert leak not in drift_error_message(error)
    assert "10.0.3.7" in caplog.text


def test_error_body_keeps_parsed_json_or_text(make_response) -> None:
    as_json = error_from_response(make_response(400, {"error": {"message": "x"}}))
    as_text = error_from_response(make_response(502, "gateway says no"))

    assert as_json.body == {"error": {"message": "x"}}
    assert as_text.body == "gateway says no"


@pytest.mark.parametrize(("method", "ambiguous"), [("GET", False), ("POST", True), ("PATCH", True)])
def test_server_errors_are_ambiguous_unless_the_method_is_safe(
    make_response, method, ambiguous
) -> None:
    error = error_from_response(make_response(500, "", method=method))

    assert error.ambiguous is ambiguous
    assert ("check Drift" in drift_error_message(error)) is ambiguous


@pytest.mark.parametrize(("headers", "retry_after"), [({"Retry-After": "7"}, 7.0), ({}, None)])
def test_rate_limit_error_carries_retry_after(make_response, headers, retry_after) -> None:
    error = error_from_response(make_response(429, "", headers=headers))

    assert isinstance(error, DriftRateLimitError)
    assert error.retry_after == retry_after
    assert error.ambiguous is False


def test_str_shows_status_type_and_message(make_response) -> None:
    body = {"error": {"type": "authentication_error", "message": "Bad token"}}

    error = error_from_response(make_response(403, body), scope="conversation_write")

    assert str(error) == (
        "HTTP 403 authentication_error: Bad token [needs scope conversation_write]"
    )


def test_token_echoed_in_an_error_body_is_redacted(make_response) -> None:
    body = {"error": {"type": "authentication_error", "message": f"token {TOKEN} revoked"}}

    error = error_from_response(make_response(403, body))

    for text in (str(error), drift_error_message(error), repr(error.body), repr(error)):
        assert TOKEN not in text
    assert error.message == "token [redacted] revoked"


NOW = datetime(2026, 1, 5, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("5", 5.0),
        (" 2.5 ", 2.5),
        ("0", 0.0),
        ("-3", 0.0),
        ("Mon, 05 Jan 2026 12:00:30 GMT", 30.0),
        ("Mon, 05 Jan 2026 11:00:00 GMT", 0.0),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, now=lambda: NOW) == seconds
