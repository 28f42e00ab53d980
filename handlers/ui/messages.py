"""Pure Block Kit builders for what the app posts: channel, thread, DM and ephemeral messages.

Nothing here does I/O. Every user-supplied string that goes into mrkdwn passes `mrkdwn_escape`.
"""

from __future__ import annotations

from handlers.ui import ids
from handlers.ui.blocks import (
    Blocks,
    action_button,
    context,
    link_button,
    mrkdwn_escape,
    section,
)
from handlers.ui.outcomes import Created, Failed
from handlers.ui.views import assignee_text, failure_blocks

SYNCED_THREAD_NOTE = "Replies in this thread go to Drift as internal notes."


def build_created_message(
    created: Created, *, shared: bool = False, synced: bool = False
) -> tuple[str, Blocks]:
    """The answer posted in the thread (shortcut) or channel (command); in a channel `shared`
    with another organisation it names neither the contact nor the assignee. `synced` adds the
    line saying that replies in the thread become internal notes."""
    note = [context(SYNCED_THREAD_NOTE)] if synced else []
    if created.added:
        text, blocks = build_added_message(created, shared=shared)
        return text, [*blocks, *note]
    who = f"<@{created.rep_id}>" if created.rep_id else "A workflow"
    if shared:
        text = f"{who} opened a <{created.url}|Drift conversation>."
        fallback = f"Drift conversation: {created.url}"
        return fallback, [section(text, link_button(created.url)), *note]
    text = (
        f"{who} opened a <{created.url}|Drift conversation> with "
        f"*{mrkdwn_escape(created.contact_email)}*, {assignee_text(created)}."
    )
    fallback = f"Drift conversation with {created.contact_email}: {created.url}"
    return fallback, [section(text, accessory=link_button(created.url)), *note]


def build_mirrored_message(author: str, text: str) -> str:
    """A Drift message as posted into the linked thread: `author` and `text` are already
    escaped mrkdwn."""
    return f"*{author}:* {text}" if text else f"*{author}* sent a message with no text."


def build_sync_problem_message(problem: str) -> str:
    """Said once in the thread when Drift refused a note for good."""
    return f":warning: {problem}"


def build_added_message(created: Created, *, shared: bool = False) -> tuple[str, Blocks]:
    """The answer when the message went into an existing conversation."""
    link = f"<{created.url}|Drift conversation>"
    if shared:
        text = f"<@{created.rep_id}> added this to a {link} → <{created.url}|open it>."
        return f"Added to a Drift conversation: {created.url}", [
            section(text, link_button(created.url))
        ]
    email = mrkdwn_escape(created.contact_email)
    text = f"<@{created.rep_id}> added this to the {link} with *{email}* → <{created.url}|open it>."
    fallback = f"Added to the Drift conversation with {created.contact_email}: {created.url}"
    return fallback, [section(text, accessory=link_button(created.url))]


def build_failed_message(failed: Failed) -> tuple[str, Blocks]:
    """A failure told privately (ephemeral or DM), with Try again."""
    fallback = (
        f"The Drift conversation with {failed.contact_email} was not confirmed: {failed.reason}"
    )
    return fallback, failure_blocks(failed)


def build_too_long_message(length: int, limit: int) -> str:
    """The answer to a `/drift-open` whose inline text cannot fit a Drift message."""
    return (
        f"That text is {length:,} characters; a Drift message from here holds {limit:,}. "
        "Shorten it, or run the command without text and paste it into the form."
    )


def build_help_message() -> tuple[str, Blocks]:
    """The `/drift-open help` answer."""
    text = (
        "*Open a Drift conversation from Slack*\n"
        f"• `{ids.COMMAND}` opens a form: contact email, message, and who it is assigned to.\n"
        f"• `{ids.COMMAND} jane@acme.com Hi Jane, following up…` fills the form for you.\n"
        "• On any message: *⋯ → Open in Drift* copies the message (formatting kept) and answers "
        "in its thread.\n"
        "The link to the conversation is posted where you started. If something fails you get "
        "*Try again* with your text kept."
    )
    return "How to use /drift-open", [section(text)]


def build_refusal_message() -> str:
    """The polite answer to someone outside DRIFT_OPEN_ALLOWED_USERS / _CHANNELS."""
    return (
        "Sorry, drift-open is not enabled for you in this channel. "
        "Ask the person who installed it to add you (DRIFT_OPEN_ALLOWED_USERS / "
        "DRIFT_OPEN_ALLOWED_CHANNELS)."
    )


def build_reopen_message(draft_id: str) -> tuple[str, Blocks]:
    """Slack could not open the form in time: a button that opens it with the input kept."""
    text = (
        "Slack did not open the Drift form in time (this happens when Slack is slow). "
        "Your text is kept: open the form again."
    )
    return text, [
        section(f":hourglass: {text}"),
        {
            "type": "actions",
            "elements": [action_button(ids.RETRY_ACTION, "Open the form", draft_id, primary=True)],
        },
    ]


def build_step_error(failed: Failed) -> str:
    """The sentence a Workflow Builder step fails with (Slack shows it to the workflow's owner)."""
    reason = failed.reason.rstrip(".") + "."
    if failed.ambiguous:
        return (
            f"The Drift conversation with {failed.contact_email} may or may not exist: {reason} "
            "Check Drift before running the workflow again."
        )
    return f"No Drift conversation was created for {failed.contact_email}: {reason}"
