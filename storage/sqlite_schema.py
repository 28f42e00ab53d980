"""SqliteStore's schema: every statement is idempotent, so applying it upgrades any older file.

Version 1: submissions, conversations, drafts. Version 2 adds the outbox. Version 3 adds the
once-only marks (`seen`) and per-channel defaults.
"""

from __future__ import annotations

from dataclasses import fields

from storage.protocol import ConversationRecord
from storage.sqlite_channels import CHANNELS_SCHEMA

SCHEMA_VERSION = 3  # 2: the outbox; 3: seen, channel_defaults
TOUCH_BATCH = 500

RECORD_COLUMNS = ", ".join(field.name for field in fields(ConversationRecord))
RECORD_PLACEHOLDERS = ", ".join("?" for _ in fields(ConversationRecord))

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS submissions (
        key TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
        draft_json TEXT NOT NULL, attempts INTEGER NOT NULL,
        failure TEXT NOT NULL DEFAULT '', ambiguous INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL, updated_at REAL NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS submissions_by_state ON submissions (state, updated_at)",
    """CREATE TABLE IF NOT EXISTS conversations (
        id INTEGER PRIMARY KEY, submission_key TEXT NOT NULL UNIQUE,
        team_id TEXT NOT NULL, channel_id TEXT NOT NULL, message_ts TEXT NOT NULL,
        source TEXT NOT NULL, user_id TEXT NOT NULL, assignee_slack_id TEXT NOT NULL,
        assignee_drift_id INTEGER, contact_email TEXT NOT NULL,
        conversation_id INTEGER NOT NULL, inbox_id INTEGER NOT NULL, url TEXT NOT NULL,
        created_at REAL NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS conversations_by_message
        ON conversations (team_id, channel_id, message_ts, created_at)""",
    """CREATE INDEX IF NOT EXISTS conversations_by_user
        ON conversations (team_id, user_id, created_at)""",
    """CREATE TABLE IF NOT EXISTS drafts (
        id TEXT PRIMARY KEY, draft_json TEXT NOT NULL, created_at REAL NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS drafts_by_age ON drafts (created_at)",
    """CREATE TABLE IF NOT EXISTS outbox (
        key TEXT PRIMARY KEY, message_json TEXT NOT NULL,
        created_at REAL NOT NULL, touched_at REAL NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS outbox_by_touch ON outbox (touched_at)",
    *CHANNELS_SCHEMA,
)
