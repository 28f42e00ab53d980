"""drift-open's entry point: settings → clients → create_app() → start.

`python app.py` runs the bot (Socket Mode when SLACK_APP_TOKEN is set, else HTTP mode on PORT);
`python app.py doctor` checks the installation. Nothing here talks to Slack at import.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor

from dotenv import dotenv_values
from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler

from drift.client import DriftClient
from drift.users import UserDirectory
from handlers import register_handlers
from handlers.flow.cards import ConversationCards
from handlers.flow.contact_context import ContactLookups
from handlers.flow.delivery import Delivery
from handlers.flow.names import SlackNames
from handlers.flow.services import Services
from handlers.flow.sync_intake import accept_drift_event
from handlers.flow.sync_poller import DriftPoller
from handlers.flow.sync_sender import MirrorSender
from handlers.flow.sync_worker import SyncWorker
from runtime.drift_webhook import DriftWebhook
from runtime.logs import configure_logging
from runtime.serve import (
    finish_in_flight,
    install_stop_signals,
    run_http,
    run_socket_mode,
    start_orphan_sweep,
    start_sync,
)
from runtime.settings import Settings, SettingsError, load_settings, load_settings_leniently
from runtime.slack_retry import ShortRateLimitRetryHandler
from runtime.startup import StartupError, check_slack, store_error, warn_about_drift
from storage.backends import OPEN_FAILURES, open_store

logger = logging.getLogger("drift_open")

# Bolt's default listener pool is 5 threads; a 6th slow request would miss its 3-second ack.
LISTENER_THREADS = 32
WORKER_THREADS = 32
SLACK_TIMEOUT_SECONDS = 10
DRIFT_CONNECT_TIMEOUT_SECONDS = 3.05
SLACK_RATE_LIMIT_RETRIES = 2
# Every listener and worker thread can hold a connection, plus the upkeep and /healthz.
DB_POOL_SIZE = LISTENER_THREADS + WORKER_THREADS + 2


def read_environment(env_file: str = ".env") -> dict[str, str]:
    """The process environment over the optional `.env` file (the environment wins)."""
    from_file = {key: value for key, value in dotenv_values(env_file).items() if value is not None}
    return {**from_file, **os.environ}


def build_slack_client(settings: Settings) -> WebClient:
    """The bot's WebClient: retries dropped connections and honours 429 Retry-After."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_base_url,
        timeout=SLACK_TIMEOUT_SECONDS,
        retry_handlers=[
            ConnectionErrorRetryHandler(),
            ShortRateLimitRetryHandler(max_retry_count=SLACK_RATE_LIMIT_RETRIES),
        ],
    )


def build_services(settings: Settings, client: WebClient) -> Services:
    """Every long-lived collaborator, built once."""
    drift = DriftClient(
        settings.drift_api_base_url,
        settings.drift_access_token,
        timeout=(DRIFT_CONNECT_TIMEOUT_SECONDS, settings.drift_timeout),
    )
    users = UserDirectory(
        drift, ttl=settings.drift_users_cache_ttl, overrides=settings.drift_user_map
    )
    store = open_store(settings.db_path, pool_size=settings.db_pool_size or DB_POOL_SIZE)
    cards = ConversationCards(drift, users)
    return Services(
        settings=settings,
        drift=drift,
        users=users,
        store=store,
        names=SlackNames(client),
        delivery=Delivery(client),
        executor=ThreadPoolExecutor(max_workers=WORKER_THREADS, thread_name_prefix="drift-work"),
        cards=cards,
        contacts=ContactLookups(drift, store, cards, timeout=settings.contact_lookup_timeout),
    )


def new_listener_executor() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="bolt-listener")


def _unused_token_warning(record: logging.LogRecord) -> bool:
    """Bolt falls back to os.environ["SLACK_BOT_TOKEN"] and then warns that our client wins."""
    return "will be unused" not in record.getMessage()


def create_app(
    settings: Settings,
    services: Services,
    client: WebClient | None = None,
    listener_executor: Executor | None = None,
) -> App:
    """The Bolt app with every handler registered and `services` in each request's context."""
    logging.getLogger("slack_bolt.App").addFilter(_unused_token_warning)  # no-op when present
    app = App(
        client=client or build_slack_client(settings),
        signing_secret=settings.slack_signing_secret,
        listener_executor=listener_executor or new_listener_executor(),
    )

    def inject_services(context: BoltContext, next: Callable[[], None]) -> None:
        context["services"] = services
        next()

    app.use(inject_services)
    register_handlers(app)
    return app


