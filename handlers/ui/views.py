"""Pure Block Kit builders for the modal in each of its states, and its private_metadata.

Also the outcome texts (`assignee_text`, `failure_text`) that handlers/messages.py reuses.
Nothing here does I/O. Every user-supplied string that goes into mrkdwn passes `mrkdwn_escape`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from handlers.ui import ids
from handlers.ui.blocks import (
    Block,
    Blocks,
    View,
    action_button,
    context,
    link_button,
    mrkdwn,
    mrkdwn_escape,
    plain,
    section,
)
from handlers.ui.outcomes import Created, Failed
from rendering.prefill import rich_text_is_empty
from storage.records import Draft, Origin

TITLE = "Open in Drift"
SUBMIT = "Create conversation"
MAX_METADATA_CHARS = 3000
CONTACT_EMAIL_NOTE = (
    "Drift may email the contact if the conversation stays unread, "
    "so write as if they will read it."
)


def encode_metadata(origin: Origin, nonce: str) -> str:
    """`private_metadata` for the form: the origin plus the submission nonce, compact JSON."""
    data = {"o": origin.to_dict(), "n": nonce}
    text = json.dumps(data, separators=(",", ":"))
    if len(text) > MAX_METADATA_CHARS:
        data["o"] = {k: v for k, v in origin.to_dict().items() if k != "response_url"}
        text = json.dumps(data, separators=(",", ":"))
    return text


def decode_metadata(text: str) -> tuple[Origin, str]:
    """Inverse of `encode_metadata`; raises ValueError on anything else."""
    data = json.loads(text or "{}")
    if not isinstance(data, dict) or not isinstance(data.get("o"), dict):
        raise ValueError("private_metadata does not hold an origin")
    return Origin.from_dict(data["o"]), str(data.get("n") or "")


def origin_line(origin: Origin) -> str:
    where = f"<#{origin.channel_id}>" if origin.channel_id else "Slack"
    if origin.source in ("shortcut", "reaction") and origin.author_id:
        return f"From a message by <@{origin.author_id}> in {where}. The answer goes in its thread."
    if origin.source in ("shortcut", "reaction"):
        return f"From a message in {where}. The answer goes in its thread."
    return f"The answer will be posted in {where}."


def build_form_view(
    draft: Draft,
    *,
    nonce: str,
    error: str = "",
    assignee_preview: str = "",
    ask_channel: bool = False,
    contact_blocks: Sequence[Block] = (),
    thread_blocks: Sequence[Block] = (),
) -> View:
    """The modal the rep fills in: contact email, message (rich text) and assignee;
    `contact_blocks` (what Drift knows of the contact) go under the email, `thread_blocks`
    under the message."""
    blocks: Blocks = []
    if error:
        blocks.append(section(f":warning: {mrkdwn_escape(error)}"))
    if not ask_channel:
        blocks.append(context(origin_line(draft.origin)))
    email_element: dict[str, Any] = {
        "type": "email_text_input",
        "action_id": ids.EMAIL_ACTION,
        "placeholder": plain("jane@acme.com"),
        "dispatch_action_config": {"trigger_actions_on": ["on_enter_pressed"]},
    }
    if draft.email:
        email_element["initial_value"] = draft.email
    message_element: dict[str, Any] = {"type": "rich_text_input", "action_id": ids.MESSAGE_ACTION}
    if draft.message and not rich_text_is_empty(draft.message):
        message_element["initial_value"] = draft.message
    assignee_element: dict[str, Any] = {
        "type": "users_select",
        "action_id": ids.ASSIGNEE_ACTION,
        "placeholder": plain("Choose a teammate"),
    }
    if draft.assignee_id:
        assignee_element["initial_user"] = draft.assignee_id
    if ask_channel:
        blocks.append(
            {
                "type": "input",
                "block_id": ids.CHANNEL_BLOCK,
                "label": plain("Answer in channel"),
                "element": {
                    "type": "conversations_select",
                    "action_id": ids.CHANNEL_ACTION,
                    "default_to_current_conversation": True,
                    "response_url_enabled": True,
                    "filter": {"include": ["public", "private"], "exclude_bot_users": True},
                },
            }
        )
    blocks.append(
        {
            "type": "input",
            "block_id": ids.EMAIL_BLOCK,
            "label": plain("Contact email"),
            "hint": plain(
                "The Drift contact is found, or created, by this address. "
                "Press Enter to see who it is in Drift."
            ),
            "dispatch_action": True,
            "element": email_element,
        }
    )
    blocks += contact_blocks
    blocks.append(
        {
            "type": "input",
            "block_id": ids.MESSAGE_BLOCK,
            "label": plain("Message"),
            "element": message_element,
        }
    )
    blocks += thread_blocks
    blocks += [
        {
            "type": "input",
            "block_id": ids.ASSIGNEE_BLOCK,
            "label": plain("Assign to"),
            "optional": True,
            "dispatch_action": True,
            "element": assignee_element,
        },
    ]
    if assignee_preview:
        blocks.append(
            {
                "type": "context",
                "block_id": ids.ASSIGNEE_PREVIEW_BLOCK,
                "elements": [mrkdwn(assignee_preview)],
            }
        )
    blocks.append(context(CONTACT_EMAIL_NOTE))
    return {
        "type": "modal",
        "callback_id": ids.FORM_CALLBACK_ID,
        "title": plain(TITLE),
        "submit": plain(SUBMIT),
        "close": plain("Cancel"),
        "private_metadata": encode_metadata(draft.origin, nonce),
        "blocks": blocks,
    }


def status_view(blocks: Blocks, callback_id: str = ids.STATUS_CALLBACK_ID) -> View:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(TITLE),
        "close": plain("Close"),
        "blocks": blocks,
    }


def build_creating_view(contact_email: str, *, adding: int = 0) -> View:
    """Shown right after submit, while the Drift call runs."""
    doing = (
        f"Adding to Drift conversation #{adding}" if adding else "Creating the Drift conversation"
    )
    return status_view(
        [
            section(f":hourglass_flowing_sand: {doing} with *{mrkdwn_escape(contact_email)}*…"),
            context("You can close this window: the link will also be posted in Slack."),
        ]
    )


def assignee_text(created: Created) -> str:
    if created.assignee_name:
        return f"assigned to *{mrkdwn_escape(created.assignee_name)}*"
    if created.assignee_slack_id:
        return f"assigned to <@{created.assignee_slack_id}>"
    reason = f" ({mrkdwn_escape(created.unassigned_reason)})" if created.unassigned_reason else ""
    return f"*unassigned*{reason}"


def build_created_view(created: Created) -> View:
    """The modal once the conversation exists."""
    if created.added:
        lead = "Already added" if created.duplicate else "Added"
        text = (
            f":white_check_mark: {lead} to the <{created.url}|Drift conversation> with "
            f"*{mrkdwn_escape(created.contact_email)}*."
        )
        return status_view([section(text, accessory=link_button(created.url))])
    lead = "Already created" if created.duplicate else "Created"
    return status_view(
        [
            section(
                f":white_check_mark: {lead}: <{created.url}|Drift conversation> with "
                f"*{mrkdwn_escape(created.contact_email)}*, {assignee_text(created)}.",
                accessory=link_button(created.url),
            )
        ]
    )


def failure_text(failed: Failed) -> str:
    email = mrkdwn_escape(failed.contact_email)
    if failed.adding and failed.ambiguous:
        head = (
            f":warning: Drift did not confirm your message to the conversation with *{email}*: "
            "it may or may not have been added. Check the conversation before trying again."
        )
    elif failed.adding:
        head = f":x: Your message was not added to the Drift conversation with *{email}*."
    elif failed.ambiguous:
        head = (
            ":warning: Drift did not confirm the conversation with "
            f"*{email}*: it may or may not have been created. "
            "Check the Drift inbox before trying again."
        )
    else:
        head = (
            f":x: The Drift conversation with *{mrkdwn_escape(failed.contact_email)}* "
            "was not created."
        )
    if failed.draft_id:
        keep = "What you typed is kept: *Try again* reopens it."
    else:
        keep = "Your text could not be kept, so here it is: copy it before you close this."
    return f"{head}\n{mrkdwn_escape(failed.reason)}\n{keep}"


def failure_blocks(failed: Failed) -> Blocks:
    """The failure sentence, then Try again, or the rep's own text when it could not be kept."""
    blocks: Blocks = [section(failure_text(failed))]
    if failed.draft_id:
        button = action_button(ids.RETRY_ACTION, "Try again", failed.draft_id, primary=True)
        blocks.append({"type": "actions", "elements": [button]})
    elif failed.unsaved_message and failed.unsaved_message.get("elements"):
        blocks.append(failed.unsaved_message)
    return blocks


def build_failed_view(failed: Failed) -> View:
    """The modal when creation failed, with Try again (which keeps the rep's input)."""
    return status_view(failure_blocks(failed))


def build_already_view(url: str, draft_id: str) -> View:
    """The shortcut on a message that already has a Drift conversation."""
    return status_view(
        [
            section(
                ":information_source: This message is already in Drift → "
                f"<{url}|open the conversation>.",
                accessory=link_button(url),
            ),
            {
                "type": "actions",
                "elements": [
                    action_button(ids.CREATE_ANOTHER_ACTION, "Create another anyway", draft_id)
                ],
            },
        ],
        ids.ALREADY_CALLBACK_ID,
    )
