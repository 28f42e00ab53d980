"""bench/cpu.py reads utime + stime from a /proc/<pid>/stat line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.cpu import cpu_seconds

TICKS = os.sysconf("SC_CLK_TCK")


def write_stat(proc: Path, pid: int, name: str, utime: int, stime: int) -> None:
    fields_3_to_13 = "S 1 1 1 0 -1 4194304 127 0 0 0"
    (proc / str(pid)).mkdir(parents=True)
    (proc / str(pid) / "stat").write_text(
        f"{pid} ({name}) {fields_3_to_13} {utime} {stime} 0 0 20 0 1 0 408381\n"
    )


@pytest.mark.parametrize("name", ["python", "odd ) name (with spaces"])
def test_user_and_system_ticks_become_seconds(tmp_path: Path, name: str) -> None:
    write_stat(tmp_path, 42, name, utime=3 * TICKS, stime=TICKS // 2)
    assert cpu_seconds(42, proc=tmp_path) == pytest.approx(3.5)


def test_a_missing_process_gives_none(tmp_path: Path) -> None:
    assert cpu_seconds(42, proc=tmp_path) is None


def test_this_process_has_used_some_cpu() -> None:
    seconds = cpu_seconds(os.getpid())
    assert seconds is None or seconds > 0
