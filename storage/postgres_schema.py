"""PostgresStore's schema as versioned migrations, applied under an advisory lock.

The versions match SqliteStore's (storage/sqlite_schema.py): 1 submissions, conversations and
drafts; 2 the outbox; 3 the thread sync (links, mirrored ids and their queue, leases); 4 the
index of conversations by contact; 5 once-only marks and per-channel defaults. Times are
epoch seconds (double precision), as in SQLite.
"""

from __future__ import annotations

from dataclasses import fields

import psycopg
from psycopg.rows import TupleRow

from storage.contact_queries import CONTACT_INDEX
from storage.migrations import Migration, latest_version, migrations_after
from storage.protocol import ConversationRecord, ThreadLink

# Any constant works; replicas starting together queue on it, so one migrates at a time.
MIGRATION_LOCK = 0x0D51F7_0BE4

RECORD_COLUMNS = ", ".join(field.name for field in fields(ConversationRecord))
RECORD_PLACEHOLDERS = ", ".join(f"%({field.name})s" for field in fields(ConversationRecord))
LINK_COLUMNS = ", ".join(field.name for field in fields(ThreadLink))

VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)"

CHANNELS_SCHEMA = (
    "CREATE TABLE seen (key text PRIMARY KEY, created_at double precision NOT NULL)",
    "CREATE INDEX seen_by_age ON seen (created_at)",
    """CREATE TABLE channel_defaults (
                team_id text NOT NULL, channel_id text NOT NULL,
                assignee_id text NOT NULL DEFAULT '', source_label text NOT NULL DEFAULT '',
                updated_at double precision NOT NULL, PRIMARY KEY (team_id, channel_id))""",
)

MIGRATIONS = (
    Migration(
        1,
        (
            """CREATE TABLE submissions (
                key text PRIMARY KEY,
                state text NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
                draft_json text NOT NULL, attempts integer NOT NULL,
                failure text NOT NULL DEFAULT '', ambiguous boolean NOT NULL DEFAULT false,
                created_at double precision NOT NULL, updated_at double precision NOT NULL)""",
            "CREATE INDEX submissions_by_state ON submissions (state, updated_at)",
            """CREATE TABLE conversations (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                submission_key text NOT NULL UNIQUE,
                team_id text NOT NULL, channel_id text NOT NULL, message_ts text NOT NULL,
                source text NOT NULL, user_id text NOT NULL, assignee_slack_id text NOT NULL,
                assignee_drift_id bigint, contact_email text NOT NULL,
                conversation_id bigint NOT NULL, inbox_id bigint NOT NULL, url text NOT NULL,
                created_at double precision NOT NULL)""",
            """CREATE INDEX conversations_by_message
                ON conversations (team_id, channel_id, message_ts, created_at)""",
            "CREATE INDEX conversations_by_user ON conversations (team_id, user_id, created_at)",
            """CREATE TABLE drafts (
                id text PRIMARY KEY, draft_json text NOT NULL,
                created_at double precision NOT NULL)""",
            "CREATE INDEX drafts_by_age ON drafts (created_at)",
        ),
    ),
    Migration(
        2,
        (
            """CREATE TABLE outbox (
                key text PRIMARY KEY, message_json text NOT NULL,
                created_at double precision NOT NULL, touched_at double precision NOT NULL)""",
            "CREATE INDEX outbox_by_touch ON outbox (touched_at)",
        ),
    ),
    Migration(
        3,
        (
            """CREATE TABLE thread_links (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                team_id text NOT NULL, channel_id text NOT NULL, thread_ts text NOT NULL,
                conversation_id bigint NOT NULL, inbox_id bigint NOT NULL,
                linked_at double precision NOT NULL, cursor bigint NOT NULL DEFAULT 0,
                active_at double precision NOT NULL,
                polled_at double precision NOT NULL DEFAULT 0,
                UNIQUE (team_id, channel_id, thread_ts))""",
            """CREATE INDEX thread_links_by_conversation
                ON thread_links (conversation_id, linked_at)""",
            "CREATE INDEX thread_links_by_age ON thread_links (linked_at)",
            "CREATE TABLE mirror_keys (key text PRIMARY KEY, created_at double precision NOT NULL)",
            "CREATE INDEX mirror_keys_by_age ON mirror_keys (created_at)",
            """CREATE TABLE mirror_queue (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, key text NOT NULL UNIQUE,
                payload text NOT NULL, created_at double precision NOT NULL,
                taken_at double precision NOT NULL DEFAULT 0)""",
            """CREATE TABLE leases (
                name text PRIMARY KEY, holder text NOT NULL,
                expires_at double precision NOT NULL)""",
        ),
    ),
    Migration(4, (CONTACT_INDEX,)),
    Migration(5, CHANNELS_SCHEMA),
)
SCHEMA_VERSION = latest_version(MIGRATIONS)


def migrate(connection: psycopg.Connection[TupleRow]) -> int:
    """Bring the schema up to date under an advisory lock; the version it ends at."""
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        connection.execute(VERSION_TABLE)
        row = connection.execute("SELECT max(version) FROM schema_version").fetchone()
        current = row[0] if row and row[0] is not None else 0
        pending = migrations_after(current, MIGRATIONS)
        for migration in pending:
            for statement in migration.statements:
                connection.execute(statement)
        if pending:
            connection.execute("DELETE FROM schema_version")
            connection.execute("INSERT INTO schema_version VALUES (%s)", (pending[-1].version,))
            return pending[-1].version
        return current
