"""A run's child processes (dbt, started by dagster-dbt) die with it.

dbt is a subprocess that holds the warehouse while it runs; a CLI killed
with SIGTERM, SIGHUP or SIGINT first ends every process it started, then
exits. (Nothing can run on SIGKILL: a child left then finishes its dbt
command and exits, and the next run waits for the warehouse's file lock.)
Children are found in /proc, since dagster-dbt starts them and keeps no
handle we could reach; psutil is not in the lock for this one use."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

GRACE_SECONDS = 5.0


def descendants(pid: int) -> list[int]:
    """Every living descendant of `pid`, children before grandchildren."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses
        fields = text[text.rindex(")") + 2:].split()
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, frontier = [], [pid]
    while frontier:
        children = [c for p in frontier for c in parents.get(p, [])]
        found += children
        frontier = children
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not Path(f"/proc/{pid}/stat").read_text().split(") ")[-1].startswith("Z")


def end_descendants(grace: float = GRACE_SECONDS) -> None:
    """SIGTERM to every descendant, SIGKILL to those still there after `grace`."""
    pids = descendants(os.getpid())
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def die_with_children() -> None:
    """Install handlers so that this process ends its children when it is
    told to stop, then exits with the signal's code (128 + number)."""
    def handler(signum: int, frame) -> None:  # noqa: ANN001 - signal's signature
        end_descendants()
        os._exit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, handler)
