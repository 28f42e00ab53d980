"""The ways into drift-open: `register_handlers(app)` wires every Slack entry point onto Bolt."""

from __future__ import annotations

from slack_bolt import App

from handlers import (
    channel_label,
    command,
    global_shortcut,
    home,
    preview,
    reaction,
    reopen,
    shortcut,
    submission,
    unfurl,
    workflow_step,
)

ENTRY_POINTS = (
    command,
    shortcut,
    global_shortcut,
    submission,
    reopen,
    preview,
    home,
    unfurl,
    reaction,
    workflow_step,
    channel_label,
)


def register_handlers(app: App) -> None:
    """Register each entry-point module, from an explicit list."""
    for module in ENTRY_POINTS:
        module.register(app)
