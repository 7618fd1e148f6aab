"""The bulk demo consortium (what make bench ingests): files cut at the
configured size, every format, the held-back delivery later than the rest,
and records the pipeline reads as the simulator's demo is read: valid ones
stored, each defect quarantined with its reason."""

from __future__ import annotations

import json

import polars as pl
import pyarrow.parquet as pq

from orchestration.core.registry import load_registry
from orchestration.core.warehouse import connect
from orchestration.demo.bulk import generate_bulk_demo
from orchestration.ingest.feeds import ingest_feed
from orchestration.ingest.ingest_run import IngestRun
from orchestration.ingest.validation import shutdown_workers

PER_FILE = 700
REASONS = {"bad_timestamp", "conflicting_duplicate", "invalid_id", "invalid_payload", "malformed_record",
           "missing_field", "org_mismatch", "retraction_invalid", "unknown_event_type", "unknown_schema_version"}


def _records(path):
    if path.suffix == ".parquet":
        return pq.read_metadata(path).num_rows
    lines = path.read_text(encoding="utf-8").splitlines()
    return len(lines) - (path.suffix == ".csv")  # a CSV file's header


def _instants(path):
    if path.suffix == ".parquet":
        return pl.read_parquet(path)["occurred_at"].drop_nulls().to_list()
    if path.suffix == ".ndjson":
        return [json.loads(line)["occurred_at"] for line in path.read_text().splitlines()
                if line.startswith('{"event_id":"') and '"occurred_at":"' in line]
    return None  # CSV times are local and naive; the NDJSON and Parquet feeds say enough


def test_bulk_consortium_files_and_delivery(tmp_path):
    summary = generate_bulk_demo(tmp_path, orgs=3, events=6000, seed=3, per_file=PER_FILE, delivery_share=0.05)
    spreadsheets = sorted((tmp_path / "landing" / "coop-sole").iterdir())
    landing = sorted(p for p in (tmp_path / "landing").rglob("*.*") if p not in spreadsheets)
    delivery = sorted((tmp_path / "delivery").rglob("*.*"))
    assert {p.suffix for p in landing} == {".ndjson", ".csv", ".parquet"}
    assert [p.name for p in spreadsheets] == ["attivita-2025.xlsx", "progetti-2025-06-30.xlsx", "soci-2025-03-31.ods",
                                              "soci-2025-06-30.ods"]
    counts = {p: _records(p) for p in landing + delivery}
    # the spreadsheets: a row of hours every 50 events, 4 resources and 14 events of the registers
    logs = summary.events + summary.defects - (6000 // 50 + 4 + 14)
    assert sum(counts.values()) == logs
    assert 5900 <= logs <= 6100 and summary.defects >= 0.009 * summary.events
    for org in (p for p in (tmp_path / "landing").iterdir() if p.name != "coop-sole"):
        on_time = sorted(org.glob("events-*"))
        # files of at most PER_FILE records, each full but the last
        assert len(on_time) >= 2 and all(counts[p] == PER_FILE for p in on_time[:-1])
        assert 0 < counts[on_time[-1]] <= PER_FILE
        update = next((tmp_path / "delivery" / org.name).glob("update-*"))
        held = [p for p in on_time if _instants(p) is not None]
        if held:  # the delivery continues the feed in time
            in_span = [t for p in held for t in _instants(p) if t < "2030"]  # not the far-future defects
            assert min(_instants(update)) >= max(in_span)
    assert all(p.name.startswith("update-") for p in delivery)


def test_bulk_consortium_ingests_like_the_demo(tmp_path):
    summary = generate_bulk_demo(tmp_path / "demo", orgs=3, events=6000, seed=5, per_file=PER_FILE)
    con = connect(tmp_path / "w.duckdb")
    try:
        run = IngestRun("bulk", IngestRun.utc_now())
        outcomes = [o for feed in load_registry(summary.registry).feeds for o in ingest_feed(con, feed, run)]
        reasons = dict(con.execute("SELECT reason, count(*) FROM raw.quarantine GROUP BY 1").fetchall())
        stored = con.execute("SELECT count(*) FROM raw.events").fetchall()[0][0]
        orphans = con.execute(
            "SELECT count(*) FROM raw.events e WHERE e.event_type = 'contribution.logged' AND e.schema_version = 2 "
            "AND NOT EXISTS ("
            "SELECT 1 FROM raw.events i WHERE i.event_type IN ('initiative.launched', 'practice.replicated') "
            "AND i.payload ->> '$.initiative_id' = e.payload ->> '$.initiative.initiative_id' "
            "AND i.org_id = e.payload ->> '$.initiative.org_id' AND i.occurred_at <= e.occurred_at)").fetchall()
    finally:
        con.close()
        shutdown_workers()
    read = sum(o.records_read for o in outcomes)
    assert read == summary.events + summary.defects
    assert set(reasons) == REASONS  # every defect kind reaches its reason
    duplicates = sum(o.duplicates for o in outcomes)
    assert stored + duplicates + sum(reasons.values()) == read
    # every valid event stored once; the identical re-deliveries counted as duplicates
    assert stored == summary.events and duplicates > 0
    # every stored contribution (v2: v1 ones name their own organisation's initiative) is to one launched before it
    assert orphans == [(0,)]


def test_late_events_are_one_backdated_delivery_over_the_whole_history(tmp_path):
    summary = generate_bulk_demo(tmp_path, orgs=3, events=6000, seed=3, per_file=PER_FILE, late_share=0.05)
    spreadsheets = set((tmp_path / "landing" / "coop-sole").iterdir())
    landing = [p for p in (tmp_path / "landing").rglob("*.*") if p not in spreadsheets]
    late = sorted((tmp_path / "late").rglob("*.*"))
    # one file a feed, all backdated-NNNN: none shares a name with landing's late-NNNN files
    assert [p.name.split(".")[0] for p in late] == ["backdated-0001"] * 3
    counts = {p: _records(p) for p in landing + late}
    assert sum(counts.values()) == summary.events + summary.defects - (6000 // 50 + 4 + 14)
    held = sum(counts[p] for p in late)
    assert 0.03 * 6000 <= held <= 0.07 * 6000  # about 5% of the fill events
    for path in late:  # drawn over the history: not only its last days
        instants = _instants(path)
        if instants is not None:
            on_time = [t for p in (tmp_path / "landing" / path.parent.name).glob("events-*") for t in _instants(p)
                       if t < "2030"]
            assert min(instants) < sorted(on_time)[len(on_time) // 2] < max(instants)
