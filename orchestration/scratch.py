"""A historical extract is cut from a copy of the warehouse, so that the
marts analysts query are never rewound to the past: the copy lives under
`<warehouse dir>/as-of/<instant>/`, the run that rebuilds the marts there is
given it as its warehouse, and its extracts stay beside it; the database
copy is removed afterwards."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from orchestration.core.locking import reader_lock


@contextmanager
def historical_warehouse(warehouse: Path, as_of: str) -> Iterator[Path]:
    if not warehouse.exists():
        raise ValueError(f"no warehouse at {warehouse} to cut a historical extract from: run the pipeline first")
    folder = warehouse.parent / "as-of" / as_of.replace(":", "")
    folder.mkdir(parents=True, exist_ok=True)
    scratch = folder / warehouse.name
    with reader_lock(warehouse):  # a consistent copy: no run writes meanwhile
        for suffix in ("", ".wal"):
            source = warehouse.with_name(warehouse.name + suffix)
            target = scratch.with_name(scratch.name + suffix)
            target.unlink(missing_ok=True)
            if source.exists():
                shutil.copyfile(source, target)
    try:
        yield scratch
    finally:
        for suffix in ("", ".wal", ".lock"):
            scratch.with_name(scratch.name + suffix).unlink(missing_ok=True)
