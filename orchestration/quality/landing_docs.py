"""The landing suite's verdicts in GX. The ingest judges each batch's profile
without GX (expectations/profile_rules.py) and keeps the profile, the rules
and its verdict (quality.landing_profiles); here, in the step of the
event-store suite that runs after it, GX validates the kept profiles with
the same rules, those of one run and one suite in one validation, which is
recorded for the Data Docs under the run that ingested the batches. A GX
verdict on a batch other than the one the ingest took is said, for the
check to fail on: one rule read two ways is a bug."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa

from expectations.landing import KEY_COLUMNS
from expectations.profile_rules import ProfileRule
from expectations.validate import SuiteOutcome, validate_frame
from orchestration.core.asset_keys import EVENTS_KEY
from orchestration.core.check_results import record_validations
from orchestration.core.quality_schema import ensure_quality_schema
from orchestration.core.warehouse import run_sql, sql_text

QUALITY_SQL = Path(__file__).parent / "sql"


BATCH_COLUMN = "batch"  # the batch's label, beside each row of its profile in a validation of several


def _rules(text: str) -> list[ProfileRule]:
    return [ProfileRule(**{**rule, "value_set": tuple(rule["value_set"])}) for rule in json.loads(text)]


def gx_validation(con: duckdb.DuckDBPyConnection, suite: str, rules: str,
                  batches: list[tuple[str, bytes]]) -> SuiteOutcome:
    """GX's validation of kept profiles judged by the same rules, (label, profile) each, read as the frames
    the ingest judged (their column types kept), in one frame: a validation costs GX about 0.1 s whatever
    its rows, and a 10M-event run keeps 66 profiles of tens of rows. The rules are row-wise, so each
    batch's failures (failures_by, under its label) are those of its profile validated alone."""
    tables = [pa.ipc.open_stream(profile).read_all() for _, profile in batches]
    tables = [table.append_column(BATCH_COLUMN, pa.array([label] * table.num_rows, pa.string()))
              for (label, _), table in zip(batches, tables, strict=True)]
    frame = con.from_arrow(pa.concat_tables(tables, promote_options="permissive")).df()
    label = batches[0][0] if len(batches) == 1 else (f"{len(batches)} batches, the first {batches[0][0]}, "
                                                          f"the last {batches[-1][0]}")
    return validate_frame(suite, label, frame, [rule.expectation() for rule in _rules(rules)], KEY_COLUMNS,
                          profile=True, split_by=BATCH_COLUMN)


def _validations(kept: list[tuple]) -> list[list[tuple]]:
    """The kept profiles in the validations GX makes of them: those of one run judged by one suite with the
    same rules together (a label twice in a run starts another), in the order they were kept."""
    groups: dict[tuple, list[list[tuple]]] = {}
    for row in kept:
        run_id, _, suite, label, rules, _, _ = row
        parts = groups.setdefault((run_id, suite, rules), [[]])
        if any(other[3] == label for other in parts[-1]):
            parts.append([])
        parts[-1].append(row)
    return [part for parts in groups.values() for part in parts]


def record_landing_verdicts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Validate and record every kept landing profile, then drop it; returns a line per batch on which
    GX's verdict is not the ingest's."""
    ensure_quality_schema(con)
    disagreements = []
    for rows in _validations(run_sql(con, sql_text("landing_profiles_kept.sql", QUALITY_SQL))):
        run_id, _, suite, _, rules, _, _ = rows[0]
        outcome = gx_validation(con, suite, rules, [(row[3], row[6]) for row in rows])
        for _, _, _, label, _, failures, _ in rows:
            said, found = json.loads(failures), [f.describe(label) for f in outcome.failures_by.get(label, [])]
            if said != found:
                disagreements.append(f"{label}: the ingest judged {'; '.join(said) or 'passed'}, "
                                     f"GX {'; '.join(found) or 'passed'}")
        record_validations(con, run_id, "landing", EVENTS_KEY.path, [(outcome.table, outcome)])
        for _, batch_no, *_ in rows:
            run_sql(con, sql_text("landing_profiles_recorded.sql", QUALITY_SQL),
                    {"run_id": run_id, "batch_no": batch_no})
    return disagreements
