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
    "reactions:read": "the reaction_added event that opens the form from an emoji",
    "channels:history": "reading the reacted-to message in public channels",
    "groups:history": "reading the reacted-to message in private channels",
}

REQUIRED_DRIFT_SCOPES: dict[str, str] = {
    "conversation_write": "creating conversations (POST /conversations/new)",
    "user_read": "mapping Slack users to Drift users (GET /users/list)",
}

OPTIONAL_DRIFT_SCOPES: dict[str, str] = {
    "conversation_read": "cards for Drift links pasted in Slack (GET /conversations/{id})",
    "contact_read": "the contact's name on those cards (GET /contacts/{id})",
}
