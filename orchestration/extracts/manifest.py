"""Manifests: what an extract holds, so a partner can verify it alone.

`verify_extract` needs nothing but the folder: it recomputes each file's
SHA-256, row count and schema and compares them with manifest.json."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

MANIFEST = "manifest.json"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parquet_schema(path: Path) -> list[dict[str, str]]:
    schema = pq.read_schema(path)
    return [{"name": f.name, "type": str(f.type)} for f in schema]


def file_entry(root: Path, path: Path) -> dict[str, Any]:
    return {
        "path": path.relative_to(root).as_posix(),
        "rows": pq.read_metadata(path).num_rows,
        "sha256": sha256_of(path),
        "schema": parquet_schema(path),
    }


@dataclass
class Verification:
    folder: Path
    problems: list[str]
    files: int

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_extract(folder: Path) -> Verification:
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        return Verification(folder, [f"{manifest_path}: no manifest"], 0)
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        entries = manifest["files"]
    except (ValueError, KeyError, TypeError) as exc:
        return Verification(folder, [f"{manifest_path}: not a valid manifest ({exc})"], 0)
    problems = []
    listed = set()
    for entry in entries:
        relative = Path(entry["path"])
        if relative.is_absolute() or ".." in relative.parts:
            problems.append(f"{entry['path']}: path leaves the extract folder")
            continue
        path = folder / relative
        listed.add(path.resolve())
        if not path.is_file():
            problems.append(f"{entry['path']}: listed in the manifest but missing")
            continue
        actual = sha256_of(path)
        if actual != entry["sha256"]:
            problems.append(f"{entry['path']}: sha256 {actual} differs from the manifest's {entry['sha256']}")
            continue
        try:
            rows, schema = pq.read_metadata(path).num_rows, parquet_schema(path)
        except Exception as exc:  # a corrupt file: say so, do not crash the verifier
            problems.append(f"{entry['path']}: not readable as Parquet ({exc})")
            continue
        if rows != entry["rows"]:
            problems.append(f"{entry['path']}: {rows} rows, the manifest says {entry['rows']}")
        if "schema" in entry and schema != entry["schema"]:
            problems.append(f"{entry['path']}: schema differs from the manifest")
    for path in sorted(folder.rglob("*.parquet")):
        if path.resolve() not in listed:
            problems.append(f"{path.relative_to(folder).as_posix()}: present but not in the manifest")
    return Verification(folder, problems, len(entries))
