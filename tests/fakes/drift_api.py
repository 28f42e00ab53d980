"""FakeDrift: a loopback Drift REST API (reached through DRIFT_API_BASE_URL) with fault injection.

Shapes follow drift-api.md: `{"data": ...}` envelopes, `POST /conversations/new` answered
unwrapped (the seed's example), errors as `{"error": {"type", "message"}}` with 403 for auth.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from tests.fakes.drift_endpoints import (
    CreatedConversation,
    DriftEndpoints,
    DriftFailure,
    error_reply,
)
from tests.fakes.drift_faults import Fault, FaultKind, FaultQueue
from tests.fakes.http import DROP, Drop, HttpReply, HttpRequest, LoopbackHttpServer
from tests.fakes.timing import Pauses, SharedState

T = TypeVar("T")

DEFAULT_SCOPES = frozenset({"conversation_read", "conversation_write", "user_read", "contact_read"})
DEFAULT_ORG_ID = 8675309


def drift_user(user_id: int, name: str, email: str, **fields: Any) -> dict[str, Any]:
    """A Drift user model (drift-api.md §2.4); unset fields are absent, as in Drift."""
    user: dict[str, Any] = {
        "id": user_id,
        "orgId": DEFAULT_ORG_ID,
        "name": name,
        "email": email,
        "locale": "en-US",
        "availability": "AVAILABLE",
        "role": "agent",
        "timeZone": "America/New_York",
        "avatarUrl": f"https://example.com/avatars/{user_id}.png",
        "verified": True,
        "bot": False,
        "createdAt": 1548700064840,
        "updatedAt": 1548700064840,
    }
    return {**user, **fields}


DEFAULT_USERS: tuple[dict[str, Any], ...] = (
    drift_user(21849, "Chris Agent", "chris@example.com", alias="Chris"),
    drift_user(21850, "Dana Admin", "Dana.Admin@example.com", role="admin", availability="OFFLINE"),
    drift_user(30001, "Driftbot", "bot@example.com", role="member", verified=False, bot=True),
)


@dataclass(frozen=True)
class DriftCall:
    method: str
    path: str
    token: str | None
    body: Any  # parsed JSON, or the raw text when the body was not JSON
    at: float
    status: int | None  # None when the connection was dropped
    fault: str | None  # the injected fault that shaped the answer, if any


class FakeDrift:
    """Start with `start()` or `with FakeDrift() as drift:`; point DriftClient at `base_url`."""

    def __init__(
        self,
        *,
        access_token: str = "drift-test-token",
        users: list[dict[str, Any]] | None = None,
        scopes: frozenset[str] = DEFAULT_SCOPES,
        org_id: int = DEFAULT_ORG_ID,
        inbox_id: int = 116983,
    ) -> None:
        self.access_token = access_token
        self.state = SharedState()
        self.faults = FaultQueue()
        self._pauses = Pauses()
        roster = [dict(user) for user in (DEFAULT_USERS if users is None else users)]
        self.endpoints = DriftEndpoints(
            access_token=access_token, users=roster, scopes=scopes, org_id=org_id, inbox_id=inbox_id
        )
        self._calls: list[DriftCall] = []
        self._server = LoopbackHttpServer(self._route)

    def start(self) -> FakeDrift:
        self._pauses.reopen()
        self._server.start()
        return self

    def stop(self) -> None:
        self._pauses.close()
        self._server.stop()

    def __enter__(self) -> FakeDrift:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return self._server.origin

    @property
    def server_errors(self) -> list[str]:
        return list(self._server.errors)

    # setup and faults ----------------------------------------------------------------------
    def add_user(self, user: dict[str, Any]) -> None:
        with self.state.changing():
            self.endpoints.users.append(dict(user))

    def add_contact(self, email: str, **attributes: Any) -> int:
        """A contact Drift already knows (name, company… as Contact attributes); its id."""
        with self.state.changing():
            contact_id = next(self.endpoints.contact_ids)
            self.endpoints.records.add_contact(contact_id, email, **attributes)
            return contact_id

    def fail_next(
        self,
        status: int,
        times: int = 1,
        *,
        path: str | None = None,
        retry_after: float | None = None,
        body: Any = None,
    ) -> None:
        """Answer the next `times` calls with `status` (Drift-style error body unless `body`:
        a dict is sent as JSON, a str as text/html). No Retry-After unless given."""
        self.faults.add(Fault(FaultKind.STATUS, times, path, status, retry_after, body))

    def drop_next(
        self, times: int = 1, *, path: str | None = None, after_processing: bool = False
    ) -> None:
        """Close the socket without answering; with `after_processing` the work is done first."""
        kind = FaultKind.DROP_AFTER if after_processing else FaultKind.DROP
        self.faults.add(Fault(kind, times, path))

    def delay_response_next(
        self, seconds: float, times: int = 1, *, path: str | None = None
    ) -> None:
        """Do the work, then answer only after `seconds` (past the client's read timeout)."""
        self.faults.add(Fault(FaultKind.LATE, times, path, seconds=seconds))

    def set_latency(self, seconds: float, path: str | None = None) -> None:
        """Delay every matching call before it is processed; 0 removes the latency."""
        self.faults.set_latency(seconds, path)

    def release(self) -> None:
        """Cut short every server-side delay in progress."""
        self._pauses.release()

    def reply(
        self, conversation_id: int, body: str, *, author: str = "contact", note: bool = False
    ) -> dict[str, Any]:
        """Someone writes in Drift (not through the API): the contact, or an agent (`author`
        "user", as the first agent; `note` for an internal note). The message, as Drift has it."""
        with self.state.changing():
            return self.endpoints.write(conversation_id, body, author=author, note=note)

    # records -------------------------------------------------------------------------------
    @property
    def calls(self) -> list[DriftCall]:
        with self.state.reading():
            return list(self._calls)

    def calls_to(self, method: str, path: str) -> list[DriftCall]:
        return [call for call in self.calls if call.method == method and call.path == path]

    @property
    def conversations(self) -> list[CreatedConversation]:
        with self.state.reading():
            return list(self.endpoints.conversations)

    @property
    def created_count(self) -> int:
        with self.state.reading():
            return len(self.endpoints.conversations)

    @property
    def messages(self) -> list[dict[str, Any]]:
        """Bodies posted to /conversations/{id}/messages, with `conversationId` added."""
        with self.state.reading():
            return list(self.endpoints.messages)

    def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        return self.state.wait_for(predicate, timeout)

    # serving -------------------------------------------------------------------------------
    def _route(self, request: HttpRequest) -> HttpReply | Drop:
        latency = self.faults.latency(request.path)
        if latency:
            self._pauses.sleep(latency)
        fault = self.faults.take(request.path)
        if fault is not None and fault.kind in (FaultKind.STATUS, FaultKind.DROP):
            reply: HttpReply | Drop = DROP if fault.kind is FaultKind.DROP else _fault_reply(fault)
            self._record(request, reply, fault)
            return reply
        with self.state.changing():
            try:
                reply = self.endpoints.answer(request)
            except DriftFailure as failure:
                reply = error_reply(failure.status, failure.error_type, failure.message)
        if fault is not None and fault.kind is FaultKind.DROP_AFTER:
            reply = DROP
        self._record(request, reply, fault)
        if fault is not None and fault.kind is FaultKind.LATE:
            self._pauses.sleep(fault.seconds)
        return reply

    def _record(self, request: HttpRequest, reply: HttpReply | Drop, fault: Fault | None) -> None:
        status = None if isinstance(reply, Drop) else reply.status
        call = DriftCall(
            request.method,
            request.path,
            request.bearer_token(),
            _body_of(request),
            time.monotonic(),
            status,
            fault.kind.value if fault is not None else None,
        )
        with self.state.changing():
            self._calls.append(call)


def _fault_reply(fault: Fault) -> HttpReply:
    headers = {} if fault.retry_after is None else {"Retry-After": _seconds(fault.retry_after)}
    if isinstance(fault.body, str):
        html = (("Content-Type", "text/html; charset=utf-8"), *headers.items())
        return HttpReply(fault.status, fault.body.encode("utf-8"), html)
    if fault.body is not None:
        return HttpReply.json(fault.status, fault.body, headers)
    default = error_reply(fault.status, _default_error_type(fault.status), "injected fault")
    return HttpReply(default.status, default.body, (*default.headers, *headers.items()))


def _default_error_type(status: int) -> str:
    known = {400: "validation_error", 401: "authentication_error", 403: "authentication_error"}
    known |= {404: "not_found", 429: "rate_limit"}
    return known.get(status, "internal_error" if status >= 500 else "error")


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _body_of(request: HttpRequest) -> Any:
    if not request.body:
        return None
    try:
        return request.json()
    except ValueError:
        return request.body.decode("utf-8", "replace")
