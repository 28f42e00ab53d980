"""CPU time a process has used so far, read from Linux's /proc/<pid>/stat (utime + stime)."""

from __future__ import annotations

import os
from pathlib import Path

# proc(5) numbers the fields of /proc/<pid>/stat from 1: pid, (comm), state, ..., utime is 14th
# and stime 15th. The split starts after "(comm)", which may itself hold spaces, at field 3.
_FIRST_FIELD_AFTER_NAME = 3
_UTIME = 14
_STIME = 15


def cpu_seconds(pid: int, proc: Path = Path("/proc")) -> float | None:
    """User + system CPU seconds of `pid` (its threads included); None where /proc is absent."""
    try:
        stat = (proc / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    utime = int(fields[_UTIME - _FIRST_FIELD_AFTER_NAME])
    stime = int(fields[_STIME - _FIRST_FIELD_AFTER_NAME])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")
