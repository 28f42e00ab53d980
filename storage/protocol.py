"""State that must survive a restart: submissions, created conversations and saved drafts.

`Store` is the interface the handlers use, with the values it deals in (`Claim`,
`ConversationRecord`, `StaleSubmission`); `SqliteStore` in storage/sqlite.py implements it
on one SQLite file.

Submission states (one row per submission key), and what `claim(key)` answers:

    no row                    -> row becomes "pending"; Claim("new")
    "pending", fresh          -> Claim("pending"): another worker is on it
    "pending", stale          -> row becomes "failed" + ambiguous; Claim("failed", ambiguous)
                                 (stale: not touched for `stale_after` seconds, default 6)
    "failed", not ambiguous   -> row renewed to "pending", attempts + 1;
                                 Claim("new", failure=<the earlier reason>)
    "failed", ambiguous       -> Claim("failed", ambiguous): never retried under this key
    "done"                    -> Claim("done", record=<the conversation>)

Ownership: the process that claimed a row keeps it alive with `touch(keys)` every couple of
seconds for as long as it works on it, however long Drift or Slack make it wait, so a row goes
stale only when its owner is gone (a crash, a kill -9, a lost host), never while it is alive.
A pending row goes stale when its worker vanished (crash, restart) without recording an outcome:
the conversation may or may not exist, so it counts as an ambiguous failure. Nothing retries an
ambiguous failure by itself; the user decides, and "Try again" / "Create another anyway" take
over explicitly by claiming a NEW key. `expire_stale()` does the same conversion in bulk (for a
startup sweep that tells each rep what happened). A worker that outlives its stale claim still
records the truth: `complete()` always wins, `fail()` never overwrites "done".

Outbox: telling the rep is a durable step too. `complete()` and `fail()` take the message to
deliver (`outbox`, an opaque JSON string the flow writes and reads) and record it in the same
transaction as the outcome; `delivered(key)` removes it once Slack accepted it. An entry whose
owner stopped touching it (the same heartbeat as pending rows) is handed out again by
`take_undelivered()`, so a kill -9 between Drift's answer and Slack's is finished after the
restart. Delivery is at least once: a crash after Slack accepted but before `delivered()` repeats
the same message, never a different one.

Sync (the linked thread, mirrored messages, the poller's lease): `link_thread` records which
Slack thread belongs to which Drift conversation when the answer is posted; `thread_link` /
`conversation_link` find it from either side; `recent_links(max_age)` lists what the poller
watches and `advance_cursor` keeps, per conversation, the newest Drift message already seen.
`enqueue_mirror(key, payload)` records a message to mirror under its source id (a Slack ts or
a Drift message id) and answers False when that id was ever seen before, so a retried event
is never mirrored twice; an empty payload only marks the id as seen (the app's own posts).
`take_mirrors` hands out the oldest queued messages in the order they were recorded, up to
the first one a taker still holds fresh (same stale_after as the outbox): nothing overtakes a
message being sent; and `finish_mirror` removes one
once the other side took it (or refused it for good). `hold_lease(name, holder, ttl)`
acquires or renews a lease and answers whether `holder` has it: with several replicas exactly
one polls Drift and sends the queue. In PostgreSQL: `INSERT ... ON CONFLICT (name) DO UPDATE
... WHERE leases.holder = excluded.holder OR leases.expires_at <= now() RETURNING holder`.

Once-only marks and channel defaults: `first_time(key)` is True for exactly one caller across
every replica (INSERT ... ON CONFLICT DO NOTHING and whether a row was inserted); marks are kept
for DRAFT_TTL_SECONDS. `channel_defaults` / `set_channel_defaults` keep one row per (team,
channel); a None argument leaves that value as it is, so two admins setting different values
never undo each other (one upsert with COALESCE).

Several replicas: a shared database implements the same Protocol. In PostgreSQL, claim is
`INSERT INTO submissions ... VALUES (...) ON CONFLICT (key) DO NOTHING RETURNING key`; a row
back means "new", otherwise `SELECT ... FOR UPDATE` the row in the same transaction and apply
the table above (renewal is `UPDATE ... WHERE state = 'failed' AND NOT ambiguous`). complete()
inserts the conversation (`ON CONFLICT (submission_key) DO NOTHING`) and marks the submission
done in one transaction; expire_stale() is `UPDATE ... WHERE state = 'pending' AND updated_at
<= now() - interval ... RETURNING key, draft_json`. Use the database's `now()` rather than each
replica's clock, and a connection pool instead of SqliteStore's lock. recent_for_contact matches
`lower(contact_email) = lower($2)` (an expression index on team_id, lower(contact_email),
created_at) and keeps one record per Drift conversation: the first, ordered by the newest.
Drafts live in the same database so "Try again" works on whichever replica Slack reaches.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal, Protocol

from storage.records import Draft

DRAFT_TTL_SECONDS = 7 * 24 * 3600.0
STALE_AFTER_SECONDS = 6.0
MAX_DRAFT_ID_LENGTH = 64
STALE_FAILURE = "No outcome was recorded in time; the conversation may or may not exist."

ClaimState = Literal["new", "pending", "done", "failed"]


@dataclass(frozen=True)
class ConversationRecord:
    """One Drift conversation created from Slack (message_ts is "" for a slash command)."""

    team_id: str
    channel_id: str
    message_ts: str
    source: str
    user_id: str
    assignee_slack_id: str
    assignee_drift_id: int | None
    contact_email: str
    conversation_id: int
    inbox_id: int
    url: str
    created_at: float
    submission_key: str


@dataclass(frozen=True)
class Claim:
    """The answer to `Store.claim`; `failure` is the reason of an earlier failed attempt."""

    state: ClaimState
    record: ConversationRecord | None = None
    failure: str = ""
    ambiguous: bool = False
    attempts: int = 0


@dataclass(frozen=True)
class ChannelDefaults:
    """What the form starts with in one channel: the assignee last chosen there, and the
    label a channel admin gave its conversations' integration source ("" when unset)."""

    assignee_id: str = ""
    source_label: str = ""


