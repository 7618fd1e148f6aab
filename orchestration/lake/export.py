"""The event store, its ledger and its quarantine as Parquet in Hive layout
(`events/org_id=<org>/month=<YYYY-MM>/`, `ingest_ledger/org_id=<org>/`,
`quarantine/org_id=<org>/`, and the registry's `organisations/`), with
instants as UTC timestamps in
microseconds: what Spark, Trino or DuckDB itself read as a partitioned
table. The export is incremental: each one writes the events appended since
the last (by event_seq) and the ledger and quarantine rows of the runs not
exported yet, as new files, and never rewrites a file.

`_lake.json` at the root is the commit point: it lists every export and its
files, and is replaced in one rename after the files are written. Files it
does not list are leftovers of an export that was stopped, and the next
export removes them before it writes, so no row is ever exported twice."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from orchestration.core.warehouse import run_sql, sql_text
from orchestration.lake import SQL_DIR

MANIFEST = "_lake.json"
FILE_ROWS_ENV = "COOPMETRICS_LAKE_FILE_ROWS"
DEFAULT_FILE_ROWS = 1_000_000  # rows a Parquet file holds at most; the reader streams batches of a tenth
TABLES = {"events": ("org_id", "month"), "ingest_ledger": ("org_id",), "quarantine": ("org_id",)}


@dataclass(frozen=True)
class LakeExport:
    root: Path
    events: int  # rows written by this export
    ledger_rows: int
    quarantined: int
    files: list[str]  # relative to root
    removed: list[str]  # leftovers of a stopped export

    @property
    def nothing_new(self) -> bool:
        return not self.files


def file_rows() -> int:
    return max(1, int(os.environ.get(FILE_ROWS_ENV) or DEFAULT_FILE_ROWS))


def read_manifest(root: Path) -> dict:
    path = root / MANIFEST
    if not path.exists():
        return {"format": 1, "events_through_seq": 0, "runs": [], "exports": []}
    return json.loads(path.read_text(encoding="utf-8"))


def _listed(manifest: dict) -> set[str]:
    return {f for export in manifest["exports"] for f in export["files"]}


def remove_leftovers(root: Path, manifest: dict) -> list[str]:
    """Delete the Parquet files no export lists (an export stopped midway)."""
    listed, removed = _listed(manifest), []
    for table in TABLES:
        for path in sorted((root / table).rglob("*.parquet")) if (root / table).exists() else []:
            relative = path.relative_to(root).as_posix()
            if relative not in listed:
                path.unlink()
                removed.append(relative)
    return removed


def _write(con: duckdb.DuckDBPyConnection, root: Path, table: str, query: str, params: dict,
           label: str) -> tuple[int, list[str]]:
    """Stream a query into new files of one table, partitioned Hive-style."""
    written: dict[str, int] = {}  # file -> rows, from the Parquet footer the writer just wrote
    reader = con.sql(query, params=params).to_arrow_reader(max(1, file_rows() // 10))

    def visit(written_file: ds.WrittenFile) -> None:
        written[Path(written_file.path).relative_to(root).as_posix()] = written_file.metadata.num_rows

    ds.write_dataset(reader, root / table, format="parquet", partitioning=list(TABLES[table]),
                     partitioning_flavor="hive", basename_template=f"{label}-{{i}}.parquet",
                     existing_data_behavior="overwrite_or_ignore", max_rows_per_file=file_rows(),
                     max_rows_per_group=min(file_rows(), 122_880), file_visitor=visit,
                     file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"))
    rows = sum(written.values())
    return rows, sorted(written)


def export_organisations(con: duckdb.DuckDBPyConnection, root: Path) -> bool:
    """The registry's organisations: not an event log but a projection each
    ingest rewrites, so one file, replaced (in one rename) when it changes."""
    table = con.sql("SELECT * FROM raw.organisations ORDER BY org_id").to_arrow_table()
    path = root / "organisations" / "organisations.parquet"
    if path.exists() and pq.read_table(path).equals(table):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_suffix(".parquet.tmp")
    pq.write_table(table, staged, compression="zstd")
    os.replace(staged, path)
    return True


def export_lake(con: duckdb.DuckDBPyConnection, root: Path) -> LakeExport:
    """Write what is new since the last export; nothing when nothing is."""
    root.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(root)
    removed = remove_leftovers(root, manifest)
    export_organisations(con, root)
    after = manifest["events_through_seq"]
    through = run_sql(con, "SELECT coalesce(max(event_seq), 0) FROM raw.events")[0][0]
    done = set(manifest["runs"])
    runs = [run for (run,) in run_sql(con, sql_text("runs_to_export.sql", SQL_DIR)) if run not in done]
    number = len(manifest["exports"]) + 1
    events = ledger = quarantined = 0
    files: list[str] = []
    if through > after:
        new_range = {"after_seq": after, "through_seq": through}
        for (org_id,) in run_sql(con, "SELECT DISTINCT org_id FROM raw.events WHERE event_seq > $after_seq "
                                      "AND event_seq <= $through_seq ORDER BY 1", new_range):
            rows, written = _write(con, root, "events", sql_text("export_events.sql", SQL_DIR),
                                   {**new_range, "org_id": org_id}, f"events-{after + 1}-{through}")
            events, files = events + rows, files + written
    if runs:
        for table, query in (("ingest_ledger", "export_ledger.sql"), ("quarantine", "export_quarantine.sql")):
            rows, written = _write(con, root, table, sql_text(query, SQL_DIR), {"run_ids": runs},
                                   f"export-{number:06d}")
            files += written
            ledger, quarantined = (rows, quarantined) if table == "ingest_ledger" else (ledger, rows)
    if files:
        manifest["exports"].append({"number": number, "exported_at": datetime.now(UTC).isoformat(),
                                    "events_from_seq": after + 1, "events_through_seq": through,
                                    "runs": runs, "files": files})
        manifest["events_through_seq"] = through
        manifest["runs"] = [*manifest["runs"], *runs]
        staged = root / f"{MANIFEST}.tmp"
        staged.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        os.replace(staged, root / MANIFEST)
    return LakeExport(root, events, ledger, quarantined, files, removed)
