"""The DriftError hierarchy: typed errors with status, type, message and `ambiguous`, no wording.

Every error says whether Drift may have processed the request anyway (`ambiguous`). The
sentences shown to reps are chosen on the Slack side (`handlers/ui/drift_errors.py`); the
functions that build these errors from responses and exceptions are in `drift/error_mapping.py`.
"""

from __future__ import annotations


class DriftError(Exception):
    """Base class: anything that went wrong talking to Drift."""

    ambiguous_by_default = False

    def __init__(self, message: str, *, ambiguous: bool | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.ambiguous = self.ambiguous_by_default if ambiguous is None else ambiguous


class DriftProtocolError(DriftError):
    """Drift answered, but not with the JSON shape we expect."""


class DriftTransportError(DriftError):
    """The HTTP exchange itself failed; no usable response arrived."""


class DriftConnectionError(DriftTransportError):
    """The request never reached Drift (refused, DNS, connect timeout, TLS handshake, bad URL)."""


class DriftTimeoutError(DriftTransportError):
    """Drift accepted the request but did not answer in time."""

    ambiguous_by_default = True


class DriftDroppedError(DriftTransportError):
    """The connection broke after the request was sent (reset, closed, truncated answer)."""

    ambiguous_by_default = True


class DriftAPIError(DriftError):
    """Drift answered with a non-2xx status."""

    def __init__(
        self,
        status_code: int,
        error_type: str | None,
        message: str,
        body: object = None,
        *,
        ambiguous: bool | None = None,
    ) -> None:
        super().__init__(message, ambiguous=ambiguous)
        self.status_code = status_code
        self.error_type = error_type
        self.body = body

    def __str__(self) -> str:
        kind = f" {self.error_type}" if self.error_type else ""
        return f"HTTP {self.status_code}{kind}: {self.message}"


class DriftValidationError(DriftAPIError):
    """400: Drift says a field is missing or invalid."""


class DriftAuthError(DriftAPIError):
    """401/403: the token is invalid, revoked, or lacks a scope (`scope`: what the call needs)."""

    def __init__(
        self,
        status_code: int,
        error_type: str | None,
        message: str,
        body: object = None,
        *,
        scope: str | None = None,
    ) -> None:
        super().__init__(status_code, error_type, message, body)
        self.scope = scope

    def __str__(self) -> str:
        return super().__str__() + (f" [needs scope {self.scope}]" if self.scope else "")


class DriftNotFoundError(DriftAPIError):
    """404: the user, conversation or path does not exist."""


class DriftRateLimitError(DriftAPIError):
    """429: too many calls; `retry_after` is Drift's hint in seconds, if it gave one."""

    def __init__(
        self,
        status_code: int,
        error_type: str | None,
        message: str,
        body: object = None,
        *,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(status_code, error_type, message, body)
        self.retry_after = retry_after


class DriftServerError(DriftAPIError):
    """5xx: Drift (or a gateway in front of it) failed; ambiguous for anything but reads."""
