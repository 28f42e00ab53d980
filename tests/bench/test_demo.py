"""`make demo` runs in the suite, so it cannot rot: every step happens and is shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.demo import BUILDER, main

pytestmark = pytest.mark.e2e


def test_the_demo_plays_every_step_and_writes_its_transcript(tmp_path: Path, capsys) -> None:
    transcript = tmp_path / "demo.txt"
    assert main(["--transcript", str(transcript)]) == 0
    text = capsys.readouterr().out
    assert transcript.read_text() == text
    for step in (
        "1. /drift-open",
        "2. Open in Drift",
        "3. Drift answers",
        "4. The same form",
        "5. Socket Mode",
    ):
        assert step in text
    assert text.count("answer in ") == 4
    assert "answer in thread " in text
    assert "Try again reopened the form with the text kept" in text
    assert "conversations in Drift for it: 1" in text
    assert text.count(BUILDER) == 8
