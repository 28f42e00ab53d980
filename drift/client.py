"""DriftClient: the one place that talks HTTP to the Drift REST API.

Transport (`drift/transport.py`): one `requests.Session` per client, with the bearer token,
Accept, Content-Type and User-Agent set once, a no-op `session.auth` (so requests never swaps in
~/.netrc credentials), redirects off and an explicit (connect, read) timeout on every call.

Thread safety (a deliberate choice): one client and its one Session are shared by all of Bolt's
worker threads. requests does not promise Session thread safety (psf/requests#2766), but the
unsafe parts are the cookie jar and mutating settings; we block cookies on our own session and
never change the session after __init__, and urllib3's connection pool is thread safe. The
adapter's pool holds up to POOL_MAXSIZE connections, enough for ~32 concurrent calls.

Retries are urllib3's (`drift/retry.py`), for a session this client creates; an injected
session brings its own adapters. POST has no idempotency key at Drift, so it is retried only
when it provably never reached Drift (connect errors, a failed TLS handshake) or on a 429 whose
wait fits under `rate_limit_cap`. Anything ambiguous (read timeout, dropped connection, 5xx,
unreadable 2xx) raises with `ambiguous=True`. Nothing here retries: each call (each page of
messages) is one `session.request`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Self

import requests

from drift.contacts import ContactReads
from drift.error_mapping import error_from_exception, error_from_response
from drift.errors import DriftProtocolError
from drift.models import Conversation, DriftMessage, DriftUser, TokenInfo, unwrap
from drift.retry import retry_policy
from drift.transport import authorise, new_session

logger = logging.getLogger(__name__)

USER_READ = "user_read"
CONVERSATION_READ = "conversation_read"
CONVERSATION_WRITE = "conversation_write"
MAX_MESSAGE_PAGES = 20


class DriftClient(ContactReads):
    """Typed calls to the Drift REST API; safe to share across threads (see module docstring)."""

    def __init__(
        self,
        base_url: str,
        access_token: str,
        *,
        session: requests.Session | None = None,
        timeout: float | tuple[float, float] = (3.05, 10.0),
        rate_limit_cap: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
        retries: int = 3,
        backoff_factor: float = 0.5,
        user_agent: str = "drift-open/0.1",
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._access_token = access_token
        self._timeout = timeout
        self._owns_session = session is None
        if session is None:
            policy = retry_policy(
                retries=retries,
                backoff_factor=backoff_factor,
                retry_after_cap=rate_limit_cap,
                sleep=sleep,
            )
            session = new_session(policy)
        self._session = session
        authorise(session, access_token, user_agent)

    def __repr__(self) -> str:
        return f"DriftClient(base_url={self._base_url!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the session if this client created it (an injected one belongs to the caller)."""
        if self._owns_session:
            self._session.close()

    def list_users(self) -> list[DriftUser]:
        """Every user in the org (GET /users/list); entries without an id are skipped."""
        body = self._get("/users/list", scope=USER_READ)
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, list):
            raise DriftProtocolError("GET /users/list did not return a `data` list")
        users = []
        for entry in data:
            try:
                users.append(DriftUser.from_api(unwrap(entry)))
            except DriftProtocolError:
                continue
        if len(users) < len(data):
            skipped = len(data) - len(users)
            logger.warning("Skipped %d of %d Drift users without a numeric id", skipped, len(data))
        return users

    def get_user(self, user_id: int) -> DriftUser:
        """One user (GET /users/{id}); DriftNotFoundError if there is none."""
        return DriftUser.from_api(unwrap(self._get(f"/users/{int(user_id)}", scope=USER_READ)))

    def get_conversation(
        self, conversation_id: int, *, timeout: float | tuple[float, float] | None = None
    ) -> Conversation:
        """One conversation (GET /conversations/{id}); DriftNotFoundError if there is none."""
        path = f"/conversations/{int(conversation_id)}"
        body = self._get(path, scope=CONVERSATION_READ, timeout=timeout)
        return Conversation.from_api(body)

    def list_messages(
        self, conversation_id: int, *, max_pages: int = MAX_MESSAGE_PAGES
    ) -> list[DriftMessage]:
        """The conversation's messages, oldest first (GET /conversations/{id}/messages, paged)."""
        path = f"/conversations/{int(conversation_id)}/messages"
        messages: list[DriftMessage] = []
        params: dict[str, str] = {}
        for _ in range(max_pages):
            body = self._get(path, scope=CONVERSATION_READ, params=params)
            data = unwrap(body)
            entries = data.get("messages")
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict):
                    messages.append(DriftMessage.from_api(entry))
            pagination = body.get("pagination") if isinstance(body, dict) else None
            cursor = pagination.get("next") if isinstance(pagination, dict) else None
            if not (isinstance(pagination, dict) and pagination.get("more") and cursor):
                break
            params = {"next": str(cursor)}
        return messages

    def create_conversation(
        self, *, email: str, body_html: str, integration_source: str, assignee_id: int | None = None
    ) -> Conversation:
        """Start a conversation with the contact `email` (POST /conversations/new)."""
        attributes: dict[str, Any] = {"integrationSource": integration_source}
        if assignee_id is not None:
            attributes["autoAssigneeId"] = assignee_id
        payload = {"email": email, "message": {"body": body_html, "attributes": attributes}}
        response = self._post("/conversations/new", payload, scope=CONVERSATION_WRITE)
        return Conversation.from_api(self._json(response, ambiguous=True))

    def post_message(
        self,
        conversation_id: int,
        body_html: str,
        *,
        type_: str = "private_note",
        user_id: int | None = None,
    ) -> list[DriftMessage]:
        """Add a chat message or private note (POST /conversations/{id}/messages), as the Drift
        user `user_id` when given; the messages Drift created (`{"data": {"messages": [...]}}`)."""
        payload: dict[str, Any] = {"type": type_, "body": body_html}
        if user_id is not None:
            payload["userId"] = int(user_id)
        path = f"/conversations/{int(conversation_id)}/messages"
        response = self._post(path, payload, scope=CONVERSATION_WRITE)
        try:
            entries = unwrap(response.json()).get("messages")
        except (ValueError, AttributeError, DriftProtocolError):
            return []
        created = []
        for entry in entries if isinstance(entries, list) else []:
            try:
                created.append(DriftMessage.from_api(entry))
            except (DriftProtocolError, AttributeError):
                continue
        return created

    def token_info(self) -> TokenInfo:
        """Org id, scopes and expiry of our token (POST /app/token_info)."""
        payload = {"access_token": self._access_token}
        response = self._post("/app/token_info", payload, scope=None)
        return TokenInfo.from_api(self._json(response, ambiguous=False))

    def _get(
        self,
        path: str,
        *,
        scope: str | None,
        params: dict[str, str] | None = None,
        timeout: float | tuple[float, float] | None = None,
    ) -> Any:
        response = self._send("GET", path, scope=scope, params=params, timeout=timeout)
        return self._json(response, ambiguous=False)

    def _post(self, path: str, payload: dict[str, Any], *, scope: str | None) -> requests.Response:
        return self._send("POST", path, scope=scope, json=payload)

    def _send(
        self,
        method: str,
        path: str,
        *,
        scope: str | None,
        timeout: float | tuple[float, float] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """One request (urllib3 does the retrying); a non-2xx status or failure raises."""
        try:
            response = self._session.request(
                method,
                self._base_url + path,
                timeout=self._timeout if timeout is None else timeout,
                allow_redirects=False,
                **kwargs,
            )
        except requests.RequestException as exc:
            raise error_from_exception(exc) from exc
        if not 200 <= response.status_code < 300:
            raise error_from_response(response, scope=scope)
        return response

    @staticmethod
    def _json(response: requests.Response, *, ambiguous: bool) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise DriftProtocolError(
                f"Drift answered HTTP {response.status_code} with a body that is not JSON",
                ambiguous=ambiguous,
            ) from exc
