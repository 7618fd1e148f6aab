"""One writer at a time, and readers that never break it.

DuckDB allows a single writing process per file, and a reader's open file
keeps a writer out. So every run, however it was launched (the CLI, the
Dagster UI, a schedule, a sensor, `dagster job execute`), holds an exclusive
lock beside the warehouse for its whole length (the Warehouse resource
takes it), and a reader (`coopmetrics sql`, `status`, Data Docs) takes it
shared: it waits while a run writes, and a run waits for the readers of the
moment. Waiting too long fails with a message naming who holds the
warehouse. A Dagster run queue that lets one run be in progress
(orchestration/instance/dagster.yaml) keeps launched runs from even
starting at once.

fcntl.flock rather than a lock library: the lock must be shared or
exclusive on one file, be released by the kernel when a process dies
(a killed run leaves no stale lock), and tell a waiter who holds it; the
`filelock` package in the lock offers no shared mode."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

LOCK_WAIT_ENV = "COOPMETRICS_LOCK_WAIT"
READ_WAIT_ENV = "COOPMETRICS_READ_WAIT"


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse for longer than we may wait."""


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def _wait(env: str, default: float, given: float | None) -> float:
    return float(os.environ.get(env, default)) if given is None else given


def _acquire(handle, mode: int, wait: float, warehouse: Path, who: str) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                handle.seek(0)
                holder = handle.read().strip() or "a reader"
                raise WarehouseBusy(
                    f"the warehouse {warehouse} is in use by another coopmetrics run ({holder}); "
                    f"waited {wait:.0f} s. {who}") from None
            time.sleep(0.25)


@contextmanager
def warehouse_lock(warehouse: Path, wait_seconds: float | None = None, holder: str = "") -> Iterator[None]:
    """Exclusive: the writer's lock, for a whole run. `holder` says which run
    it is, for whoever has to wait."""
    wait = _wait(LOCK_WAIT_ENV, 900, wait_seconds)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with lock_path(warehouse).open("a+") as handle:
        _acquire(handle, fcntl.LOCK_EX, wait, warehouse, "Try again when it has finished.")
        handle.seek(0)
        handle.truncate()
        since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        handle.write(f"pid {os.getpid()}{', ' + holder if holder else ''}, since {since}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def reader_lock(warehouse: Path, wait_seconds: float | None = None) -> Iterator[None]:
    """Shared: any number of readers at once, none while a run writes."""
    wait = _wait(READ_WAIT_ENV, 10, wait_seconds)
    with lock_path(warehouse).open("a+") as handle:
        _acquire(handle, fcntl.LOCK_SH, wait, warehouse,
                 f"Read again when it has finished, or wait longer ({READ_WAIT_ENV}).")
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
