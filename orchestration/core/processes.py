"""A run's child processes (dbt, started by dagster-dbt) die with it.

dbt is a subprocess that holds the warehouse while it runs; a CLI killed
with SIGTERM, SIGHUP or SIGINT first ends every process it started, then
exits, and a CLI that returns (Dagster turns SIGTERM into an interrupted run
that returns) ends what is left before it exits. (Nothing can run on
SIGKILL: a child left then finishes its dbt command and exits, and the next
run waits for the warehouse's file lock.) Children are found in /proc, since
dagster-dbt starts them and keeps no handle we could reach; psutil is not in
the lock for this one use.

Grandchildren outlive their parent: dbt starts multiprocessing's resource
tracker, which ignores SIGINT and SIGTERM and exits only once dbt is gone,
and Dagster starts `tail` processes for its compute logs. Re-parented to
init, they would no longer be our descendants; the CLI therefore makes
itself their subreaper (Linux's PR_SET_CHILD_SUBREAPER), so they are
re-parented to it, still found, ended and reaped."""

from __future__ import annotations

import ctypes
import os
import signal
import time
from pathlib import Path

GRACE_SECONDS = 5.0
PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>


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
        state = Path(f"/proc/{pid}/stat").read_text()
    except (ProcessLookupError, FileNotFoundError):
        return False
    return not state[state.rindex(")") + 2:].startswith("Z")


def _reap_children() -> None:
    """Collect the exit status of every child that has ended (orphans
    adopted as subreaper included), so none is left a zombie."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def adopt_orphans() -> None:
    """Make this process the subreaper of its descendants (Linux; elsewhere a no-op)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _await_end(pids: list[int], grace: float) -> None:
    """Until none of `pids` runs or `grace` has passed; children of ours
    (adopted orphans included) are reaped on the way, not left zombies."""
    deadline = time.monotonic() + grace
    while True:
        _reap_children()
        if time.monotonic() >= deadline or not any(_alive(p) for p in pids):
            break
        time.sleep(0.05)
    _reap_children()  # one that ended between the reap and the look


def ignores_sigterm(pid: int) -> bool:
    """The process has SIGTERM ignored (multiprocessing's resource tracker
    does): waiting for it to end on SIGTERM would only cost the grace."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    mask = next((line.split()[1] for line in status.splitlines() if line.startswith("SigIgn:")), "0")
    return bool(int(mask, 16) >> (signal.SIGTERM - 1) & 1)


def _send(pids: list[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def is_resource_tracker(pid: int) -> bool:
    """The process is a multiprocessing resource tracker: it ends by itself once the process it serves has."""
    try:
        return b"multiprocessing.resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def end_descendants(grace: float = GRACE_SECONDS, spare_trackers: bool = False) -> None:
    """SIGTERM to every descendant that listens to it, SIGKILL to those
    still there after `grace` and to those that ignore SIGTERM; returns
    once none of them runs any more. With `spare_trackers`, resource
    trackers are left to end by themselves: the one serving this process
    (dagster-dbt's in-process dbt adapter starts it) must outlive its
    last use, at this process's exit."""
    pids = [pid for pid in descendants(os.getpid()) if not (spare_trackers and is_resource_tracker(pid))]
    listening = [pid for pid in pids if not ignores_sigterm(pid)]
    _send(listening, signal.SIGTERM)
    _await_end(listening, grace)
    _send([pid for pid in pids if _alive(pid)], signal.SIGKILL)
    _await_end(pids, grace)  # SIGKILL too is delivered, not awaited


def die_with_children() -> None:
    """Install handlers so that this process ends its children when it is
    told to stop, then exits with the signal's code (128 + number); its
    orphaned grandchildren are re-parented to it (adopt_orphans)."""
    adopt_orphans()

    def handler(signum: int, frame) -> None:  # noqa: ANN001 - signal's signature
        end_descendants()
        os._exit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, handler)
