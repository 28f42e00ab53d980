"""SqliteStore's schema as versioned migrations (`PRAGMA user_version` holds the version).

Version 1: submissions, conversations, drafts. Version 2 adds the outbox. Version 3 adds sync:
thread links, mirrored message ids and their queue, and leases. Version 4 indexes
conversations by contact email. Version 5 adds once-only marks (`seen`) and per-channel
defaults. Statements are idempotent too, so a file made before
versioning upgrades in place.
"""

from __future__ import annotations

from dataclasses import fields

from storage.contact_queries import CONTACT_INDEX
from storage.migrations import Migration, latest_version
from storage.protocol import ConversationRecord
from storage.sqlite_channels import CHANNELS_SCHEMA

TOUCH_BATCH = 500

RECORD_COLUMNS = ", ".join(field.name for field in fields(ConversationRecord))
RECORD_PLACEHOLDERS = ", ".join("?" for _ in fields(ConversationRecord))

MIGRATIONS = (
    Migration(
        1,
        (
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
        ),
    ),
    Migration(
        2,
        (
            """CREATE TABLE IF NOT EXISTS outbox (
                key TEXT PRIMARY KEY, message_json TEXT NOT NULL,
                created_at REAL NOT NULL, touched_at REAL NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS outbox_by_touch ON outbox (touched_at)",
        ),
    ),
    Migration(
        3,
        (
            """CREATE TABLE IF NOT EXISTS thread_links (
                id INTEGER PRIMARY KEY, team_id TEXT NOT NULL, channel_id TEXT NOT NULL,
                thread_ts TEXT NOT NULL, conversation_id INTEGER NOT NULL,
                inbox_id INTEGER NOT NULL, linked_at REAL NOT NULL,
                cursor INTEGER NOT NULL DEFAULT 0, active_at REAL NOT NULL,
                polled_at REAL NOT NULL DEFAULT 0,
                UNIQUE (team_id, channel_id, thread_ts))""",
            """CREATE INDEX IF NOT EXISTS thread_links_by_conversation
                ON thread_links (conversation_id, linked_at)""",
            "CREATE INDEX IF NOT EXISTS thread_links_by_age ON thread_links (linked_at)",
            """CREATE TABLE IF NOT EXISTS mirror_keys (
                key TEXT PRIMARY KEY, created_at REAL NOT NULL)""",
            "CREATE INDEX IF NOT EXISTS mirror_keys_by_age ON mirror_keys (created_at)",
            """CREATE TABLE IF NOT EXISTS mirror_queue (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE,
                payload TEXT NOT NULL, created_at REAL NOT NULL,
                taken_at REAL NOT NULL DEFAULT 0)""",
            """CREATE TABLE IF NOT EXISTS leases (
                name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at REAL NOT NULL)""",
        ),
    ),
    Migration(4, (CONTACT_INDEX,)),
    Migration(5, CHANNELS_SCHEMA),
)
SCHEMA_VERSION = latest_version(MIGRATIONS)

LINK_COLUMNS = (
    "team_id, channel_id, thread_ts, conversation_id, inbox_id, linked_at, cursor, active_at,"
    " polled_at"
)
