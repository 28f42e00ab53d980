"""What went wrong in a Slack Web API call, in one word, for logs and the doctor."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError, SlackClientError

# Everything a WebClient call raises when Slack cannot be used: Slack's own refusals
# (SlackApiError is a SlackClientError) and the network's errors underneath.
SLACK_FAILURES = (SlackClientError, OSError)


def slack_error_code(exc: BaseException) -> str:
    """Slack's error code (`channel_not_found`), else its HTTP status, else the exception type."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or f"HTTP {exc.response.status_code}")
    return type(exc).__name__


def slack_was_reached(exc: BaseException) -> bool:
    """True when Slack answered (a refusal), False when it could not be reached at all."""
    return isinstance(exc, SlackApiError)
