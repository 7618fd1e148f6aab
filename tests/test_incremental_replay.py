"""Incremental equals replay: a demo consortium delivered in three parts
(the second with the late files, which reach back into months already
built) gives, mart for mart, the rows of a fresh warehouse fed every file at
once, and of a --full-refresh of its own warehouse."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.demo.generate import generate_demo
from orchestration.pipeline_run import run_pipeline

pytestmark = pytest.mark.slow
AS_OF = "2030-01-01 00:00:00"  # after every ingestion of the test: each build counts every event
# as known at AS_OF; when it was ingested differs between the warehouses, and only that
INGESTION_COLUMNS = {"mart_build_info": {"last_ingested_at"}}


def mart_fingerprints(db: Path, leave_out: dict[str, set[str]]) -> dict[str, tuple[int, str]]:
    """Each mart's row count and the SHA-256 of its rows, sorted, doubles to
    nine decimals (a sum's last bits follow the order DuckDB adds in)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        prints = {}
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables "
                                    "WHERE table_schema = 'marts' ORDER BY 1").fetchall():
            columns = [(name, kind) for name, kind in con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'marts' "
                "AND table_name = $t ORDER BY ordinal_position", {"t": table}).fetchall()
                if name not in leave_out.get(table, set())]
            shown = ", ".join(f'round("{n}", 9)' if k == "DOUBLE" else f'"{n}"' for n, k in columns)
            rows = con.execute(f'SELECT {shown} FROM marts."{table}" ORDER BY ALL').fetchall()
            prints[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        return prints
    finally:
        con.close()


def _deliver(files: list[Path], demo: Path, landing: Path) -> None:
    for path in files:
        target = landing / path.relative_to(demo / "landing")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)


def _use(monkeypatch: pytest.MonkeyPatch, root: Path, demo: Path) -> Path:
    """A warehouse of its own under `root`, with the demo's registry reading root/landing."""
    root.mkdir()
    shutil.copy(demo / "registry.yml", root / "registry.yml")
    monkeypatch.setenv("COOPMETRICS_WAREHOUSE", str(root / "coopmetrics.duckdb"))
    monkeypatch.setenv("COOPMETRICS_REGISTRY", str(root / "registry.yml"))
    monkeypatch.setenv("DAGSTER_HOME", str(root / "dagster_home"))
    return root / "coopmetrics.duckdb"


def _run(full_refresh: bool = False):
    result = run_pipeline(as_of=AS_OF, full_refresh=full_refresh)
    assert result.ok, result.failed_steps + result.checks_failed
    return result


def test_two_deliveries_equal_one_replay_and_a_full_refresh(tmp_path, monkeypatch):
    monkeypatch.delenv("COOPMETRICS_PEPPER", raising=False)
    demo = tmp_path / "demo"
    generate_demo(demo, orgs=4, events=2400, seed=23, per_file=250)
    on_time = sorted((demo / "landing").glob("*/events-*"))
    late = sorted((demo / "landing").glob("*/late-*"))
    last_two = {p for org in {p.parent for p in on_time} for p in sorted(org.glob("events-*"))[-2:]}
    second_last = {max(p for p in last_two if p.parent == org) for org in {p.parent for p in last_two}}
    parts = [[p for p in on_time if p not in last_two], sorted(late + [p for p in last_two if p not in second_last]),
             sorted(second_last)]
    assert all(parts) and sum(map(len, parts)) == len(on_time) + len(late)

    # one warehouse delivered to in three parts
    stepwise_root = tmp_path / "stepwise"
    stepwise = _use(monkeypatch, stepwise_root, demo)
    for part in parts:
        _deliver(part, demo, stepwise_root / "landing")
        last = _run()
    stepwise_prints = mart_fingerprints(stepwise, {})
    assert stepwise_prints["mart_shared_value"][0] > 0 and len(stepwise_prints) >= 12
    assert last.metadata["extracts/regional-fund"]["republished"] is True  # the last part changed its rows

    # a full refresh of the same warehouse
    _run(full_refresh=True)
    assert mart_fingerprints(stepwise, {}) == stepwise_prints

    # a fresh warehouse fed every file at once
    replay_root = tmp_path / "replay"
    replay = _use(monkeypatch, replay_root, demo)
    _deliver(sum(parts, []), demo, replay_root / "landing")
    _run()
    assert mart_fingerprints(replay, INGESTION_COLUMNS) == mart_fingerprints(stepwise, INGESTION_COLUMNS)
