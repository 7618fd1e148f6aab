"""One measured job in a fresh process (its peak memory is sampled by
bench/memory.py from outside). Prints one JSON line: seconds, records, and
for coopmetrics the seconds of each phase of its batches."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def bare_read_json(files: list[str], db: Path) -> int:
    import duckdb

    con = duckdb.connect(str(db))
    # what DuckDB alone does with the same files: parse into a table, skipping bad lines
    con.execute("CREATE TABLE events AS SELECT * FROM read_json($files, format = 'newline_delimited', "
                "ignore_errors = true, union_by_name = true)", {"files": files})
    return con.execute("SELECT count(*) FROM events").fetchall()[0][0]


def coopmetrics_ingest(registry: Path, db: Path, chunk_bytes: int | None = None) -> tuple[int, dict[str, float]]:
    """Records read, and the seconds of each phase of the run's batches (ingest_run.IngestRun.seconds)."""
    from orchestration.core.registry import load_registry
    from orchestration.core.warehouse import connect
    from orchestration.ingest.feeds import ingest_feed
    from orchestration.ingest.ingest_run import IngestRun

    con = connect(db)
    run = IngestRun("bench", IngestRun.utc_now())
    if chunk_bytes:
        run = IngestRun(run.run_id, run.now, chunk_bytes)
    from orchestration.ingest.validation import shutdown_workers

    records = sum(o.records_read for feed in load_registry(registry).feeds for o in ingest_feed(con, feed, run))
    shutdown_workers()
    return records, run.seconds


def main() -> None:
    mode, registry, db = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    chunk_bytes = int(sys.argv[4]) if len(sys.argv) > 4 else None  # the landing batch size, for coopmetrics
    files = sorted(str(p) for p in registry.parent.glob("landing/*/*.ndjson"))
    extra = {}
    if mode == "again":  # the feed ingested once, then timed with nothing new
        started = time.perf_counter()
        coopmetrics_ingest(registry, db, chunk_bytes)
        extra["first_seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    if mode == "bare":
        records = bare_read_json(files, db)
    else:
        records, extra["phases"] = coopmetrics_ingest(registry, db, chunk_bytes)
    seconds = time.perf_counter() - started
    print(json.dumps({"mode": mode, "seconds": seconds, "records": records, **extra,
                      "files": len(files), "input_mb": sum(Path(f).stat().st_size for f in files) / 2**20}))


if __name__ == "__main__":
    main()
