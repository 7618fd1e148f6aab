"""Incremental equals replay: a demo consortium delivered in three parts
(the second with the late files, which reach back into months already
built) gives, mart for mart, the rows of a fresh warehouse fed every file at
once, and of a --full-refresh of its own warehouse. The three parts go
through the whole pipeline, the second and third updating the tables kept
by touched keys; the replay and the full refresh are the same ingest and
dbt without the orchestration around them."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.core.registry import load_registry
from orchestration.core.warehouse import connect
from orchestration.demo.generate import generate_demo
from orchestration.ingest.feeds import ingest_feed, sync_registry
from orchestration.ingest.ingest_run import IngestRun
from orchestration.pipeline_run import run_pipeline
from tests.marts_helpers import dbt_build, mart_fingerprints

pytestmark = [pytest.mark.slow, pytest.mark.replay]
AS_OF = "2030-01-01 00:00:00"  # after every ingestion of the test: each build counts every event
# as known at AS_OF; when it was ingested differs between the warehouses, and only that
INGESTION_COLUMNS = {"mart_build_info": {"last_ingested_at"}}


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


def _ingest_and_build(root: Path) -> int:
    """One ingest run of root's feeds, then dbt: the stored events."""
    con = connect(root / "coopmetrics.duckdb")
    try:
        registry = load_registry(root / "registry.yml")
        sync_registry(con, registry)
        run = IngestRun(f"plain-{root.name}", IngestRun.utc_now())
        stored = sum(o.stored for feed in registry.feeds for o in ingest_feed(con, feed, run))
    finally:
        con.close()
    dbt_build(root / "coopmetrics.duckdb", AS_OF)
    return stored


def _built_from(db: Path) -> list[int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT built_from FROM builds.model_builds ORDER BY started_at").fetchall()]
    finally:
        con.close()


def _run():
    """Ingest, dbt and their checks (the extracts' own test is test_extracts.py)."""
    from orchestration.definitions import build_definitions

    keys = [key for key in build_definitions().resolve_asset_graph().get_all_asset_keys()
            if key.path[0] in ("raw", "staging", "intermediate", "marts")]
    result = run_pipeline(as_of=AS_OF, asset_selection=keys)
    assert result.ok, result.failed_steps + result.checks_failed
    return result


def test_two_deliveries_equal_one_replay_and_a_full_refresh(tmp_path, monkeypatch):
    monkeypatch.delenv("COOPMETRICS_PEPPER", raising=False)
    demo = tmp_path / "demo"
    generate_demo(demo, orgs=4, events=2400, seed=23, per_file=250)
    on_time = sorted((demo / "landing").glob("*/events-*"))
    late = sorted((demo / "landing").glob("*/late-*"))
    last_two = {p for org in {p.parent for p in on_time} for p in sorted(org.glob("events-*"))[-2:]}
    last = {max(p for p in last_two if p.parent == org) for org in {p.parent for p in last_two}}
    parts = [[p for p in on_time if p not in last_two], sorted(late + [p for p in last_two if p not in last]),
             sorted(last)]
    assert all(parts) and sum(map(len, parts)) == len(on_time) + len(late)

    # one warehouse loaded, then delivered to twice through the whole pipeline
    stepwise_root = tmp_path / "stepwise"
    stepwise = _use(monkeypatch, stepwise_root, demo)
    stored = []
    for part in parts:
        _deliver(part, demo, stepwise_root / "landing")
        stored.append(_run().metadata["raw/events"]["stored"])
    assert all(stored)  # each part brought new events
    # the deliveries updated the tables kept by touched keys from the event_seq the build before left
    assert [bound > 0 for bound in _built_from(stepwise)] == [False, True, True]
    stepwise_prints = mart_fingerprints(stepwise, {})
    assert stepwise_prints["mart_shared_value"][0] > 0 and len(stepwise_prints) >= 12

    # a full refresh of the same warehouse (dbt alone: every check ran on these events above)
    dbt_build(stepwise, AS_OF, full_refresh=True)
    assert mart_fingerprints(stepwise, {}) == stepwise_prints

    # a fresh warehouse fed every file at once
    replay_root = tmp_path / "replay"
    replay = _use(monkeypatch, replay_root, demo)
    _deliver(sum(parts, []), demo, replay_root / "landing")
    assert _ingest_and_build(replay_root) == sum(stored)
    assert mart_fingerprints(replay, INGESTION_COLUMNS) == mart_fingerprints(stepwise, INGESTION_COLUMNS)