@dataclass(frozen=True)
class StaleSubmission:
    """A submission whose worker vanished: what the rep asked for, to tell them about it."""

    key: str
    draft: Draft


@dataclass(frozen=True)
class Undelivered:
    """An outcome recorded but not yet told, whose owner is gone: the message to deliver."""

    key: str
    outbox: str


@dataclass(frozen=True)
class ThreadLink:
    """A Slack thread and the Drift conversation it mirrors; `cursor` is the createdAt (ms) of
    the newest Drift message already seen, `active_at` when either side last spoke."""

    team_id: str
    channel_id: str
    thread_ts: str
    conversation_id: int
    inbox_id: int
    linked_at: float = 0.0
    cursor: int = 0
    active_at: float = 0.0
    polled_at: float = 0.0


@dataclass(frozen=True)
class Mirror:
    """A message waiting to be mirrored: its source id and the opaque payload the flow wrote."""

    key: str
    payload: str


class Store(Protocol):
    """Submissions (at most once), conversations created, and drafts kept for "Try again"."""

    def claim(self, key: str, draft: Draft) -> Claim: ...
    def complete(self, key: str, record: ConversationRecord, *, outbox: str = "") -> None: ...
    def fail(self, key: str, reason: str, *, ambiguous: bool, outbox: str = "") -> None: ...
    def delivered(self, key: str) -> None: ...
    def take_undelivered(self) -> list[Undelivered]: ...
    def touch(self, keys: Collection[str]) -> None: ...
    def expire_stale(self) -> list[StaleSubmission]: ...
    def find_by_message(
        self, team_id: str, channel_id: str, message_ts: str
    ) -> ConversationRecord | None: ...
    def recent_for_user(
        self, team_id: str, user_id: str, limit: int = 20
    ) -> list[ConversationRecord]: ...
    def recent_for_contact(
        self, team_id: str, email: str, limit: int = 5
    ) -> list[ConversationRecord]: ...
    def save_draft(self, draft: Draft) -> str: ...
    def load_draft(self, draft_id: str) -> Draft | None: ...
    def link_thread(self, link: ThreadLink) -> None: ...
    def thread_link(self, team_id: str, channel_id: str, thread_ts: str) -> ThreadLink | None: ...
    def conversation_link(self, conversation_id: int) -> ThreadLink | None: ...
    def recent_links(self, max_age: float) -> list[ThreadLink]: ...
    def advance_cursor(self, conversation_id: int, cursor: int, *, active: bool) -> None: ...
    def enqueue_mirror(self, key: str, payload: str) -> bool: ...
    def take_mirrors(self, limit: int = 20) -> list[Mirror]: ...
    def finish_mirror(self, key: str) -> None: ...
    def hold_lease(self, name: str, holder: str, ttl: float) -> bool: ...
    def first_time(self, key: str) -> bool: ...
    def channel_defaults(self, team_id: str, channel_id: str) -> ChannelDefaults: ...
    def set_channel_defaults(
        self,
        team_id: str,
        channel_id: str,
        *,
        assignee_id: str | None = None,
        source_label: str | None = None,
    ) -> None: ...
    def problem(self) -> str: ...
    def close(self) -> None: ...
