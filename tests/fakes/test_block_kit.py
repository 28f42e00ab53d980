"""The fake's Block Kit checks on option objects (radio buttons and checkboxes)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.block_kit import blocks_problems


def option(text: str = "New", value: str = "new", description: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"text": {"type": "plain_text", "text": text}, "value": value}
    if description is not None:
        found["description"] = {"type": "plain_text", "text": description}
    return found


def radio(options: list[dict[str, Any]], **extra: Any) -> list[dict[str, Any]]:
    element = {"type": "radio_buttons", "action_id": "a", "options": options, **extra}
    return [
        {
            "type": "input",
            "block_id": "b",
            "label": {"type": "plain_text", "text": "L"},
            "element": element,
        }
    ]


@pytest.mark.parametrize(
    ("blocks", "problem"),
    [
        (radio([option()]), None),
        (radio([option(description="d" * 75)]), None),
        (radio([option(description="d" * 76)]), "options/0/description/text"),
        (radio([option(text="t" * 76)]), "options/0/text/text"),
        (radio([option(value="v" * 151)]), "options/0/value"),
        (radio([]), "/options]"),
        (radio([option(value=str(n)) for n in range(11)]), "/options]"),
        (radio([option()], initial_option=option(value="other")), "initial option"),
        (radio([option()], initial_option=option()), None),
    ],
)
def test_option_objects(blocks: list[dict[str, Any]], problem: str | None) -> None:
    problems = blocks_problems(blocks, "/view/blocks")
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problem in problems[0], problems
