"""The scopes drift-open needs, each with its reason; `manifest.yml` asks for exactly these."""

from __future__ import annotations

REQUIRED_BOT_SCOPES: dict[str, str] = {
    "commands": "the /drift-open command and the Open in Drift shortcut",
    "chat:write": "posting the answer in the thread, ephemeral notes and DMs",
    "chat:write.public": "answering in public channels the bot was not invited to",
    "users:read": "names of mentioned people and the assignee (users.info)",
    "users:read.email": "the assignee's email, to find their Drift user",
    "channels:read": "names of mentioned public channels (conversations.info)",
    "groups:read": "names of private channels the bot is in (conversations.info)",
    "usergroups:read": "names of mentioned user groups (usergroups.list)",
    "links:read": "seeing Drift conversation links posted in messages (link_shared)",
    "links:write": "showing a card for those links (chat.unfurl)",
    "channels:history": "replies in linked threads and the whole-thread import (public channels)",
    "groups:history": "replies in linked threads and the whole-thread import (private channels)",
    "reactions:read": "the reaction_added event that opens the form from an emoji",
}

REQUIRED_DRIFT_SCOPES: dict[str, str] = {
    "conversation_write": "creating conversations (POST /conversations/new)",
    "user_read": "mapping Slack users to Drift users (GET /users/list)",
}

SYNC_DRIFT_SCOPES: dict[str, str] = {
    "conversation_read": "Drift messages back into the thread (GET /conversations/{id}/messages)",
}

OPTIONAL_DRIFT_SCOPES: dict[str, str] = {
    "conversation_read": "cards for Drift links pasted in Slack (GET /conversations/{id})",
    "contact_read": (
        "the contact's name and company in the form (GET /contacts?email=) and on those cards"
    ),
}
"""Without one of these drift-open still creates conversations; `doctor` names what is lost."""

WITHOUT_OPTIONAL_DRIFT_SCOPE: dict[str, str] = {
    "conversation_read": "Drift links pasted in Slack unfurl to their number only",
    "contact_read": ("the form says the contact context is unavailable, and cards name no contact"),
}
