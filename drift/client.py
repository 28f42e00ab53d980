"""DriftClient: the one place that talks HTTP to the Drift REST API.

Transport: one `requests.Session` per client, with the bearer token, Accept, Content-Type and
User-Agent set once, a no-op `session.auth` (so requests never swaps in ~/.netrc credentials),
redirects off and an explicit (connect, read) timeout on every call.

Thread safety (a deliberate choice): one client and its one Session are shared by all of Bolt's
worker threads. requests does not promise Session thread safety (psf/requests#2766), but the
unsafe parts are the cookie jar and mutating settings; we block cookies on our own session and
never change the session after __init__, and urllib3's connection pool is thread safe. The
adapter's pool holds up to POOL_MAXSIZE connections, enough for ~32 concurrent calls.

Retries:
- GET is idempotent: urllib3 retries it (connect/read errors, 429 and 5xx) with capped,
  jittered backoff (the policy is in `drift/retry.py`); a Retry-After beyond `rate_limit_cap` is
  not waited for. The final status goes through `error_from_response`.
- POST has no idempotency key at Drift, so urllib3 never retries it. We retry it ourselves only
  when the request provably never reached Drift, or on 429 when the wait fits under the cap.
  Anything ambiguous (read timeout, dropped connection, 5xx, unreadable 2xx) raises with
  `ambiguous=True` and is never retried.
"""

from __future__ import annotations

import http.cookiejar
import logging
import time
from collections.abc import Callable
from typing import Any, Self

import requests
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase

from drift.contacts import ContactReads
from drift.errors import (
    DriftProtocolError,
    error_from_exception,
    error_from_response,
    never_reached_drift,
    parse_retry_after,
)
from drift.models import Conversation, DriftMessage, DriftUser, TokenInfo, unwrap
from drift.retry import get_retry_policy

logger = logging.getLogger(__name__)

USER_READ = "user_read"
CONVERSATION_READ = "conversation_read"
CONVERSATION_WRITE = "conversation_write"
MAX_MESSAGE_PAGES = 20
POOL_MAXSIZE = 32
POST_CONNECT_RETRIES = 2
POST_RATE_LIMIT_RETRIES = 2


class _NoNetrcAuth(AuthBase):
    """Leaves the request alone; its presence stops requests from reading ~/.netrc."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


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
        get_retries: int = 3,
        backoff_factor: float = 0.5,
        user_agent: str = "drift-open/0.1",
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._access_token = access_token
        self._timeout = timeout
        self._rate_limit_cap = rate_limit_cap
        self._sleep = sleep
        self._backoff_factor = backoff_factor
        self._owns_session = session is None
        self._session = session if session is not None else self._new_session()
        self._session.headers.update(
            {
                "Authorization": f"Bearer {access_token}",
                "Accept": "application/json",
                "Content-Type": "application/json",
                "User-Agent": user_agent,
            }
        )
        self._session.auth = _NoNetrcAuth()
        if self._owns_session:
            retry = get_retry_policy(
                retries=get_retries,
                backoff_factor=backoff_factor,
                retry_after_cap=rate_limit_cap,
                sleep=sleep,
            )
            adapter = HTTPAdapter(max_retries=retry, pool_maxsize=POOL_MAXSIZE)
            self._session.mount("https://", adapter)
            self._session.mount("http://", adapter)

    @staticmethod
    def _new_session() -> requests.Session:
        session = requests.Session()
        session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        return session

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
    ) -> None:
        """Add a chat message or private note (POST /conversations/{id}/messages), posted as
        the Drift user `user_id` when given. Never retried once it may have reached Drift."""
        payload: dict[str, Any] = {"type": type_, "body": body_html}
        if user_id is not None:
            payload["userId"] = user_id
        path = f"/conversations/{int(conversation_id)}/messages"
        self._post(path, payload, scope=CONVERSATION_WRITE)

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
        try:
            response = self._session.get(
                self._base_url + path,
                params=params,
                timeout=self._timeout if timeout is None else timeout,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise error_from_exception(exc) from exc
        if not 200 <= response.status_code < 300:
            raise error_from_response(response, scope=scope)
        return self._json(response, ambiguous=False)

    def _post(self, path: str, payload: dict[str, Any], *, scope: str | None) -> requests.Response:
        """POST once; repeat only if Drift provably never saw it, or on 429 within the cap."""
        connect_retries = rate_limit_retries = 0
        while True:
            try:
                response = self._session.post(
                    self._base_url + path,
                    json=payload,
                    timeout=self._timeout,
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                if not never_reached_drift(exc) or connect_retries >= POST_CONNECT_RETRIES:
                    raise error_from_exception(exc) from exc
                connect_retries += 1
                wait = self._backoff_factor * 2 ** (connect_retries - 1)
                self._pause(path, f"{type(exc).__name__} before reaching Drift", wait)
                continue
            if response.status_code == 429 and rate_limit_retries < POST_RATE_LIMIT_RETRIES:
                wait = self._rate_limit_wait(response, rate_limit_retries)
                if wait is not None:
                    rate_limit_retries += 1
                    self._pause(path, "HTTP 429", wait)
                    continue
            if not 200 <= response.status_code < 300:
                raise error_from_response(response, scope=scope)
            return response

    def _rate_limit_wait(self, response: requests.Response, earlier_retries: int) -> float | None:
        """Seconds to wait before retrying a 429, or None when that would exceed the cap."""
        hinted = parse_retry_after(response.headers.get("Retry-After"))
        wait = hinted if hinted is not None else float(2**earlier_retries)
        return wait if wait <= self._rate_limit_cap else None

    def _pause(self, path: str, reason: str, wait: float) -> None:
        logger.info("Retrying Drift POST %s in %.2fs after %s", path, wait, reason)
        self._sleep(wait)

    @staticmethod
    def _json(response: requests.Response, *, ambiguous: bool) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise DriftProtocolError(
                f"Drift answered HTTP {response.status_code} with a body that is not JSON",
                ambiguous=ambiguous,
            ) from exc
