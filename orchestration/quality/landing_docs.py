"""The landing suite's verdicts in GX. The ingest judges each batch's profile
without GX (expectations/profile_rules.py) and keeps the profile, the rules
and its verdict (quality.landing_profiles); here, in the step of the
event-store suite that runs after it, GX validates each kept profile with
the same rules and the validation is recorded for the Data Docs under the
run that ingested the batch. A GX verdict other than the one the ingest took
is said, for the check to fail on: one rule read two ways is a bug."""

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


def _rules(text: str) -> list[ProfileRule]:
    return [ProfileRule(**{**rule, "value_set": tuple(rule["value_set"])}) for rule in json.loads(text)]


def gx_validation(con: duckdb.DuckDBPyConnection, suite: str, label: str, rules: str,
                  profile: bytes) -> SuiteOutcome:
    """GX's validation of a kept profile, read as the frame the ingest judged (its column types kept)."""
    table = pa.ipc.open_stream(profile).read_all()
    frame = con.from_arrow(table).df()
    return validate_frame(suite, label, frame, [rule.expectation() for rule in _rules(rules)], KEY_COLUMNS,
                          profile=True)


def record_landing_verdicts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Validate and record every kept landing profile, then drop it; returns a line per batch on which
    GX's verdict is not the ingest's."""
    ensure_quality_schema(con)
    disagreements, by_run = [], {}
    kept = run_sql(con, sql_text("landing_profiles_kept.sql", QUALITY_SQL))
    for run_id, batch_no, suite, label, rules, failures, profile in kept:
        outcome = gx_validation(con, suite, label, rules, profile)
        said, found = json.loads(failures), [f.describe(label) for f in outcome.failures]
        if said != found:
            disagreements.append(f"{label}: the ingest judged {'; '.join(said) or 'passed'}, "
                                 f"GX {'; '.join(found) or 'passed'}")
        by_run.setdefault(run_id, []).append((batch_no, label, outcome))
    for run_id, validations in by_run.items():
        record_validations(con, run_id, "landing", EVENTS_KEY.path, [(label, o) for _, label, o in validations])
        for batch_no, _, _ in validations:
            run_sql(con, sql_text("landing_profiles_recorded.sql", QUALITY_SQL),
                    {"run_id": run_id, "batch_no": batch_no})
    return disagreements
