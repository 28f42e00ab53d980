"""The layout's rules: each package imports only the rooms below it, and nothing imports tests."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("handlers", "rendering", "storage", "runtime", "drift", "caching")

# Longest prefix wins; each room lists the rooms it may import (its own always allowed).
ALLOWED: dict[str, set[str]] = {
    "app": {"handlers", "handlers.flow", "runtime", "storage", "drift"},
    "handlers": {"handlers.flow", "handlers.ui", "rendering", "storage", "runtime.slack_errors"},
    "handlers.flow": {
        *("handlers.ui", "rendering", "storage", "drift", "caching"),
        *("runtime.settings", "runtime.slack_errors"),
    },
    "handlers.ui": {"rendering", "storage", "drift.errors"},
    "rendering": set(),
    "storage": set(),
    "runtime": {"drift", "storage"},
    "runtime.serve": {"handlers.flow", "runtime"},
    "runtime.settings": {"drift", "storage"},
    "runtime.slack_errors": set(),
    "drift": {"caching"},
    "drift.errors": set(),
    "caching": set(),
}
ROOMS = sorted(ALLOWED, key=len, reverse=True)
SLACK_LIBRARIES = ("slack_sdk", "slack_bolt")


def room_of(module: str) -> str | None:
    return next((room for room in ROOMS if module == room or module.startswith(room + ".")), None)


def product_modules() -> Iterator[tuple[str, Path]]:
    yield "app", ROOT / "app.py"
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


MODULES = list(product_modules())
NAMES = {name for name, _ in MODULES}


def imports_of(path: Path) -> Iterator[str]:
    """Each imported module; `from package import module` counts as the module."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                yield submodule if submodule in NAMES else node.module


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[name for name, _ in MODULES])
def test_imports_point_down(module: str, path: Path) -> None:
    room = room_of(module)
    assert room is not None, f"{module} is in no room of the layout"
    allowed = ALLOWED[room]
    wrong = []
    for imported in imports_of(path):
        if imported.split(".")[0] in ("tests", "bench"):
            wrong.append(imported)
            continue
        target = room_of(imported)
        if target is None or target == room or target.startswith(room + "."):
            continue
        if not any(target == ok or target.startswith(ok + ".") for ok in allowed):
            wrong.append(imported)
    assert wrong == [], f"{module} ({room}) may not import {wrong}"


@pytest.mark.parametrize("package", ["drift", "rendering", "storage", "caching"])
def test_the_lower_rooms_know_no_slack_library(package: str) -> None:
    users = [
        name
        for name, path in MODULES
        if name.startswith(package)
        for imported in imports_of(path)
        if imported.split(".")[0] in SLACK_LIBRARIES
    ]
    assert users == []


def test_no_import_cycles() -> None:
    graph = {
        name: {imported for imported in imports_of(path) if imported in NAMES and imported != name}
        for name, path in MODULES
    }
    done: set[str] = set()

    def visit(name: str, stack: list[str]) -> None:
        if name in stack:
            pytest.fail("import cycle: " + " -> ".join([*stack[stack.index(name) :], name]))
        if name in done:
            return
        for imported in graph[name]:
            visit(imported, [*stack, name])
        done.add(name)

    for name in graph:
        visit(name, [])
