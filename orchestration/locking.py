"""One writer at a time: DuckDB allows a single writing process per file, so
a run takes an exclusive lock beside the warehouse for its whole length. A
second run waits for it (COOPMETRICS_LOCK_WAIT seconds, default 900) and then
fails with a message that says who holds the warehouse."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_WAIT_ENV = "COOPMETRICS_LOCK_WAIT"


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse for longer than we may wait."""


@contextmanager
def warehouse_lock(warehouse: Path, wait_seconds: float | None = None) -> Iterator[None]:
    wait = float(os.environ.get(LOCK_WAIT_ENV, "900")) if wait_seconds is None else wait_seconds
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    lock_path = warehouse.with_name(warehouse.name + ".lock")
    with lock_path.open("a+") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise WarehouseBusy(
                        f"the warehouse {warehouse} is in use by another coopmetrics run ({holder}); "
                        f"waited {wait:.0f} s. Try again when it has finished.") from None
                time.sleep(0.25)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
