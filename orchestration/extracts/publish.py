"""Cut partners' extracts from the marts and publish them together.

Files are written into a new release, the manifests last, and the release
then replaces the one in force for every partner at once (releases.py): a
partner never sees a partial extract, nor one partner a newer release than
another. Parquet output depends only on the mart rows (sorted, fixed writer options),
so the same as_of gives byte-identical files."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.core.faults import fault_point
from orchestration.core.partners import Partner, validate_partner_name
from orchestration.core.warehouse import sql_identifier
from orchestration.extracts.describe import (
    DICTIONARY,
    README,
    column_entries,
    parquet_metadata,
    write_dictionary,
    write_readme,
    write_sums,
)
from orchestration.extracts.manifest import MANIFEST, file_entry, same_content
from orchestration.extracts.plan import MartExtract, receives
from orchestration.extracts.releases import current_release, new_release, publish_release, remove_leftovers
from orchestration.extracts.signing import PUBLIC_KEY_FILE, public_pem, sign_file, signing_key
from orchestration.report.build import REPORT, partner_report
from orchestration.report.social_sheet import CONSORTIUM, partner_sheet

if TYPE_CHECKING:
    from expectations.validate import SuiteOutcome

PERSON_COLUMNS = {"person_ref", "actor_ref"}


class ExtractRejected(RuntimeError):
    """A file failed the extract suite: nothing was published."""

    def __init__(self, message: str, outcome: SuiteOutcome | None = None, file: str | None = None,
                 partner: str | None = None) -> None:
        super().__init__(message)
        self.outcome, self.file, self.partner = outcome, file, partner


def validate_file(path: Path, item: MartExtract, partner: Partner, mart_rows: int) -> SuiteOutcome:
    """The extract suite (expectations/extracts.py) on the file as written."""
    from expectations.extracts import extract_expectations
    from expectations.validate import validate_frame

    table = pq.read_table(path)
    leaked = PERSON_COLUMNS & set(table.column_names)
    if leaked:
        raise ExtractRejected(f"{path.name}: person-level column(s) {sorted(leaked)} in an extract",
                              partner=partner.name)
    org_id = item.rows_of(partner)
    outcome = validate_frame(f"extract_{item.mart}", f"extract {partner.name}/{item.mart}", table.to_pandas(),
                             extract_expectations(org_id, item.people_counts, partner.k, mart_rows),
                             [c for c in item.order_by if c in table.column_names])
    if outcome.errors:
        raise ExtractRejected(f"extract of {partner.name} not published: {outcome.message()}", outcome,
                              f"{partner.name}/{item.mart}.parquet", partner.name)
    return outcome


def pipeline_version() -> str:
    try:
        return version("coopmetrics")
    except PackageNotFoundError:
        return "0+unknown"


def extract_query(con: duckdb.DuckDBPyConnection, item: MartExtract, partner: Partner) -> tuple[str, dict]:
    """SELECT for one mart: the partner's rows, people counts below k
    suppressed. Identifiers come from the fixed plan and are checked; values
    are bound."""
    mart = sql_identifier(item.mart)
    typed = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'marts' "
        "AND table_name = $t ORDER BY ordinal_position", {"t": mart}).fetchall()
    columns = [sql_identifier(name) for name, _ in typed]
    instants = {name for name, data_type in typed if data_type == "TIMESTAMP"}  # UTC, said so in the file
    if not columns:
        raise RuntimeError(f"marts.{mart} does not exist: build the marts before extracting")
    small = [f"{sql_identifier(c)} < $k" for c in item.people_counts]
    any_small = " OR ".join(small) or "false"
    select = []
    for column in columns:
        if column in item.people_counts:
            select.append(f"CASE WHEN {column} < $k THEN NULL ELSE {column} END AS {column}")
        elif column in item.derived_from_counts:
            select.append(f"CASE WHEN {any_small} THEN NULL ELSE {column} END AS {column}")
        elif column in instants:
            select.append(f"timezone('UTC', {column}) AS {column}")
        else:
            select.append(column)
    if item.people_counts:
        select.append(f"coalesce({any_small}, false) AS suppressed")
    where, params = "", {}
    if item.people_counts:
        params["k"] = partner.k
    if item.rows_of(partner):
        where, params["org_id"] = "WHERE org_id = $org_id", item.rows_of(partner)
    order = ", ".join(sql_identifier(c) for c in item.order_by)
    return f"SELECT {', '.join(select)} FROM marts.{mart} {where} ORDER BY {order}", params


def mart_row_count(con: duckdb.DuckDBPyConnection, item: MartExtract, partner: Partner) -> int:
    """Rows of the mart the partner may see, counted independently of the extract query."""
    if item.rows_of(partner):
        sql = f"SELECT count(*) FROM marts.{sql_identifier(item.mart)} WHERE org_id = $org_id"
        return con.execute(sql, {"org_id": item.rows_of(partner)}).fetchall()[0][0]
    return con.execute(f"SELECT count(*) FROM marts.{sql_identifier(item.mart)}").fetchall()[0][0]


def mart_as_of(con: duckdb.DuckDBPyConnection) -> str:
    rows = con.execute("SELECT as_of FROM marts.mart_build_info").fetchall()
    return rows[0][0].strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def write_extract(con: duckdb.DuckDBPyConnection, partner: Partner, folder: Path, validate: bool = True,
                  validations: list[tuple[str, SuiteOutcome]] | None = None,
                  in_force: Path | None = None) -> Path | None:
    """Write one partner's files and manifest into `folder` (inside a
    release, see releases.py); with `validate`, every file passes the
    extract suite (each outcome is appended to `validations`, when given).
    With `in_force`, the partner's published folder: when every Parquet
    file comes out byte for byte as published there, under the same k and
    pipeline version, the folder is removed again and None returned (its
    content did not change, so it is not republished)."""
    validate_partner_name(partner.name)
    folder.mkdir(parents=True)
    entries, dictionary, written = [], {}, []
    for item in receives(partner):
        sql, params = extract_query(con, item, partner)
        table = con.sql(sql, params=params).to_arrow_table()
        dictionary[item.mart] = column_entries(item, table.column_names)
        table = with_metadata(table, parquet_metadata(item, partner, dictionary[item.mart]))
        path = folder / item.mart / f"{item.mart}.parquet"
        path.parent.mkdir(parents=True)
        pq.write_table(table, path, compression="zstd", write_statistics=True)
        written.append((item, path))
        entries.append(file_entry(folder, path))
    if in_force is not None and same_content(in_force, entries, partner.k, pipeline_version()):
        shutil.rmtree(folder)
        return None
    for item, path in written if validate else ():
        outcome = validate_file(path, item, partner, mart_row_count(con, item, partner))
        if validations is not None:
            validations.append((f"{partner.name}/{item.mart}.parquet", outcome))
    as_of = mart_as_of(con)
    write_dictionary(folder, dictionary)
    write_readme(folder, partner, dictionary, as_of)
    # from the files just written: what the extract holds, no more
    own = frozenset(item.mart for item in receives(partner) if item.rows_of(partner))
    partner_report(folder, partner.name, as_of, own_org=partner.org_id, own_marts=own)
    sheet = partner_sheet(folder, partner.org_id or CONSORTIUM, partner.k, as_of)
    entries += [file_entry(folder, folder / name) for name in (DICTIONARY, README, REPORT)]
    entries += [file_entry(folder, sheet)] if sheet else []
    key, demo_key = signing_key()
    manifest = {
        "partner": partner.name,
        "as_of": as_of,
        "pipeline_version": pipeline_version(),
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "small_cell_threshold_k": partner.k,
        "signed_with": "the published demo key (demo data only)" if demo_key else "the consortium's key",
        "files": entries,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    sign_file(key, folder / MANIFEST)
    write_sums(folder, entries + [file_entry(folder, folder / MANIFEST)])
    return folder


def with_metadata(table: pa.Table, metadata: dict) -> pa.Table:
    """The table with each field's description, unit, key and suppression,
    and the table's own, as Parquet key-value metadata."""
    fields = [field.with_metadata(metadata["fields"].get(field.name, {})) for field in table.schema]
    # an instant is UTC, named so whatever the session's zone is called (UTC, Etc/UTC): the same bytes
    fields = [f.with_type(pa.timestamp(f.type.unit, tz="UTC")) if pa.types.is_timestamp(f.type) and f.type.tz else f
              for f in fields]
    schema = pa.schema(fields, metadata={"coopmetrics": json.dumps(metadata["table"], sort_keys=True)})
    return table.cast(schema)


