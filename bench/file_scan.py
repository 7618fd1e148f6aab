"""Finding nothing new: a feed of 20,000 small files, ingested once, then
ingested again with nothing changed. The second pass only lists the files,
reads the feed's ledger states in one query and compares each file's size
and mtime with them (orchestration/ingest/file_digest.py): no file is opened."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from bench.memory import OUT, measure


def small_files(files: int) -> Path:
    """A feed of `files` one-record NDJSON files (cached under bench/out/)."""
    folder = OUT / f"scan-{files}"
    registry = folder / "registry.yml"
    if not registry.exists():
        landing = folder / "landing" / "alpha"
        landing.mkdir(parents=True, exist_ok=True)
        for n in range(files):
            record = {"event_id": f"e{n}", "org_id": "alpha", "event_type": "member.joined", "schema_version": 1,
                      "occurred_at": "2025-01-05T10:00:00Z", "payload": {"person_ref": f"p{n}", "role": "member"}}
            (landing / f"day-{n:05d}.ndjson").write_text(json.dumps(record) + "\n")
        registry.write_text(yaml.safe_dump({"feeds": [{
            "org_id": "alpha", "name": "Alpha", "sector": "agriculture", "locality": "Bologna", "format": "ndjson",
            "landing": "landing/alpha/*.ndjson", "demo": True}]}))
    return registry


def file_scan_bench(files: int = 20_000) -> None:
    print(f"\n== nothing new in {files:,} files ==")
    again = measure("again", small_files(files))
    print(f"first ingest {again['first_seconds']:.1f} s; nothing new {again['seconds']:.2f} s "
          f"({again['seconds'] / files * 1000:.3f} s per thousand files), peak {again['peak_mb']:,.0f} MB")
