"""Building DriftErrors: from a non-2xx response, from a `requests` exception, and Retry-After.

`error_from_response` turns a non-2xx HTTP response into a `DriftAPIError`; `error_from_exception`
turns a `requests` transport exception into a `DriftTransportError`, `DriftConnectionError` only
when the request provably never reached Drift.
"""

from __future__ import annotations

import email.utils
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime

import requests
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError

from drift.errors import (
    DriftAPIError,
    DriftAuthError,
    DriftConnectionError,
    DriftDroppedError,
    DriftNotFoundError,
    DriftRateLimitError,
    DriftServerError,
    DriftTimeoutError,
    DriftTransportError,
    DriftValidationError,
)

_MAX_MESSAGE = 300
_MAX_BODY_TEXT = 2000
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_INVALID_REQUEST = (
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
    requests.exceptions.InvalidHeader,
)
logger = logging.getLogger(__name__)


def error_from_response(response: requests.Response, *, scope: str | None = None) -> DriftAPIError:
    """Map a non-2xx response to the matching DriftAPIError; `scope` names what the call needs."""
    text = _redact(response.text or "", _bearer_token(response))
    body: object = _parse_json(text)
    status = response.status_code
    if body is None:
        # An HTML error page from Drift or a proxy can name hosts, paths and tracebacks: the
        # detail goes to the log, the rep gets the status's name.
        body = text[:_MAX_BODY_TEXT]
        if text.strip():
            logger.warning("Drift answered HTTP %s with a non-JSON body: %.300r", status, text)
    error_type, message = _describe(body)
    if not message:
        reason = (response.reason or "").strip() or "no response body"
        message = f"{reason} (no details from Drift)" if text.strip() else reason
    args = (status, error_type, message, body)
    if status == 400:
        return DriftValidationError(*args)
    if status in (401, 403):
        return DriftAuthError(*args, scope=scope)
    if status == 404:
        return DriftNotFoundError(*args)
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return DriftRateLimitError(*args, retry_after=retry_after)
    if status >= 500:
        method = (response.request.method or "") if response.request is not None else ""
        return DriftServerError(*args, ambiguous=method.upper() not in _SAFE_METHODS)
    return DriftAPIError(*args)


def never_reached_drift(exc: requests.RequestException) -> bool:
    """True when urllib3 gave up while connecting, so no byte of the request was sent.

    requests raises ConnectTimeout, or wraps urllib3's MaxRetryError whose `reason` is a
    ConnectTimeoutError (refused and DNS failures are its subclasses, and so is the TLS handshake
    failure `drift/transport.py` raises). Any other shape may have reached Drift.
    """
    if isinstance(exc, requests.ConnectTimeout):
        return True
    inner = exc.args[0] if exc.args else None
    reason = inner.reason if isinstance(inner, MaxRetryError) else inner
    return isinstance(reason, ConnectTimeoutError)


def error_from_exception(exc: requests.RequestException) -> DriftTransportError:
    """Map a `requests` transport exception to the matching DriftTransportError."""
    detail = f"{type(exc).__name__}: {exc}"[:_MAX_MESSAGE]
    if never_reached_drift(exc) or isinstance(exc, _INVALID_REQUEST):
        return DriftConnectionError(detail)
    if isinstance(exc, requests.Timeout):
        return DriftTimeoutError(detail)
    return DriftDroppedError(detail)


def parse_retry_after(
    value: str | None, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if unusable."""
    if value is None or not value.strip():
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now()).total_seconds())


def _describe(body: object) -> tuple[str | None, str | None]:
    """(error type, message) from `{"error": {...}}`, `{"error": "..."}` or `{"errors": [...]}`."""
    if not isinstance(body, dict):
        return None, None
    error = body.get("error")
    if isinstance(error, dict):
        return _text(error.get("type")), _text(error.get("message"))
    if isinstance(error, str):
        return None, _text(error)
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        items = [item for item in errors if isinstance(item, dict)]
        messages = [m for m in (_text(item.get("message")) for item in items) if m]
        error_type = _text(items[0].get("type")) if items else None
        return error_type, "; ".join(messages)[:_MAX_MESSAGE] or None
    return None, _text(body.get("message"))


def _text(value: object) -> str | None:
    return str(value)[:_MAX_MESSAGE] if value not in (None, "") else None


def _parse_json(text: str) -> object:
    try:
        return json.loads(text) if text.strip() else None
    except ValueError:
        return None


def _bearer_token(response: requests.Response) -> str | None:
    request = response.request
    header = request.headers.get("Authorization", "") if request is not None else ""
    return header[len("Bearer ") :] if header.startswith("Bearer ") else None


def _redact(text: str, secret: str | None) -> str:
    return text.replace(secret, "[redacted]") if secret and len(secret) >= 8 else text
