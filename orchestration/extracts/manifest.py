"""Manifests: what an extract holds, so a partner can verify it alone.

`verify_extract` needs nothing but the folder and the published public key:
it checks manifest.json's signature, recomputes each file's SHA-256, row
count and schema, compares them with the manifest, and names any file the
manifest does not list."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from orchestration.extracts.signing import PUBLIC_KEY_FILE, SIGNATURE_SUFFIX, signature_valid

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def parquet_schema(path: Path) -> list[dict[str, str]]:
    schema = pq.read_schema(path)
    return [{"name": f.name, "type": str(f.type)} for f in schema]


def same_content(published: Path, entries: list[dict[str, Any]], k: int, pipeline_version: str) -> bool:
    """Whether the Parquet files of `entries` are those of the extract
    published in `published` (the same paths and SHA-256, nothing more or
    less), under the same k and pipeline version. The files hold no
    instant of their making, so the same rows give the same bytes."""
    try:
        manifest = json.loads((published / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    before = {e["path"]: e["sha256"] for e in manifest.get("files", []) if e["path"].endswith(".parquet")}
    return (manifest.get("small_cell_threshold_k") == k and manifest.get("pipeline_version") == pipeline_version
            and before == {e["path"]: e["sha256"] for e in entries})


def file_entry(root: Path, path: Path) -> dict[str, Any]:
    """A file of the extract: its path and SHA-256, and for Parquet its rows and schema."""
    entry: dict[str, Any] = {"path": path.relative_to(root).as_posix(), "sha256": sha256_of(path)}
    if path.suffix == ".parquet":
        entry |= {"rows": pq.read_metadata(path).num_rows, "schema": parquet_schema(path)}
    else:
        entry["bytes"] = path.stat().st_size
    return entry


@dataclass
class Verification:
    folder: Path
    problems: list[str]
    files: int
    key: Path | None = None  # the public key the signature was checked with
    signed_with: str | None = None  # what the manifest says signed it (the consortium's key, or the demo one)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_extract(folder: Path, public_key: Path | None = None) -> Verification:
    """Check the folder against its manifest, and the manifest against its
    signature (with the public key published beside the extract folders,
    or the one given)."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        return Verification(folder, [f"{manifest_path}: no manifest"], 0)
    problems = []
    key_path = public_key or folder.parent / PUBLIC_KEY_FILE
    if not key_path.is_file():
        problems.append(f"{key_path}: no public key to check the manifest's signature with")
    elif not signature_valid(key_path.read_bytes(), manifest_path):
        problems.append(f"{MANIFEST}: its signature does not match (edited, or signed with another key)")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        entries = manifest["files"]
    except (ValueError, KeyError, TypeError) as exc:
        return Verification(folder, problems + [f"{manifest_path}: not a valid manifest ({exc})"], 0, key_path)
    listed = {(folder / name).resolve() for name in (MANIFEST, MANIFEST + SIGNATURE_SUFFIX, SUMS)}
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
        if "rows" not in entry:
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
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.resolve() not in listed:
            problems.append(f"{path.relative_to(folder).as_posix()}: present but not in the manifest")
    return Verification(folder, problems, len(entries), key_path, manifest.get("signed_with"))
