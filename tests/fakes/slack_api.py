"""FakeSlack: a loopback Slack Web API (reached through SLACK_API_BASE_URL) plus response_url
endpoints and, through apps.connections.open, a Socket Mode server.

Errors are HTTP 200 `{"ok": false, "error": ...}`; rate limits are HTTP 429 with Retry-After.
Every call is recorded. Bodies may be form-encoded (JSON-valued fields decoded) or JSON; any other
Content-Type is `invalid_post_type`, a body without one `missing_post_type`, and a charset other
than utf-8 or iso-8859-1 `invalid_charset` (slack-api-ref chat.postMessage.json error list).
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from tests.fakes import payloads
from tests.fakes.http import HttpReply, HttpRequest, LoopbackHttpServer
from tests.fakes.response_urls import ResponsePost, ResponseUrls
from tests.fakes.slack_directory import (
    Channel,
    EphemeralMessage,
    PostedMessage,
    SlackDirectory,
    SlackMethodError,
)
from tests.fakes.slack_functions import Execution, FunctionRuns, manifest_functions
from tests.fakes.slack_limits import PostLimit
from tests.fakes.slack_methods import APP_TOKEN_METHODS, METHODS
from tests.fakes.slack_replies import RepliesLimit
from tests.fakes.slack_unfurls import SharedLinks, Unfurl
from tests.fakes.slack_views import ModalRegistry
from tests.fakes.socket_mode import FakeSocketMode
from tests.fakes.timing import OffsetClock, SharedState

T = TypeVar("T")

DEFAULT_SCOPES = frozenset(
    {"commands", "chat:write", "users:read", "users:read.email"}
    | {"channels:read", "groups:read", "im:read", "mpim:read", "links:read", "links:write"}
    | {"reactions:read", "channels:history", "groups:history"}
)
DEFAULT_APP_SCOPES = frozenset({"connections:write"})
_JSON_VALUED_FIELDS = ("view", "blocks", "attachments", "metadata", "unfurls", "outputs")
_POST_TYPES = frozenset(
    {"application/json", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}
)
_CHARSETS = frozenset({"utf-8", "iso-8859-1"})


@dataclass(frozen=True)
class RecordedCall:
    method: str
    params: dict[str, Any]
    token: str | None
    at: float
    error: str | None  # None when the call succeeded


class FakeSlack:
    """Start with `start()` or `with FakeSlack() as slack:`; point WebClient at `base_url`."""

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-test-bot",
        app_token: str = "xapp-test-app",
        clock: Callable[[], float] | None = None,
        scopes: frozenset[str] = DEFAULT_SCOPES,
        app_scopes: frozenset[str] = DEFAULT_APP_SCOPES,
        messages_tab_enabled: bool = True,
        home_tab_enabled: bool = True,
    ) -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        self.scopes = scopes
        self.app_scopes = app_scopes
        self.home_tab_enabled = home_tab_enabled
        self.clock: Callable[[], float] = clock if clock is not None else OffsetClock()
        self.state = SharedState()
        self.directory = SlackDirectory(
            team_id=payloads.TEAM_ID,
            team_domain=payloads.TEAM_DOMAIN,
            messages_tab_enabled=messages_tab_enabled,
        )
        self.modals = ModalRegistry(
            clock=self.clock,
            team_id=payloads.TEAM_ID,
            app_id=payloads.API_APP_ID,
            bot_id=payloads.BOT_ID,
        )
        self.socket_mode = FakeSocketMode()
        self._server = LoopbackHttpServer(self._route)
        self._response_urls = ResponseUrls(clock=self.clock)
        self._calls: list[RecordedCall] = []
        self._messages: list[PostedMessage] = []
        self._ephemerals: list[EphemeralMessage] = []
        self._rate_limits: dict[str, list[int]] = {}
        self.post_limit = PostLimit(self.clock)
        """chat.postMessage's ~1 message per second per channel (tests may speed it up)."""
        self.home_views: dict[str, dict[str, Any]] = self.modals.home_views
        """user_id -> the Home tab last published for that user (views.publish)."""
        self.usergroups: list[dict[str, Any]] = []
        self.replies_limit = RepliesLimit()
        """conversations.replies: calls per window and page size (unlimited by default)."""
        self.functions = FunctionRuns(manifest_functions())
        """Workflow Builder step executions (function_executed events and their completion)."""
        self.links = SharedLinks()
        """Links shared in messages (link_shared events) and the unfurls the app sent for them."""
        self._seed_workspace()

    # lifecycle -----------------------------------------------------------------------------
    def start(self) -> FakeSlack:
        self._server.start()
        self.socket_mode.start()
        return self

    def stop(self) -> None:
        self._server.stop()
        self.socket_mode.stop()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """For WebClient(base_url=...): ends with "/" as slack_sdk requires."""
        return f"{self._server.origin}/api/"

    @property
    def server_errors(self) -> list[str]:
        return list(self._server.errors)

    # setup ---------------------------------------------------------------------------------
    def add_user(
        self,
        user_id: str,
        *,
        name: str,
        real_name: str = "",
        display_name: str = "",
        email: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
        team_id: str | None = None,
        visible: bool = True,
        is_admin: bool = False,
    ) -> dict[str, Any]:
        """A workspace member; another `team_id` makes a Slack Connect user, `email=None` one
        whose email Slack does not show, `visible=False` one users.info answers
        `user_not_visible` for (and users.list leaves out)."""
        with self.state.changing():
            return self.directory.add_user(
                user_id,
                name=name,
                real_name=real_name,
                display_name=display_name,
                email=email,
                is_bot=is_bot,
                deleted=deleted,
                team_id=team_id,
                visible=visible,
                is_admin=is_admin,
            )

    def add_channel(
        self,
        channel_id: str,
        name: str | None,
        *,
        is_private: bool = False,
        bot_is_member: bool = True,
        is_im: bool = False,
        is_mpim: bool = False,
        is_archived: bool = False,
        user: str | None = None,
        members: frozenset[str] | None = None,
        is_ext_shared: bool = False,
        creator: str = "",
    ) -> Channel:
        channel = Channel(
            channel_id,
            name,
            is_private,
            is_im,
            is_mpim,
            is_archived,
            bot_is_member,
            user,
            members,
            is_ext_shared,
            creator,
        )
        with self.state.changing():
            return self.directory.add_channel(channel)

    def run_step(
        self, callback_id: str, inputs: dict[str, Any]
    ) -> tuple[Execution, dict[str, Any]]:
        """A workflow reached the app's step: the execution and its `function_executed` event."""
        with self.state.changing():
            execution = self.functions.start(callback_id, inputs)
            return execution, self.functions.event(execution)

    def add_message(self, channel_id: str, message: dict[str, Any]) -> None:
        """Seed history (e.g. the message a shortcut points at) so chat.getPermalink finds it."""
        with self.state.changing():
            self.directory.add_message(channel_id, message)

    def share_links(
        self, channel_id: str, urls: list[str], *, user_id: str = payloads.USER_ID
    ) -> dict[str, Any]:
        """A message with `urls` was posted: the `link_shared` event Slack sends for it."""
        with self.state.changing():
            return self.links.share(channel_id, user_id, urls, ts=self.directory.new_ts())

    @property
    def unfurls(self) -> list[Unfurl]:
        with self.state.reading():
            return list(self.links.unfurls)

    def add_usergroup(self, group_id: str, *, handle: str, name: str = "") -> dict[str, Any]:
        """A user group, as usergroups.list returns it."""
        group = {"id": group_id, "team_id": payloads.TEAM_ID, "handle": handle}
        group |= {"name": name or handle, "is_usergroup": True, "date_delete": 0}
        with self.state.changing():
            self.usergroups.append(group)
        return group

    def new_trigger_id(self, user_id: str | None = None, *, view_id: str | None = None) -> str:
        """A trigger as an interaction hands out; `view_id` when it came from inside that modal
        (what views.push stacks onto)."""
        with self.state.changing():
            return self.modals.new_trigger_id(user_id, view_id)

    def advance(self, seconds: float) -> None:
        """Move the fake's own clock (only when no clock was injected)."""
        if not isinstance(self.clock, OffsetClock):
            raise TypeError("advance() needs the default OffsetClock; move your injected clock")
        self.clock.advance(seconds)

    def response_url(
        self, *, channel_id: str = payloads.CHANNEL_ID, user_id: str = payloads.USER_ID
    ) -> str:
        with self.state.changing():
            url_id = self._response_urls.issue(channel_id=channel_id, user_id=user_id)
        return f"{self._server.origin}/response/{url_id}"

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        with self.state.changing():
            self._rate_limits.setdefault(method, []).extend([retry_after] * times)

    def limit_replies(self, calls: int | None, window: float = 60.0, page_cap: int = 15) -> None:
        """conversations.replies answers `calls` requests per `window` s, pages of `page_cap`."""
        with self.state.changing():
            self.replies_limit = RepliesLimit(calls, window, page_cap)

    def close_view(self, view_id: str) -> None:
        """The user closed the modal: later views.update answers not_found."""
        with self.state.changing():
            self.modals.close(view_id)

    def settle_submission(self, view_id: str, ack: dict[str, Any] | None) -> dict[str, Any] | None:
        """Apply the app's view_submission ack (none/clear closes, update replaces, push stacks)."""
        with self.state.changing():
            return self.modals.settle_submission(view_id, ack)

    # records -------------------------------------------------------------------------------
    @property
    def calls(self) -> list[RecordedCall]:
        with self.state.reading():
            return list(self._calls)

    def calls_to(self, method: str) -> list[RecordedCall]:
        return [call for call in self.calls if call.method == method]

    @property
    def messages(self) -> list[PostedMessage]:
        with self.state.reading():
            return list(self._messages)

    @property
    def ephemerals(self) -> list[EphemeralMessage]:
        with self.state.reading():
            return list(self._ephemerals)

    @property
    def response_posts(self) -> list[ResponsePost]:
        with self.state.reading():
            return list(self._response_urls.posts)

    @property
    def views(self) -> dict[str, dict[str, Any]]:
        """view_id -> latest view (closed ones included; see is_view_open)."""
        with self.state.reading():
            return copy.deepcopy(self.modals.views)

    def is_view_open(self, view_id: str) -> bool:
        with self.state.reading():
            return view_id in self.modals.open_ids

    def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        return self.state.wait_for(predicate, timeout)

    # serving -------------------------------------------------------------------------------
    def _route(self, request: HttpRequest) -> HttpReply:
        if request.path.startswith("/response/"):
            with self.state.changing():
                return self._response_urls.post(request.path.removeprefix("/response/"), request)
        if not request.path.startswith("/api/"):
            return HttpReply.json(404, {"ok": False, "error": "unknown_method"})
        method = request.path.removeprefix("/api/")
        body_error = _body_error(request)
        if body_error is not None:
            return HttpReply.json(200, {"ok": False, "error": body_error})
        try:
            params = _params(request)
        except ValueError:
            return HttpReply.json(200, {"ok": False, "error": "invalid_json"})
        # A JSON body cannot carry the token: Slack reads it from the Authorization header only.
        body_token = None if request.media_type == "application/json" else params.get("token")
        params.pop("token", None)
        token = request.bearer_token() or body_token
        with self.state.changing():
            reply, error = self._answer(method, params, token)
            self._calls.append(RecordedCall(method, params, token, self.clock(), error))
        return reply

    def _answer(
        self, method: str, params: dict[str, Any], token: str | None
    ) -> tuple[HttpReply, str | None]:
        pending = self._rate_limits.get(method)
        limited = (
            self.replies_limit.retry_after(self.clock())
            if method == "conversations.replies"
            else None
        )
        if pending or limited is not None:
            retry_after = pending.pop(0) if pending else limited
            body = {"ok": False, "error": "ratelimited"}
            return HttpReply.json(429, body, {"Retry-After": str(retry_after)}), "ratelimited"
        if method == "chat.postMessage" and token == self.bot_token:
            wait = self.post_limit.allow(str(params.get("channel") or ""))
            if wait is not None:
                body = {"ok": False, "error": "ratelimited"}
                return HttpReply.json(429, body, {"Retry-After": str(wait)}), "ratelimited"
        try:
            self._check_token(method, token)
            handler = METHODS.get(method)
            if handler is None:
                raise SlackMethodError("unknown_method")
            result = handler(self, params)
        except SlackMethodError as failure:
            body = {"ok": False, "error": failure.error, **failure.extra}
            return HttpReply.json(200, body, self._scope_header(token)), failure.error
        return HttpReply.json(200, {"ok": True, **result}, self._scope_header(token)), None

    def _scopes_of(self, token: str | None) -> frozenset[str]:
        return self.app_scopes if token == self.app_token else self.scopes

    def _scope_header(self, token: str | None) -> dict[str, str]:
        """Slack lists the token's granted scopes on every Web API reply."""
        return {"x-oauth-scopes": ",".join(sorted(self._scopes_of(token)))}

    def _check_token(self, method: str, token: str | None) -> None:
        if not token:
            raise SlackMethodError("not_authed")
        if self.functions.running_token(token):
            return  # an execution's bot_access_token acts as the bot until it is finished
        if token not in (self.bot_token, self.app_token):
            raise SlackMethodError("invalid_auth")
        wants_app_token = method in APP_TOKEN_METHODS
        if (token == self.app_token) != wants_app_token:
            raise SlackMethodError("not_allowed_token_type")

    def require_scope(self, scope: str, *, app_token: bool = False) -> None:
        granted = self.app_scopes if app_token else self.scopes
        if scope not in granted:
            provided = ",".join(sorted(granted))
            raise SlackMethodError("missing_scope", needed=scope, provided=provided)

    def record_message(self, message: PostedMessage) -> None:
        self._messages.append(message)

    def record_ephemeral(self, message: EphemeralMessage) -> None:
        self._ephemerals.append(message)

    def socket_mode_url(self) -> str:
        return self.socket_mode.issue_url(app_id=payloads.API_APP_ID)

    def _seed_workspace(self) -> None:
        self.directory.add_user(
            payloads.BOT_USER_ID,
            name="drift-open",
            real_name="Drift Open",
            is_bot=True,
            bot_id=payloads.BOT_ID,
        )
        self.directory.add_user(
            payloads.USER_ID,
            name=payloads.USER_NAME,
            real_name="Riley Rep",
            display_name="riley",
            email=payloads.USER_EMAIL,
        )
        self.directory.add_channel(Channel(payloads.CHANNEL_ID, payloads.CHANNEL_NAME))


def _body_error(request: HttpRequest) -> str | None:
    """Slack's error for a POST body it cannot read by its Content-Type, if any."""
    content_type = request.headers.get("content-type", "")
    if not request.body:
        return None
    if not content_type.strip():
        return "missing_post_type"
    if request.media_type not in _POST_TYPES:
        return "invalid_post_type"
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in _CHARSETS:
            return "invalid_charset"
    return None


def _params(request: HttpRequest) -> dict[str, Any]:
    """Query string, then the body: JSON objects as is, forms with JSON-valued fields decoded
    (a field that does not parse stays a string for the method to reject)."""
    params: dict[str, Any] = {name: values[0] for name, values in request.query.items()}
    params.pop("token", None)  # Slack no longer accepts tokens in query strings
    if request.media_type == "application/json":
        body = request.json() if request.body else {}
        if not isinstance(body, dict):
            raise ValueError("JSON body must be an object")
        return {**params, **body}
    form: dict[str, Any] = request.form() if request.body else {}
    for name in _JSON_VALUED_FIELDS:
        if isinstance(form.get(name), str):
            with contextlib.suppress(ValueError):
                form[name] = json.loads(form[name])
    return {**params, **form}
