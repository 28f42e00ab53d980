"""What a rep is told when Drift fails: one plain sentence pair per typed DriftError.

The text is plain: escape it (`blocks.mrkdwn_escape`) before putting it into mrkdwn.
"""

from __future__ import annotations

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

CHECK_DRIFT = "It may have gone through anyway, so check Drift before you try again."
TRY_LATER = "Please try again in a minute."
TELL_ADMIN = "If this keeps happening, tell your Slack admin."
TELL_ADMIN_NOW = "Please tell your Slack admin."


def drift_error_message(error: DriftError) -> str:
    """What happened and what to do, in plain words for a sales rep."""
    happened, advice = _explain(error)
    return f"{happened} {CHECK_DRIFT if error.ambiguous else advice}"


def users_list_problem(error: DriftError) -> str:
    """Why nobody could be assigned when Drift's users list did not load: what happened only
    (the conversation itself was created, so there is nothing to check or retry)."""
    if isinstance(error, DriftTimeoutError):
        return "the Drift users list did not load in time"
    if isinstance(error, DriftAuthError):
        return "the Drift token may not read the users list (user_read)"
    return "the Drift users list could not be loaded"


def _explain(error: DriftError) -> tuple[str, str]:
    """(what happened, what to do when it surely did not go through)."""
    match error:
        case DriftValidationError():
            return (
                _sentence(f"Drift rejected the request as invalid: {error.message}"),
                "Check the email address and the message, then try again.",
            )
        case DriftAuthError():
            lacks = f"the {error.scope} scope" if error.scope else "a scope it needs"
            return (
                f"Drift rejected the app's access token, or the token lacks {lacks}.",
                "Ask your Drift admin to check the app's scopes at dev.drift.com, reinstall it "
                "and put the new token in the bot's settings. Nothing was sent.",
            )
        case DriftNotFoundError():
            return (
                _sentence(f"Drift could not find what was asked for: {error.message}"),
                "Check that it still exists in Drift.",
            )
        case DriftRateLimitError():
            wait = error.retry_after
            return (
                "Drift is limiting how fast this app can call it, so nothing was sent.",
                f"Try again {f'in {round(wait)} seconds' if wait else 'in a minute'}.",
            )
        case DriftServerError():
            return (
                f"Drift had a problem on its side (HTTP {error.status_code}).",
                "Please try again in a few minutes.",
            )
        case DriftAPIError():
            return (
                _sentence(f"Drift refused the request (HTTP {error.status_code}): {error.message}"),
                TELL_ADMIN,
            )
        case DriftProtocolError():
            return "Drift sent back an answer this app could not read.", TELL_ADMIN_NOW
        case DriftConnectionError():
            return (
                "Couldn't reach Drift, so nothing was sent.",
                "Try again in a minute; if it keeps happening, tell your Slack admin.",
            )
        case DriftTimeoutError():
            return "Drift took too long to answer.", TRY_LATER
        case DriftDroppedError():
            return "The connection to Drift broke before it answered.", TRY_LATER
    return "Something went wrong while talking to Drift.", TRY_LATER


def _sentence(text: str) -> str:
    return text if text.rstrip().endswith((".", "!", "?")) else text.rstrip() + "."
