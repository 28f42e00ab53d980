"""Tests for handlers/logsafe.py: no secret reaches a real log stream, whatever carries it."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote_plus

import pytest
import requests
from slack_sdk import WebClient

from runtime.logsafe import REDACTED, RedactingFilter, install_redaction

BOT_TOKEN = "xoxb-test-token-1234"
APP_TOKEN = "xapp-1-A0TEST-000-testtoken"
SIGNING_SECRET = "test-signing-secret-8f742231b10e"
DRIFT_TOKEN = "drift/test+token=value"
SECRETS = (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, DRIFT_TOKEN)


@pytest.fixture
def stream() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
def app_logger(stream: io.StringIO) -> Iterator[logging.Logger]:
    """A private logger tree writing to `stream` through a real handler with redaction."""
    logger = logging.getLogger("tests.logsafe.app")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    install_redaction(SECRETS, logger)
    yield logger
    logger.removeHandler(handler)


@pytest.fixture
def root_stream(stream: io.StringIO) -> Iterator[io.StringIO]:
    """The root logger at DEBUG writing to `stream`, redaction installed on its handlers."""
    root = logging.getLogger()
    handler = logging.StreamHandler(stream)
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    redacting_filter = install_redaction(SECRETS)
    yield stream
    for each in root.handlers:
        each.removeFilter(redacting_filter)
    root.removeHandler(handler)
    root.setLevel(previous_level)


def assert_no_secrets(text: str) -> None:
    for secret in (*SECRETS, quote_plus(DRIFT_TOKEN, safe="")):
        assert secret not in text


@pytest.mark.parametrize("secret", SECRETS)
def test_secret_in_the_message_is_redacted(
    app_logger: logging.Logger, stream: io.StringIO, secret: str
) -> None:
    app_logger.info(f"calling with {secret} now")

    assert stream.getvalue() == f"INFO tests.logsafe.app calling with {REDACTED} now\n"


def test_secret_in_a_format_argument_is_redacted(
    app_logger: logging.Logger, stream: io.StringIO
) -> None:
    app_logger.warning("token=%s secret=%r", BOT_TOKEN, {"signing": SIGNING_SECRET})

    assert stream.getvalue().endswith(f"token={REDACTED} secret={{'signing': '{REDACTED}'}}\n")


def test_secret_in_mismatched_arguments_is_redacted(
    app_logger: logging.Logger, stream: io.StringIO
) -> None:
    app_logger.info("two values %s %s", BOT_TOKEN)

    assert "unformattable" in stream.getvalue()
    assert_no_secrets(stream.getvalue())


def test_secret_in_an_exception_is_redacted(
    app_logger: logging.Logger, stream: io.StringIO
) -> None:
    def fail() -> None:
        try:
            raise KeyError(DRIFT_TOKEN)
        except KeyError as error:
            raise RuntimeError(f"Drift refused {DRIFT_TOKEN}") from error

    try:
        fail()
    except RuntimeError:
        app_logger.exception("creating the conversation failed")

    output = stream.getvalue()
    assert f"RuntimeError: Drift refused {REDACTED}" in output
    assert "KeyError" in output
    assert_no_secrets(output)


def test_secret_in_extra_fields_and_stack_info_is_redacted(
    app_logger: logging.Logger, stream: io.StringIO
) -> None:
    app_logger.handlers[0].setFormatter(logging.Formatter("%(message)s | %(detail)s"))

    app_logger.info("with extra", extra={"detail": f"url?token={BOT_TOKEN}"}, stack_info=True)

    assert stream.getvalue().startswith(f"with extra | url?token={REDACTED}\nStack (most recent")
    assert_no_secrets(stream.getvalue())


def test_child_logger_records_are_redacted(app_logger: logging.Logger, stream: io.StringIO) -> None:
    app_logger.getChild("drift.client").debug("Authorization: Bearer %s", DRIFT_TOKEN)

    assert (
        stream.getvalue()
        == f"DEBUG tests.logsafe.app.drift.client Authorization: Bearer {REDACTED}\n"
    )


def test_every_handler_is_covered_and_redaction_is_idempotent(stream: io.StringIO) -> None:
    logger = logging.getLogger("tests.logsafe.two_handlers")
    second_stream = io.StringIO()
    handlers = [logging.StreamHandler(stream), logging.StreamHandler(second_stream)]
    for handler in handlers:
        logger.addHandler(handler)
    logger.propagate = False
    install_redaction([BOT_TOKEN], logger)

    logger.error("Bearer %s", BOT_TOKEN)

    for handler in handlers:
        logger.removeHandler(handler)
    assert stream.getvalue() == second_stream.getvalue() == f"Bearer {REDACTED}\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bot xoxb-11-22-abcDEF end", f"bot {REDACTED} end"),
        ("user xoxp-1-2-3-abc", f"user {REDACTED}"),
        ("rotated xoxe.xoxp-1-abc", f"rotated {REDACTED}"),
        ("refresh xoxe-1-abc", f"refresh {REDACTED}"),
        ("app xapp-1-A111-222-abc,", f"app {REDACTED},"),
        (
            "headers {'Authorization': 'Bearer abc.def-ghi'}",
            f"headers {{'Authorization': 'Bearer {REDACTED}'}}",
        ),
        ("bearer lowercase-credential", f"bearer {REDACTED}"),
        ("no secrets here: xoxo, Bearer", "no secrets here: xoxo, Bearer"),
    ],
)
def test_token_shapes_are_redacted_without_configured_secrets(text: str, expected: str) -> None:
    assert RedactingFilter([]).redact(text) == expected


@pytest.mark.parametrize("short_secret", ["", "a", "1234567"])
def test_short_secrets_are_ignored(short_secret: str) -> None:
    text = f"plain words 1234567 and {short_secret}"

    assert RedactingFilter([short_secret]).redact(text) == text


def test_url_encoded_secret_is_redacted() -> None:
    text = f"POST /token?value={quote_plus(DRIFT_TOKEN, safe='')}"

    assert RedactingFilter([DRIFT_TOKEN]).redact(text) == f"POST /token?value={REDACTED}"


def test_longer_secret_wins_over_a_secret_it_contains() -> None:
    redacting_filter = RedactingFilter(["abcdefgh", "abcdefgh-and-more"])

    assert redacting_filter.redact("x abcdefgh-and-more y") == f"x {REDACTED} y"


def test_install_without_handlers_refuses() -> None:
    logger = logging.getLogger("tests.logsafe.no_handlers")

    with pytest.raises(ValueError, match="no handlers"):
        install_redaction(SECRETS, logger)


class FakeSlackApi(BaseHTTPRequestHandler):
    """Answers every Web API call with a body that echoes a token, as oauth.v2.access does."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = json.dumps({"ok": True, "access_token": BOT_TOKEN, "user_id": "U1"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def loopback_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSlackApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def test_slack_sdk_debug_logging_never_shows_tokens(
    root_stream: io.StringIO, loopback_url: str
) -> None:
    client = WebClient(token=BOT_TOKEN, base_url=loopback_url)

    client.auth_test()
    client.oauth_v2_access(client_id="111.222", client_secret=SIGNING_SECRET, code="code-1")
    client.api_call("apps.connections.open", params={"token": APP_TOKEN})

    output = root_stream.getvalue()
    assert "Sending a request" in output
    assert "Received the following response" in output
    assert_no_secrets(output)


def test_urllib3_debug_logging_never_shows_tokens(
    root_stream: io.StringIO, loopback_url: str
) -> None:
    with requests.Session() as session:
        session.get(f"{loopback_url}users/list?access_token={DRIFT_TOKEN}", timeout=10)

    output = root_stream.getvalue()
    assert '"GET /users/list?access_token=' in output
    assert_no_secrets(output)
