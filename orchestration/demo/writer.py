"""Write the demo consortium as feeds: NDJSON, Italian CSV (naive local
timestamps, `;`, translated labels) and Parquet, plus their registry."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from orchestration.demo.consortium import CSV_COLUMNS, ITALIAN_LABELS, DemoOrg
from orchestration.demo.defects import Record
from orchestration.demo.outcome_catalogue import impact_section
from orchestration.demo.spreadsheet_org import REGISTRY_FEEDS, write_spreadsheet_org

CSV_TIMEZONE = "Europe/Rome"
_LABEL_OF = {event_type: label for label, event_type in ITALIAN_LABELS.items()}
EXTENSION = {"ndjson": "ndjson", "csv": "csv", "parquet": "parquet"}


def _local_naive(value: str) -> str:
    try:
        instant = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except (TypeError, ValueError):
        return value
    return instant.astimezone(ZoneInfo(CSV_TIMEZONE)).strftime("%Y-%m-%d %H:%M:%S")


def _write_ndjson(path: Path, records: list[Record]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write((record.raw_text if record.envelope is None else json.dumps(record.envelope)) + "\n")


def _write_csv(path: Path, records: list[Record]) -> None:
    fields = list(CSV_COLUMNS)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow([CSV_COLUMNS[f] for f in fields])
        for record in records:
            if record.envelope is None:  # a row with an unbalanced quote
                out.write(f'{record.raw_text};"unclosed\n')
                continue
            env = record.envelope
            writer.writerow([
                env.get("event_id"), env.get("org_id"),
                _LABEL_OF.get(env.get("event_type"), env.get("event_type")), env.get("schema_version"),
                _local_naive(env["occurred_at"]) if "occurred_at" in env else "",
                env.get("actor_ref", ""), json.dumps(env["payload"]),
            ])


def _write_parquet(path: Path, records: list[Record]) -> None:
    columns: dict[str, list] = {f: [] for f in CSV_COLUMNS}
    for record in records:
        env = record.envelope or {"event_id": f"raw-{record.at:%Y%m%d%H%M%S}", "payload": None}
        for name in CSV_COLUMNS:
            value = env.get(name)
            if name == "payload":
                value = json.dumps(value) if value is not None else (record.raw_text or None)
            columns[name].append(value)
    schema = pa.schema([("event_id", pa.string()), ("org_id", pa.string()), ("event_type", pa.string()),
                        ("schema_version", pa.int64()), ("occurred_at", pa.string()),
                        ("actor_ref", pa.string()), ("payload", pa.string())])
    pq.write_table(pa.table(columns, schema=schema), path, compression="zstd")


WRITERS = {"ndjson": _write_ndjson, "csv": _write_csv, "parquet": _write_parquet}


def write_feeds(out: Path, orgs: list[DemoOrg], records: list[Record], per_file: int) -> Path:
    """Files under out/landing/<org>/, and out/registry.yml; returns the registry path."""
    for org in orgs:
        folder = out / "landing" / org.org_id
        folder.mkdir(parents=True, exist_ok=True)
        mine = [r for r in records if r.org_id == org.org_id]
        for prefix, part in (("events", [r for r in mine if not r.late]), ("late", [r for r in mine if r.late])):
            for index in range(0, len(part), per_file):
                path = folder / f"{prefix}-{index // per_file + 1:04d}.{EXTENSION[org.format]}"
                WRITERS[org.format](path, part[index:index + per_file])
    write_spreadsheet_org(out)
    return write_registry(out, orgs)


def write_registry(out: Path, orgs: list[DemoOrg]) -> Path:
    """out/registry.yml: a feed per organisation (landing/<org>/*.<format>), two partners and the
    consortium's outcome catalogue."""
    feeds = []
    for org in orgs:
        feed = {"org_id": org.org_id, "name": org.name, "sector": org.sector, "locality": org.locality,
                "format": org.format, "landing": f"landing/{org.org_id}/*.{EXTENSION[org.format]}",
                "demo": True, "expected_every": "1d"}
        if org.format == "csv":
            feed["csv"] = {"delimiter": ";", "timezone": CSV_TIMEZONE, "columns": dict(CSV_COLUMNS),
                           "event_type_labels": dict(ITALIAN_LABELS)}
        feeds.append(feed)
    feeds.extend(REGISTRY_FEEDS)
    registry = out / "registry.yml"
    header = "# Demo consortium written by `coopmetrics demo`: every feed is demo data.\n"
    partners = [{"name": "regional-fund", "k": 5}, {"name": orgs[0].org_id, "org_id": orgs[0].org_id, "k": 5}]
    registry.write_text(
        header + yaml.safe_dump({"feeds": feeds, "partners": partners, "impact": impact_section()}, sort_keys=False,
                                allow_unicode=True),
        encoding="utf-8")
    return registry
