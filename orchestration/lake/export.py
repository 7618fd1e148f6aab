"""The event store, its ledger and its quarantine as Parquet in Hive layout
(`events/org_id=<org>/month=<YYYY-MM>/`, `ingest_ledger/org_id=<org>/`,
`quarantine/org_id=<org>/`, and the registry's `organisations/`,
`outcome_catalogue/` and `impact_settings/`), with instants as UTC
timestamps in microseconds: what Spark, Trino or DuckDB itself read as a partitioned
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
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from orchestration.core.warehouse import run_sql, sql_text
from orchestration.lake import SQL_DIR

MANIFEST = "_lake.json"
FILE_ROWS_ENV = "COOPMETRICS_LAKE_FILE_ROWS"
DEFAULT_FILE_ROWS = 1_000_000  # rows a Parquet file holds at most; the reader streams batches of a tenth
TABLES = {"events": ("org_id", "month"), "ingest_ledger": ("org_id",), "quarantine": ("org_id",)}
# the events' columns a dictionary pays for (few distinct values a file): for identifiers, hashes,
# instants and payloads Arrow builds one, finds it too large and falls back (17% of the writing at 10M)
EVENT_DICTIONARY_COLUMNS = ["event_type", "schema_version", "actor_ref", "ingested_at", "run_id", "source_file",
                            "source_sheet"]


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


def _partition_runs(batch: pa.RecordBatch, columns: tuple[str, ...]) -> list[tuple[int, int]]:
    """[start, end) of each run of rows sharing their partition values, in order."""
    if batch.num_rows == 0:
        return []
    changed = pa.array(np.zeros(batch.num_rows - 1, dtype=bool))
    for name in columns:
        column = batch.column(name)
        changed = pc.or_(changed, pc.not_equal(column.slice(1), column.slice(0, batch.num_rows - 1)))
    starts = [0, *(pc.indices_nonzero(changed).to_numpy() + 1).tolist()]
    return list(zip(starts, [*starts[1:], batch.num_rows], strict=True))


def _write(con: duckdb.DuckDBPyConnection, root: Path, table: str, query: str, params: dict,
           label: str) -> tuple[int, list[str]]:
    """Stream a query's rows, sorted by the table's partition columns, into
    new files of that table, Hive-style, one file open at a time and cut at
    file_rows(). Our own loop, not pyarrow's write_dataset: that one reads
    its whole input ahead of its writer (the run's peak memory was in the
    export) and cannot be told to wait."""
    columns = TABLES[table]
    reader = con.sql(query, params=params).to_arrow_reader(max(1, file_rows() // 10))
    schema = pa.schema([f for f in reader.schema if f.name not in columns])
    written: dict[str, int] = {}  # file -> rows
    writer: pq.ParquetWriter | None = None
    current: tuple | None = None
    file = ""  # the open one
    try:
        for batch in reader:
            for start, end in _partition_runs(batch, columns):
                values = tuple(batch.column(name)[start].as_py() for name in columns)
                rows = batch.slice(start, end - start).drop_columns(list(columns))
                while rows.num_rows:
                    if writer is None or values != current or written[file] == file_rows():
                        if writer is not None:
                            writer.close()
                        folder = root / table / "/".join(f"{n}={v}" for n, v in zip(columns, values, strict=True))
                        folder.mkdir(parents=True, exist_ok=True)
                        file = f"{folder.relative_to(root).as_posix()}/{label}-{len(written)}.parquet"
                        writer = pq.ParquetWriter(root / file, schema, compression="zstd", use_dictionary=(
                            EVENT_DICTIONARY_COLUMNS if table == "events" else True))
                        current, written[file] = values, 0
                    part = rows.slice(0, file_rows() - written[file])
                    writer.write_batch(part, row_group_size=min(file_rows(), 122_880))
                    written[file] += part.num_rows
                    rows = rows.slice(part.num_rows)
    finally:
        if writer is not None:
            writer.close()
    return sum(written.values()), sorted(written)


# the projections of the registry each ingest rewrites, and the order that makes a file's bytes stable
REGISTRY_TABLES = {"organisations": "org_id", "outcome_catalogue": "outcome_code", "impact_settings": "1"}


def export_registry_table(con: duckdb.DuckDBPyConnection, root: Path, name: str) -> bool:
    """A projection of the registry: not an event log but a table each
    ingest rewrites, so one file, replaced (in one rename) when it changes."""
    table = con.sql(f"SELECT * FROM raw.{name} ORDER BY {REGISTRY_TABLES[name]}").to_arrow_table()
    path = root / name / f"{name}.parquet"
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
    for name in REGISTRY_TABLES:
        export_registry_table(con, root, name)
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
