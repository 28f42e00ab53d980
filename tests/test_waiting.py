"""tests/waiting.py: polling with a deadline, as a bool (poll_until) or an assertion."""

from __future__ import annotations

import pytest

from tests.waiting import poll_until, wait_until


def test_poll_until_returns_true_once_the_predicate_holds() -> None:
    answers = iter([False, False, True])
    assert poll_until(lambda: next(answers), timeout=5, poll=0)


def test_poll_until_gives_up_at_the_deadline() -> None:
    calls: list[int] = []

    def never() -> bool:
        calls.append(1)
        return False

    assert not poll_until(never, timeout=0)
    assert calls == [1]


def test_wait_until_fails_the_test_at_the_deadline() -> None:
    with pytest.raises(AssertionError, match="not met within 0 s"):
        wait_until(lambda: False, timeout=0)
