"""Message size: time to render a rich_text message as Drift HTML at 1 KB, 10 KB and 100 KB."""

from __future__ import annotations

import statistics
import time
from typing import Any

from bench.report import Section
from rendering.richtext import rich_text_to_html
from tests.rendering.names import NoNames

SIZES = (1_000, 10_000, 100_000)
REPEATS = 20
LINE = "Hi <team>, the renewal & the *trial* are on track: see "


def message(size: int) -> dict[str, Any]:
    """A rich_text block of about `size` characters: styled text, links and a list."""
    sections: list[dict[str, Any]] = []
    written = 0
    while written < size:
        elements = [
            {"type": "text", "text": LINE},
            {"type": "link", "url": "https://example.com/docs?a=1&b=2", "text": "the docs"},
            {"type": "text", "text": " today.\n", "style": {"bold": True}},
        ]
        sections.append({"type": "rich_text_section", "elements": elements})
        written += len(LINE) + len("https://example.com/docs?a=1&b=2") + 8 + len(" today.\n")
    items = [{"type": "rich_text_section", "elements": [{"type": "text", "text": "point"}]}]
    sections.append({"type": "rich_text_list", "style": "bullet", "elements": items})
    return {"type": "rich_text", "block_id": "bench", "elements": sections}


def render_seconds(size: int) -> float:
    block = message(size)
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        rich_text_to_html(block, NoNames())
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def run() -> tuple[Section, dict[int, float]]:
    timings = {size: render_seconds(size) for size in SIZES}
    rows = tuple(
        (f"{size // 1000} KB", f"{seconds * 1000:.2f} ms", f"{seconds / size * 1e9:.0f} ns")
        for size, seconds in timings.items()
    )
    section = Section(
        title="6. Message size: rich_text -> Drift HTML",
        headers=("message", f"render time (median of {REPEATS})", "per character"),
        rows=rows,
        notes=("Runs on the worker thread after the ack; never on the ack path.",),
    )
    return section, timings
