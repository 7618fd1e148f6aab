"""Small helpers for ingest tests: a feed from a registry snippet, ingested
straight through the ingest functions (no Dagster), into a real DuckDB file."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from orchestration.core.registry import parse_registry
from orchestration.core.warehouse import connect
from orchestration.ingest.feed_files import FileOutcome
from orchestration.ingest.feeds import ingest_feed, sync_registry
from orchestration.ingest.ingest_run import IngestRun

NDJSON_FEED = {"org_id": "alpha", "name": "Alpha", "sector": "agriculture", "locality": "Bologna",
               "format": "ndjson", "landing": "alpha/*.ndjson", "demo": True}

CSV_FEED = {
    "org_id": "beta", "name": "Beta", "sector": "housing", "locality": "Napoli", "format": "csv",
    "landing": "beta/*.csv", "demo": True,
    "csv": {"delimiter": ";", "timezone": "Europe/Rome",
            "columns": {"event_id": "id", "org_id": "ente", "event_type": "tipo", "schema_version": "v",
                        "occurred_at": "quando", "actor_ref": "chi", "payload": "dati"},
            "event_type_labels": {"adesione": "member.joined", "contributo": "contribution.logged"}},
}
PARQUET_FEED = {"org_id": "gamma", "name": "Gamma", "sector": "energy", "locality": "Trento",
                "format": "parquet", "landing": "gamma/*.parquet", "demo": True}


def envelope(event_id: str = "e1", org_id: str = "alpha", event_type: str = "member.joined", version: int = 1,
             occurred_at: str = "2025-01-05T10:00:00Z", payload: dict | None = None, **extra: Any) -> dict:
    record = {"event_id": event_id, "org_id": org_id, "event_type": event_type, "schema_version": version,
              "occurred_at": occurred_at,
              "payload": payload if payload is not None else {"person_ref": "p1", "role": "member"}}
    record.update(extra)
    return record


def lines(*records: dict | str) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


class Harness:
    """A warehouse file plus a feed folder; `ingest()` runs one ingest run."""

    def __init__(self, root: Path, feeds: list[dict] | None = None, db: Path | None = None) -> None:
        self.root = root
        self.db = db or root / "wh.duckdb"
        self.registry = parse_registry({"feeds": feeds or [NDJSON_FEED]}, root / "registry.yml")
        self.runs = 0

    def write(self, name: str, content: str | bytes, append: bool = False) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        with path.open("ab" if append else "wb") as handle:
            handle.write(data)
        return path

    def ingest(self, org_id: str | None = None, now: datetime | None = None,
               chunk_bytes: int | None = None) -> list[FileOutcome]:
        """One ingest run; `now` fixes its ingestion instant (ingested_at),
        `chunk_bytes` the size of a landing batch."""
        self.runs += 1
        con = connect(self.db)
        try:
            sync_registry(con, self.registry)
            run = IngestRun(f"run-{self.runs}", now or IngestRun.utc_now())
            if chunk_bytes:
                run = IngestRun(run.run_id, run.now, chunk_bytes)
            outcomes = []
            for feed in self.registry.feeds:
                if org_id is None or feed.org_id == org_id:
                    outcomes.extend(ingest_feed(con, feed, run))
            return outcomes
        finally:
            con.close()

    def query(self, sql: str, params: dict | None = None) -> list[tuple]:
        con = duckdb.connect(str(self.db), read_only=True)
        try:
            return con.execute(sql, params or {}).fetchall()
        finally:
            con.close()

    def quarantine(self) -> list[tuple]:
        return self.query("SELECT source_line, reason, message FROM raw.quarantine ORDER BY source_file, source_line")