def publish_extracts(con: duckdb.DuckDBPyConnection, partners: list[Partner], root: Path, validate: bool = True,
                     validations: list[tuple[str, SuiteOutcome]] | None = None,
                     unchanged: set[str] | None = None) -> dict[str, Path]:
    """Write every partner's extract into a new release and publish it at
    once; if any partner fails, nothing is published (the release is
    removed) and the one in force stays. A partner whose files would not
    change is not written again (its name is added to `unchanged`): the
    release carries its published folder over, and when no partner changed
    nothing is published at all."""
    current = current_release(root)
    release = new_release(root)
    kept = set()
    try:
        for partner in partners:
            in_force = current / partner.name if current is not None else None
            if write_extract(con, partner, release / partner.name, validate, validations, in_force) is None:
                kept.add(partner.name)
            fault_point("extracts.written")
        fault_point("extracts.before_publish")
        publish_public_key(root)
        if len(kept) < len(partners):
            publish_release(root, release)
        else:
            shutil.rmtree(release)
            remove_leftovers(root)
    except BaseException:
        shutil.rmtree(release, ignore_errors=True)
        raise
    if unchanged is not None:
        unchanged |= kept
    return {partner.name: root / partner.name for partner in partners}


def publish_public_key(root: Path) -> None:
    """The key partners check manifests with, beside the extract folders."""
    staged = root / f".{PUBLIC_KEY_FILE}.new"
    staged.write_bytes(public_pem(signing_key()[0]))
    staged.replace(root / PUBLIC_KEY_FILE)


def publish_extract(con: duckdb.DuckDBPyConnection, partner: Partner, root: Path, validate: bool = True,
                    validations: list[tuple[str, SuiteOutcome]] | None = None) -> Path:
    """One partner's extract, published with the others as they are."""
    return publish_extracts(con, [partner], root, validate, validations)[partner.name]
