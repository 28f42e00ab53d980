"""The ways into drift-open: `register_handlers(app)` wires every Slack entry point onto Bolt."""

from __future__ import annotations

from slack_bolt import App

from handlers import (
    channel_label,
    command,
    contact,
    global_shortcut,
    home,
    preview,
    reaction,
    reopen,
    send_to_customer,
    shortcut,
    submission,
    thread_sync,
    unfurl,
    workflow_step,
)

ENTRY_POINTS = (
    *(command, shortcut, global_shortcut, submission, reopen, preview, contact, home, unfurl),
    *(thread_sync, send_to_customer),
    *(reaction, workflow_step, channel_label),
)


def register_handlers(app: App) -> None:
    """Register each entry-point module, from an explicit list."""
    for module in ENTRY_POINTS:
        module.register(app)
