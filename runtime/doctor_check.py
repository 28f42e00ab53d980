"""One line of the doctor's checklist."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """One line of the checklist."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    warning: str = ""
