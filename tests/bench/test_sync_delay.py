"""The polling schedule over 1,000 linked conversations stays within its budget."""

from __future__ import annotations

from bench.sync_delay import LINKED, polling_calls
from handlers.flow.sync_poller import POLL_BUDGET


def test_a_round_never_exceeds_the_budget_and_quiet_conversations_cost_less() -> None:
    most, mean = polling_calls()
    assert most <= POLL_BUDGET
    assert mean < LINKED / 5
