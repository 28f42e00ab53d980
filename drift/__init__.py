"""The Drift REST API: the client, its typed errors, models and the cached user directory."""

from __future__ import annotations

from drift.client import DriftClient
from drift.error_mapping import error_from_exception, error_from_response
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
    DriftTransportError,
    DriftValidationError,
)
from drift.models import Conversation, DriftUser, TokenInfo
from drift.users import UserDirectory, parse_user_map

__all__ = [
    "Conversation",
    "DriftAPIError",
    "DriftAuthError",
    "DriftClient",
    "DriftConnectionError",
    "DriftDroppedError",
    "DriftError",
    "DriftNotFoundError",
    "DriftProtocolError",
    "DriftRateLimitError",
    "DriftServerError",
    "DriftTimeoutError",
    "DriftTransportError",
    "DriftUser",
    "DriftValidationError",
    "TokenInfo",
    "UserDirectory",
    "error_from_exception",
    "error_from_response",
    "parse_user_map",
]