def build_sync(
    settings: Settings, services: Services, client: WebClient, stop: threading.Event
) -> SyncWorker | None:
    """The sync loop, polling Drift unless its webhook feeds it; None with DRIFT_SYNC=off."""
    if settings.drift_sync == "off":
        return None
    poller = None
    if settings.sync_to_slack and not settings.drift_webhooks:
        poller = DriftPoller(
            services.store,
            services.drift,
            interval=settings.drift_poll_seconds,
            max_age=settings.drift_sync_days * 24 * 3600,
        )
    sender = MirrorSender(
        services.store, services.drift, services.users, services.names, client, stop=stop
    )
    return SyncWorker(
        services.store, sender, poller, settings.drift_poll_seconds, wake=services.sync_wake
    )


def build_drift_webhook(settings: Settings, services: Services) -> DriftWebhook | None:
    """POST /drift/events in HTTP mode with DRIFT_VERIFICATION_TOKEN (and sync to Slack)."""
    if not (settings.drift_webhooks and settings.sync_to_slack):
        return None

    def accept(event: Mapping[str, object]) -> bool:
        accepted = accept_drift_event(services.store, event)
        if accepted:
            services.sync_wake.set()
        return accepted

    return DriftWebhook(settings.drift_verification_token, accept)


def run_bot(settings: Settings) -> int:
    """Build everything, serve until SIGTERM/SIGINT, then finish the work in flight."""
    client = build_slack_client(settings)
    check_slack(settings, client)
    try:
        services = build_services(settings, client)
    except OPEN_FAILURES as exc:
        raise store_error(settings, exc) from exc
    warn_about_drift(services.drift)
    listeners = new_listener_executor()
    app = create_app(settings, services, client, listeners)
    stop = threading.Event()
    install_stop_signals(stop)
    start_orphan_sweep(services, stop)
    sync = build_sync(settings, services, client, stop)
    syncing = start_sync(sync, stop) if sync is not None else None
    try:
        if settings.socket_mode:
            run_socket_mode(app, settings.slack_app_token, stop)
        else:
            run_http(
                app,
                settings.host,
                settings.port,
                stop,
                signing_secret=settings.slack_signing_secret,
                request_timeout=settings.http_request_timeout,
                problem=services.store.problem,
                drift_events=build_drift_webhook(settings, services),
            )
    finally:
        listeners.shutdown(wait=False)
        services.executor.shutdown(wait=False)
        if syncing is not None:
            # Let the message being mirrored finish and be recorded, or the next start repeats it.
            syncing.join(settings.shutdown_timeout)
        unfinished = finish_in_flight(services, settings.shutdown_timeout)
        logger.info("drift-open stopped")
        if unfinished:
            # Worker threads still wait on Drift or Slack and cannot be interrupted; the
            # store is committed, so leave now rather than let the interpreter join them.
            logging.shutdown()
            os._exit(0)
        listeners.shutdown(wait=True)
        services.executor.shutdown(wait=True)
        services.contacts.close()
        services.store.close()
        services.drift.close()
    return 0


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    env = read_environment() if environ is None else environ
    if args[:1] == ["doctor"]:
        from runtime.doctor import run_doctor

        lenient, problems = load_settings_leniently(env)
        configure_logging(lenient)
        return run_doctor(lenient, problems=problems)
    try:
        settings = load_settings(env)
    except SettingsError as exc:
        if len(exc.problems) == 1:
            print(f"drift-open: {exc.problems[0]}", file=sys.stderr)
        else:
            print(f"drift-open: the settings have {len(exc.problems)} problems:", file=sys.stderr)
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
        return 2
    configure_logging(settings)
    if args:
        print(f"drift-open: unknown command {args[0]!r} (try: python app.py, python app.py doctor)")
        return 2
    try:
        return run_bot(settings)
    except StartupError as exc:
        logger.debug("Start-up failed", exc_info=True)
        print(f"drift-open: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
