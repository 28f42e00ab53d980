"""Adding to an existing conversation: only one drift-open knows with the same contact."""

from __future__ import annotations

from storage.protocol import ConversationRecord, Store
from storage.records import Draft

TARGET_SCAN = 20
NOT_KNOWN = (
    "drift-open knows no such Drift conversation with this contact. Choose New conversation "
    "or one of those listed."
)
NO_DRIFT_USER = (
    "Your Slack account is not linked to a Drift user, so drift-open cannot write in that "
    "conversation as you. Choose New conversation, or ask an admin to map you in DRIFT_USER_MAP."
)


def known_target(store: Store, draft: Draft) -> ConversationRecord | None:
    """The record of conversation `draft.add_to` with `draft.email`, if drift-open knows it; a
    forged or stale choice (another contact's conversation) finds nothing."""
    if not draft.add_to:
        return None
    records = store.recent_for_contact(draft.origin.team_id, draft.email, limit=TARGET_SCAN)
    return next((r for r in records if r.conversation_id == draft.add_to), None)
