"""The baseline: a bare Bolt app served exactly like drift-open (`runtime.serve.run_http`:
waitress, same WSGI wrapper, same thread count), configured from the command line.

`--mode ack`: the command and form listeners only `ack()`, on a listener pool as large as the
app's. `--mode naive`: Bolt's defaults (5-thread listener pool) and a form listener that acks,
then calls Drift inline, as a naive app would.

    python -m bench.bare_app --port 3000 --signing-secret S --bot-token xoxb-... \
        --slack-api-url http://127.0.0.1:1/api/ [--mode naive --drift-url U --drift-token T]
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from app import LISTENER_THREADS
from drift.client import DriftClient
from handlers.ui import ids, views
from runtime.serve import install_stop_signals, run_http


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.bare_app")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--signing-secret", required=True)
    parser.add_argument("--bot-token", required=True)
    parser.add_argument("--slack-api-url", required=True)
    parser.add_argument("--mode", choices=("ack", "naive"), default="ack")
    parser.add_argument("--drift-url", default="")
    parser.add_argument("--drift-token", default="")
    return parser.parse_args(argv)


def build_app(options: argparse.Namespace) -> App:
    client = WebClient(token=options.bot_token, base_url=options.slack_api_url)
    if options.mode == "ack":
        executor = ThreadPoolExecutor(max_workers=LISTENER_THREADS)
        app = App(client=client, signing_secret=options.signing_secret, listener_executor=executor)
    else:
        app = App(client=client, signing_secret=options.signing_secret)

    @app.command(ids.COMMAND)
    def on_command(ack: Ack) -> None:
        ack()

    if options.mode == "ack":

        @app.view_submission(ids.FORM_CALLBACK_ID)
        def on_submission(ack: Ack) -> None:
            ack()

        return app

    drift = DriftClient(options.drift_url, options.drift_token)

    @app.view_submission(ids.FORM_CALLBACK_ID)
    def on_slow_submission(ack: Ack, view: dict[str, Any]) -> None:
        values = (view.get("state") or {}).get("values") or {}
        email = str(values[ids.EMAIL_BLOCK][ids.EMAIL_ACTION].get("value") or "")
        ack(response_action="update", view=views.build_creating_view(email))
        drift.create_conversation(email=email, body_html="<p>naive</p>", integration_source="bench")

    return app


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    stop = threading.Event()
    install_stop_signals(stop)
    run_http(
        build_app(options), "127.0.0.1", options.port, stop, signing_secret=options.signing_secret
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
