"""The spillover recursion on 100k initiatives: half a single chain (depth
50k), half a wide tree (a root, 500 children, 99 grandchildren each), timed
through dbt on a synthetic event store."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path

import duckdb

from orchestration.core.settings import DBT_PROJECT_DIR, WAREHOUSE_ENV, dbt_executable
from orchestration.core.warehouse import connect, run_script

SQL = Path(__file__).parent / "spillover_events.sql"


def spillover_bench(initiatives: int) -> None:
    chain = initiatives // 2
    wide_children = 500
    grandchildren = max(1, (initiatives - chain - 1 - wide_children) // wide_children)
    print(f"\n== spillovers: chain of {chain:,} + tree of 1 + {wide_children} + "
          f"{wide_children * grandchildren:,} initiatives ==")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "spill.duckdb"
        con = connect(db)
        run_script(con, SQL.name, {"chain": chain, "children": wide_children, "grandchildren": grandchildren,
                                   "ingested_at": datetime(2025, 12, 31)}, folder=SQL.parent)
        count = con.execute("SELECT count(*) FROM raw.events").fetchall()[0][0]
        con.close()
        started = time.perf_counter()
        done = subprocess.run(
            [dbt_executable(), "run", "--quiet", "--select", "+mart_spillovers", "--vars",
             json.dumps({"as_of": "2026-01-01T00:00:00Z"}), "--target-path", str(Path(tmp) / "target")],
            cwd=DBT_PROJECT_DIR, env={**os.environ, WAREHOUSE_ENV: str(db)}, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if done.returncode:
            raise RuntimeError(done.stdout[-2000:])
        check = duckdb.connect(str(db), read_only=True)
        root = check.execute("SELECT total_spillovers, max_depth FROM marts.mart_spillovers "
                             "WHERE initiative_id = 'chain-0'").fetchall()
        wide = check.execute("SELECT total_spillovers, max_depth FROM marts.mart_spillovers "
                             "WHERE initiative_id = 'wide-root'").fetchall()
        check.close()
    print(f"{count:,} initiatives: dbt run +mart_spillovers {seconds:.1f} s (dbt start-up included); "
          f"chain root: {root[0][0]:,} descendants, depth {root[0][1]:,}; "
          f"wide root: {wide[0][0]:,} descendants, depth {wide[0][1]}")
