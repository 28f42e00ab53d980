"""The fake users source and the probe list of the users-directory measurement."""

from __future__ import annotations

import json

from bench.directory import JsonUserSource, lookups, roster
from drift.users import UserDirectory


def test_source_parses_the_body_into_drift_users() -> None:
    source = JsonUserSource(json.dumps({"data": roster(3)}).encode())
    users = source.list_users()
    assert [user.id for user in users] == [1, 2, 3]
    assert users[0].email == "Agent.0@Example.com"


def test_probes_are_half_hits_in_varied_case_and_half_misses() -> None:
    directory = UserDirectory(JsonUserSource(json.dumps({"data": roster()}).encode()))
    probes = lookups(400)
    found = [directory.find_by_email(email) for email in probes]
    assert sum(user is not None for user in found) == 200
    assert any(
        email != email.strip().lower() for email, user in zip(probes, found, strict=True) if user
    )
