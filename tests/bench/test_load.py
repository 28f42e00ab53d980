"""The polling helper of the load generator (the load itself only runs under `make bench`)."""

from __future__ import annotations

from bench.load import wait_until


def test_wait_until_returns_true_once_the_predicate_holds() -> None:
    answers = iter([False, False, True])
    assert wait_until(lambda: next(answers), timeout=5, poll=0)


def test_wait_until_gives_up_at_the_deadline() -> None:
    calls: list[int] = []

    def never() -> bool:
        calls.append(1)
        return False

    assert not wait_until(never, timeout=0)
    assert calls == [1]
