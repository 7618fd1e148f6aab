"""Outcomes do not move: the bundled sample's store row by row, and a 200k
demo's a thousand lines at a time, equal the fingerprints taken from the
code that defined the hashes (tests/store_fingerprint.py), the
content hash and payload text of every stored event and the reason and
message of every quarantined record."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from tests.store_fingerprint import (
    BUNDLED_REGISTRY,
    FINGERPRINTS,
    bundled_fingerprint,
    demo_fingerprint,
    differences,
    fingerprint,
)


def committed(name: str) -> dict[str, dict]:
    return json.loads((FINGERPRINTS / f"{name}.json").read_text())


def test_the_bundled_sample_stores_what_it_stored_row_by_row(tmp_path: Path) -> None:
    expected = committed("bundled")
    actual = bundled_fingerprint(tmp_path)
    assert sum(p["rows"] for p in actual.values()) == 381  # 320 stored and 61 quarantined records
    assert differences(expected, actual) == []

    # one payload byte changed is named by its file and line, and nothing else is
    con = duckdb.connect(str(tmp_path / "bundled.duckdb"))
    changed = con.execute("SELECT source_file, source_line FROM raw.events ORDER BY ALL LIMIT 1").fetchone()
    con.execute("UPDATE raw.events SET payload = replace(payload, '}', ' }') "
                "WHERE source_file = $1 AND source_line = $2", list(changed))
    con.close()
    moved = differences(expected, fingerprint(tmp_path / "bundled.duckdb", BUNDLED_REGISTRY.parent, 1))
    name = Path(changed[0]).resolve().relative_to(BUNDLED_REGISTRY.parent.resolve()).as_posix()
    assert [m.split(": ")[0] for m in moved] == [f"{name}:{changed[1]}-{changed[1]}"]


def test_a_200k_demo_stores_what_it_stored(tmp_path: Path) -> None:
    expected = committed("demo-200k")
    actual = demo_fingerprint(tmp_path)
    assert sum(p["rows"] for p in actual.values()) == 195_773
    assert len(actual) == 203
    assert differences(expected, actual) == []
