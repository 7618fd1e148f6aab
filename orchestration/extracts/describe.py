"""What an extract says about itself: each column's meaning (from the dbt
docs of the marts, read through orchestration/core/marts.py), unit, whether it
is part of the row's key and whether small-cell protection can null it; as
Parquet field metadata, a data dictionary and a README beside the files,
and a SHA256SUMS that `sha256sum -c` checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from orchestration.core.marts import mart_contracts
from orchestration.core.partners import Partner
from orchestration.extracts.manifest import SUMS
from orchestration.extracts.plan import MartExtract

README = "README.md"
DICTIONARY = "data_dictionary.json"
# units follow the marts' naming: the suffix of a column says what it counts
_UNITS = (("sroi_ratio", "ratio: EUR of present value per EUR of inputs"),
          ("ratio_change", "ratio: difference from the base sroi_ratio"), ("coverage", "ratio 0-1"),
          ("elephant_factor", "count of organisations"), ("absence_factor", "count of people"),
          ("_factor", "ratio"), ("_hours", "hours"), ("scope", "identifier: an org_id, or consortium"),
          ("beneficiary_outcomes", "units of the catalogue's outcomes"), ("_months", "months"), ("_years", "years"),
          ("price_year", "calendar year"),
          ("year", "date: 1 January of the year, UTC"), ("discount_rate", "fraction 0-1 a year"),
          ("deadweight", "fraction 0-1"), ("displacement", "fraction 0-1"), ("attribution", "fraction 0-1"),
          ("drop_off", "fraction 0-1 a year"), ("parameter", "assumption name"), ("scenario", "low or high"),
          ("outcome_code", "identifier"), ("_label", "text"), ("_unit", "text"), ("_source", "text"),
          ("_eur", "EUR, 2 decimals"), ("_days", "whole days"), ("_ratio", "ratio 0-1"), ("_share", "ratio 0-1"),
          ("_index", "index 0-1"), ("diversity", "ratio 0-1"), ("_multiplier", "ratio"), ("_avg", "score 1-5"),
          ("_at", "timestamp, UTC"), ("month", "date: first day of the month, UTC"),
          ("quarter", "date: first day of the quarter, UTC"), ("_id", "identifier"), ("_ids", "list of identifiers"),
          ("suppressed", "true/false"))


def unit_of(column: str) -> str:
    for suffix, unit in _UNITS:
        if column.endswith(suffix):
            return unit
    return "count"


def column_entries(item: MartExtract, columns: list[str]) -> list[dict[str, Any]]:
    contract = mart_contracts()[item.mart].columns
    entries = []
    for column in columns:
        if column in item.people_counts:
            suppression = "NULL when below k (a count of people)"
        elif column in item.derived_from_counts:
            suppression = "NULL whenever a count of people of the row is below k"
        else:
            suppression = None
        meaning = (contract[column].description if column in contract else "") or (
            "True when a count of people of this row was below k and is published as NULL."
            if column == "suppressed" else "")
        entries.append({"column": column, "metric_id": contract[column].metric_id if column in contract else None,
                        "meaning": meaning, "unit": unit_of(column),
                        "key": column in item.order_by, "suppression": suppression})
    return entries


def parquet_metadata(item: MartExtract, partner: Partner, entries: list[dict[str, Any]]) -> dict:
    """Field metadata for each column, and the table's: stored in the Parquet file."""
    return {
        "table": {"mart": item.mart, "partner": partner.name, "description": mart_contracts()[item.mart].description,
                  "key": ",".join(item.order_by), "small_cell_threshold_k": str(partner.k)},
        "fields": {e["column"]: {k: str(v) for k, v in e.items() if k != "column" and v is not None}
                   for e in entries},
    }


def write_dictionary(folder: Path, dictionary: dict[str, list[dict[str, Any]]]) -> None:
    (folder / DICTIONARY).write_text(json.dumps(dictionary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_readme(folder: Path, partner: Partner, dictionary: dict[str, list[dict[str, Any]]], as_of: str) -> None:
    lines = [f"# coopmetrics extract for {partner.name}", "",
             f"The consortium's marts as known at {as_of} (events ingested by then). One Parquet file per mart; "
             f"counts of people below k = {partner.k} are published as NULL and the row's `suppressed` is true.",
             "`report.html` charts what the files hold; `social_report.html` is the social report sheet "
             "(bilancio sociale) of the latest complete year, "
             + ("of your organisation" if partner.org_id else "consolidated for the consortium")
             + ", printable to A4 PDF from a browser.",
             "", "## Check it", "", "```sh", "sha256sum -c SHA256SUMS", "```", "",
             "`manifest.json` lists every file with its rows, schema and SHA-256; `manifest.json.sig` is its "
             "Ed25519 signature, to check with the public key the consortium publishes "
             "(`signing_key.pub.pem` beside the extract folders):", "",
             "```python", *VERIFY_SNIPPET.strip().replace("PARTNER", partner.name).splitlines(), "```", "",
             "## Read it", "", "```python", *READ_SNIPPET.strip().replace("PARTNER", partner.name).splitlines(),
             "```", ""]
    for mart, entries in dictionary.items():
        lines += [f"## {mart}", "", mart_contracts()[mart].description, "",
                  "| column | metric id | meaning | unit | key | small-cell suppression |",
                  "| --- | --- | --- | --- | --- | --- |"]
        lines += [f"| `{e['column']}` | {e['metric_id'] or ''} | {e['meaning'].replace('|', '/')} | {e['unit']} | "
                  f"{'yes' if e['key'] else ''} | {e['suppression'] or ''} |" for e in entries]
        lines.append("")
    (folder / README).write_text("\n".join(lines), encoding="utf-8")


def write_sums(folder: Path, entries: list[dict[str, Any]]) -> None:
    """`sha256sum -c SHA256SUMS`, run in the folder, checks every file but itself and the signature."""
    (folder / SUMS).write_text("".join(f"{e['sha256']}  {e['path']}\n" for e in entries), encoding="utf-8")


# Run as tests (tests/test_extract_docs.py), in the folder that holds the extracts and the public key;
# PARTNER is the partner's folder.
VERIFY_SNIPPET = '''
import hashlib, json, pathlib
from cryptography.hazmat.primitives.serialization import load_pem_public_key

folder = pathlib.Path("PARTNER")
key = load_pem_public_key(pathlib.Path("signing_key.pub.pem").read_bytes())
manifest_bytes = (folder / "manifest.json").read_bytes()
key.verify(bytes.fromhex((folder / "manifest.json.sig").read_text()), manifest_bytes)  # raises if edited
manifest = json.loads(manifest_bytes)
for entry in manifest["files"]:
    assert hashlib.sha256((folder / entry["path"]).read_bytes()).hexdigest() == entry["sha256"], entry["path"]
present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
expected = {e["path"] for e in manifest["files"]} | {"manifest.json", "manifest.json.sig", "SHA256SUMS"}
assert present == expected, present ^ expected  # nothing missing, nothing added
'''
READ_SNIPPET = '''
import duckdb, polars as pl, pyarrow.parquet as pq

monthly = pl.read_parquet("PARTNER/mart_consortium_monthly/mart_consortium_monthly.parquet")
coalitions = pq.read_table("PARTNER/mart_coalitions/mart_coalitions.parquet")
print(coalitions.schema.field("formed_at").metadata)  # meaning, unit, key, suppression of the column
print(duckdb.sql("select month, total_value_eur from 'PARTNER/mart_consortium_monthly/*.parquet' order by 1"))
'''
