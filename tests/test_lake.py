"""The event store exported as partitioned Parquet: Hive layout by
organisation and month, UTC timestamps, the ledger and the quarantine
beside it; each export writes only what is new, a stopped one is repaired,
and files are cut at the configured row count."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from orchestration.core.warehouse import connect
from orchestration.lake.export import FILE_ROWS_ENV, MANIFEST, export_lake, read_manifest
from tests.ingest_helpers import Harness, envelope, lines


def _export(harness: Harness, root):
    con = connect(harness.db, read_only=True)
    try:
        return export_lake(con, root)
    finally:
        con.close()


def _events(root) -> pa.Table:
    return ds.dataset(root / "events", format="parquet", partitioning="hive").to_table().sort_by("event_seq")


def _feed(harness: Harness, name: str, first: int, count: int, month: str = "2025-01") -> None:
    harness.write(name, lines(*[envelope(f"e{i}", occurred_at=f"{month}-{1 + i % 27:02d}T10:00:00Z",
                                         payload={"person_ref": f"p{i}", "role": "member"})
                                for i in range(first, first + count)]))


def test_the_store_as_hive_partitioned_parquet_with_utc_instants(tmp_path):
    harness = Harness(tmp_path)
    _feed(harness, "alpha/jan.ndjson", 0, 4, "2025-01")
    _feed(harness, "alpha/feb.ndjson", 4, 3, "2025-02")
    # read last: a bad line, and a re-delivery of e0 (a duplicate)
    harness.write("alpha/z-bad.ndjson", lines("not json", envelope(
        "e0", occurred_at="2025-01-01T10:00:00Z", payload={"person_ref": "p0", "role": "member"})))
    harness.ingest(now=datetime(2025, 3, 1))

    export = _export(harness, tmp_path / "lake")

    assert export.events == 7 and export.ledger_rows == 3 and export.quarantined == 1
    months = sorted(p.name for p in (tmp_path / "lake" / "events" / "org_id=alpha").iterdir())
    assert months == ["month=2025-01", "month=2025-02"]
    table = _events(tmp_path / "lake")
    assert table.num_rows == 7
    assert table.schema.field("occurred_at").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("ingested_at").type == pa.timestamp("us", tz="UTC")
    stored = harness.query("SELECT event_seq, event_id, occurred_at, content_hash FROM raw.events ORDER BY 1")
    exported = [(r["event_seq"], r["event_id"], r["occurred_at"].replace(tzinfo=None), r["content_hash"])
                for r in table.to_pylist()]
    assert exported == stored
    assert {r["month"] for r in table.to_pylist()} == {"2025-01", "2025-02"}
    ledger = ds.dataset(tmp_path / "lake" / "ingest_ledger", format="parquet", partitioning="hive").to_table()
    assert sorted(ledger.column("records_read").to_pylist()) == [2, 3, 4]
    quarantine = ds.dataset(tmp_path / "lake" / "quarantine", format="parquet", partitioning="hive").to_table()
    assert quarantine.column("reason").to_pylist() == ["malformed_record"]
    # DuckDB reads it back as one table, partitions included
    files = f"{tmp_path}/lake/events/**/*.parquet"
    count = duckdb.sql(f"SELECT count(*), count(DISTINCT month) FROM read_parquet('{files}', hive_partitioning = true) "
                       "WHERE org_id = 'alpha'").fetchall()
    assert count == [(7, 2)]


def test_each_export_writes_only_what_is_new(tmp_path):
    harness = Harness(tmp_path)
    root = tmp_path / "lake"
    _feed(harness, "alpha/one.ndjson", 0, 5)
    harness.ingest(now=datetime(2025, 3, 1))
    first = _export(harness, root)
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*.parquet")}

    assert _export(harness, root).nothing_new  # nothing ingested since
    _feed(harness, "alpha/two.ndjson", 5, 3, "2025-02")
    harness.ingest(now=datetime(2025, 3, 2))
    second = _export(harness, root)

    assert (first.events, second.events) == (5, 3)
    assert {p: p.stat().st_mtime_ns for p in before} == before  # no file rewritten
    assert set(second.files).isdisjoint(first.files)
    assert all("events-6-8" in f for f in second.files if f.startswith("events/"))
    table = _events(root)
    assert table.column("event_seq").to_pylist() == list(range(1, 9))
    manifest = read_manifest(root)
    assert manifest["events_through_seq"] == 8 and manifest["runs"] == ["run-1", "run-2"]
    assert len(manifest["exports"]) == 2


def test_a_stopped_export_is_repaired_by_the_next(tmp_path):
    harness = Harness(tmp_path)
    root = tmp_path / "lake"
    _feed(harness, "alpha/one.ndjson", 0, 4)
    harness.ingest(now=datetime(2025, 3, 1))
    _export(harness, root)
    _feed(harness, "alpha/two.ndjson", 4, 2)
    harness.ingest(now=datetime(2025, 3, 2))
    # an export stopped after writing a file, before its manifest: the file is not listed
    leftover = root / "events" / "org_id=alpha" / "month=2025-01" / "events-5-6-0.parquet"
    pq.write_table(_events(root).slice(0, 2).drop_columns(["org_id", "month"]), leftover)

    export = _export(harness, root)

    assert export.removed == ["events/org_id=alpha/month=2025-01/events-5-6-0.parquet"]
    table = _events(root)
    assert table.num_rows == 6 and len(set(table.column("event_id").to_pylist())) == 6
    assert (root / MANIFEST).exists() and not (root / f"{MANIFEST}.tmp").exists()


def test_files_are_cut_at_the_configured_row_count(tmp_path, monkeypatch):
    monkeypatch.setenv(FILE_ROWS_ENV, "4")
    harness = Harness(tmp_path)
    _feed(harness, "alpha/one.ndjson", 0, 11)
    harness.ingest(now=datetime(2025, 3, 1))

    export = _export(harness, tmp_path / "lake")

    event_files = [f for f in export.files if f.startswith("events/")]
    assert len(event_files) == 3  # 11 rows of one partition: 4 + 4 + 3
    sizes = sorted(ds.dataset(tmp_path / "lake" / f, format="parquet").count_rows() for f in event_files)
    assert sizes == [3, 4, 4]
    assert _events(tmp_path / "lake").num_rows == 11
