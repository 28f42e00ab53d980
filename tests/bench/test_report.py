"""The Markdown report writer of the benchmarks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.report import Machine, Section, _cpu_model, render_report, render_table, write_report

MACHINE = Machine(cores=2, cpu="Test CPU", python="3.11.7", platform="Linux-test")
WHEN = datetime(2025, 3, 4, 5, 6, tzinfo=UTC)


def test_table_has_a_header_separator_and_one_line_per_row() -> None:
    lines = render_table(("a", "b"), [("1", "2"), ("3", "4")])
    assert lines == ["| a | b |", "|---|---|", "| 1 | 2 |", "| 3 | 4 |"]


def test_cells_cannot_break_the_table() -> None:
    [_, _, row] = render_table(("what",), [("x | y\nz",)])
    assert row == "| x \\| y z |"


def test_a_row_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValueError, match="3 cells"):
        render_table(("a", "b"), [("1", "2", "3")])


def test_report_names_date_machine_command_sections_and_growth() -> None:
    section = Section("1. Ack", ("app", "p50"), (("bare", "1.0 ms"),), notes=("measured twice",))
    text = render_report(
        [section],
        machine=MACHINE,
        when=WHEN,
        command="make bench",
        duration_seconds=61.4,
        preface=("shared cores",),
        growth=("linear in users",),
    )
    assert text.startswith("# Benchmarks\n")
    assert "`make bench` on 2025-03-04 05:06 UTC in 61 s" in text
    assert "2 cores (Test CPU), Linux-test" in text
    assert "Python 3.11.7" in text
    assert "- shared cores" in text
    assert "## 1. Ack\n\n| app | p50 |\n|---|---|\n| bare | 1.0 ms |\n\n- measured twice" in text
    assert text.endswith("## How cost grows\n\n- linear in users\n")


def test_report_without_growth_has_no_growth_heading() -> None:
    text = render_report([], machine=MACHINE, when=WHEN, command="make bench", duration_seconds=1)
    assert "How cost grows" not in text


def test_write_report_creates_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "docs" / "benchmarks.md"
    assert write_report(target, "# Benchmarks\n") == target
    assert target.read_text(encoding="utf-8") == "# Benchmarks\n"


def test_cpu_model_is_read_from_cpuinfo(tmp_path: Path) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: Example CPU @ 2.0GHz\n")
    assert _cpu_model(cpuinfo) == "Example CPU @ 2.0GHz"
