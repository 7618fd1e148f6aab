"""The store's fingerprint: every stored event's event id, content hash and
payload text, and every quarantined record's reason and message, digested in
runs of lines of each source file. A changed row changes the digest of its
file's run of lines, so the test that compares fingerprints names the file
and the lines where outcomes moved.

The committed fingerprints (tests/fixtures/store_fingerprints/) were taken
from the code that defined today's hashes; an outcome may move only on
purpose. After such a change, and only then, write them again:
    .venv/bin/python -m tests.store_fingerprint --write
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from orchestration.core.registry import load_registry
from orchestration.core.warehouse import connect
from orchestration.demo.generate import generate_demo
from orchestration.ingest.feeds import ingest_feed, sync_registry
from orchestration.ingest.ingest_run import IngestRun

FINGERPRINTS = Path(__file__).parent / "fixtures" / "store_fingerprints"
BUNDLED_REGISTRY = Path(__file__).parents[1] / "sources" / "registry.yml"
# the 200k demo: events, seed and the lines a digest covers
DEMO_EVENTS, DEMO_SEED, DEMO_RUN_LINES = 200_000, 1, 1_000

# each (source file, run of lines): its stored rows and its quarantined rows, digested in line order
FINGERPRINT_SQL = """
WITH outcome_rows AS (
    SELECT source_file, source_sheet, source_line AS line,
           concat_ws(chr(9), source_line, 'stored', event_id, content_hash, payload) AS row_text
    FROM raw.events
    UNION ALL
    SELECT source_file, source_sheet, source_line,
           concat_ws(chr(9), source_line, 'quarantined', reason, message)
    FROM raw.quarantine
)
SELECT
    source_file,
    coalesce(source_sheet, '') AS sheet,
    (line - 1) // $run_lines AS run_of_lines,
    count(*) AS rows,
    sha256(string_agg(row_text, chr(10) ORDER BY line, row_text)) AS digest
FROM outcome_rows
GROUP BY ALL
ORDER BY ALL
"""


def ingest_once(registry_file: Path, db: Path) -> None:
    """Every feed of the registry ingested in one run into a new warehouse file."""
    registry = load_registry(registry_file)
    con = connect(db)
    try:
        sync_registry(con, registry)
        run = IngestRun("fingerprint", IngestRun.utc_now())
        for feed in registry.feeds:
            ingest_feed(con, feed, run)
    finally:
        con.close()


def fingerprint(db: Path, landing_root: Path, run_lines: int) -> dict[str, dict]:
    """{"file[#sheet]:first-last line": {"rows": n, "digest": sha256}}, file paths relative to the landing root."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.sql(FINGERPRINT_SQL, params={"run_lines": run_lines}).fetchall()
    finally:
        con.close()
    prints = {}
    for source_file, sheet, run, count, digest in rows:
        name = Path(source_file).resolve().relative_to(landing_root.resolve()).as_posix()
        key = f"{name}{'#' + sheet if sheet else ''}:{run * run_lines + 1}-{(run + 1) * run_lines}"
        prints[key] = {"rows": count, "digest": digest}
    return prints


def bundled_fingerprint(work: Path) -> dict[str, dict]:
    """The bundled sample's store, one line a digest: row by row."""
    ingest_once(BUNDLED_REGISTRY, work / "bundled.duckdb")
    return fingerprint(work / "bundled.duckdb", BUNDLED_REGISTRY.parent, 1)


def demo_fingerprint(work: Path) -> dict[str, dict]:
    """The 200k demo's store (seed 1), a thousand lines a digest."""
    generate_demo(work / "demo", events=DEMO_EVENTS, seed=DEMO_SEED)
    ingest_once(work / "demo" / "registry.yml", work / "demo.duckdb")
    return fingerprint(work / "demo.duckdb", work / "demo", DEMO_RUN_LINES)


def differences(expected: dict[str, dict], actual: dict[str, dict]) -> list[str]:
    """Each file's run of lines whose rows differ, in order."""
    return [f"{key}: expected {expected.get(key)}, got {actual.get(key)}"
            for key in sorted(expected.keys() | actual.keys()) if expected.get(key) != actual.get(key)]


def _write(work: Path) -> None:
    FINGERPRINTS.mkdir(parents=True, exist_ok=True)
    for name, prints in (("bundled", bundled_fingerprint(work)), ("demo-200k", demo_fingerprint(work))):
        (FINGERPRINTS / f"{name}.json").write_text(json.dumps(prints, indent=0, sort_keys=True) + "\n")
        print(f"{name}: {sum(p['rows'] for p in prints.values())} rows in {len(prints)} digests")


if __name__ == "__main__":
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the committed fingerprints again")
    if not parser.parse_args().write:
        parser.print_help()
        sys.exit(2)
    with tempfile.TemporaryDirectory() as tmp:
        _write(Path(tmp))
