"""The event-store suite as a blocking asset check on raw/events.

It validates what was appended since it last passed (whoever wrote it): GX
reads the profile of those events (sql/event_store_profile.sql), the few
rows on which each rule holds exactly when it holds on all of them, so its
cost and memory do not grow with the delivery. An ERROR failure stops every
asset downstream in the run."""


from pathlib import Path

from dagster import AssetCheckExecutionContext, AssetCheckResult, AssetCheckSeverity, MetadataValue, asset_check

from expectations.event_store import KEY_COLUMNS, event_store_expectations
from expectations.validate import SuiteOutcome, validate_frame
from orchestration.core.asset_keys import EVENTS_KEY
from orchestration.core.check_results import record_check, record_validations
from orchestration.core.faults import fault_point
from orchestration.core.quality_schema import ensure_quality_schema
from orchestration.core.registry import load_registry
from orchestration.core.resources import Warehouse
from orchestration.core.warehouse import run_sql, sql_text
from orchestration.quality.landing_docs import record_landing_verdicts

QUALITY_SQL = Path(__file__).parent / "sql"
CHECK_NAME = "event_store_suite"


def validate_new_events(warehouse: Warehouse) -> tuple[list[SuiteOutcome], int, int | None]:
    """Validate the events appended since the last pass on their profile;
    returns the outcomes, how many events were new and the highest event_seq
    validated (None when nothing was new). The watermark moves there when
    no ERROR failed."""
    expectations = event_store_expectations(load_registry().org_ids)
    con = warehouse.connect()
    try:
        ensure_quality_schema(con)
        ((after, appended, through),) = run_sql(con, sql_text("event_store_new.sql", QUALITY_SQL),
                                                 {"check_name": CHECK_NAME})
        if not appended:
            return [], 0, None
        frame = con.execute(sql_text("event_store_profile.sql", QUALITY_SQL),
                            {"after": after, "through_seq": through}).fetch_df()
        outcome = validate_frame(CHECK_NAME, "raw.events", frame, expectations, KEY_COLUMNS)
        if not outcome.errors:
            run_sql(con, sql_text("advance_watermark.sql", QUALITY_SQL),
                    {"check_name": CHECK_NAME, "validated_through": through})
        return [outcome], appended, through
    finally:
        con.close()


@asset_check(asset=EVENTS_KEY, name=CHECK_NAME, blocking=True,
             description="great-expectations suite (expectations/event_store.py) over every event appended "
                         "since it last passed, on their profile; ERROR blocks the marts. It first has GX "
                         "validate and record the landing suite's profiles of the batches stored before "
                         "(quality/landing_docs.py), and fails when GX's verdict is not the ingest's.")
def event_store_suite(context: AssetCheckExecutionContext, warehouse: Warehouse) -> AssetCheckResult:
    fault_point("event_store_suite")
    con = warehouse.connect()
    try:  # the landing suite's verdicts of the batches stored before, recorded in GX first
        disagreements = record_landing_verdicts(con)
    finally:
        con.close()
    outcomes, rows, high = validate_new_events(warehouse)
    errors = [f for o in outcomes for f in o.errors]
    warnings = [f for o in outcomes for f in o.warnings]
    failures = errors + warnings
    said = [f"the landing suite's verdict is not GX's: {line}" for line in disagreements] + [
        f.describe("raw.events") for f in failures]
    description = "; ".join(said) if said else f"{rows} new event(s) passed the event-store suite"
    result = AssetCheckResult(
        passed=not said,
        severity=AssetCheckSeverity.ERROR if errors or disagreements else AssetCheckSeverity.WARN,
        description=description[:2000],
        metadata={
            "rows_validated": rows,
            "validated_through_event_seq": high if high is not None else -1,
            "failures": MetadataValue.json([
                {"column": f.column, "expectation": f.expectation, "severity": f.severity,
                 "unexpected_count": f.unexpected_count, "sample_keys": f.sample_keys} for f in failures
            ]),
        },
    )
    con = warehouse.connect()
    try:
        record_check(con, context.run.run_id, EVENTS_KEY.path, CHECK_NAME, result,
                     float(sum(f.unexpected_count for f in failures) + len(disagreements)))
        record_validations(con, context.run.run_id, "event_store", EVENTS_KEY.path,
                           [(f"raw.events: {rows} new event(s), their profile", o) for o in outcomes])
    finally:
        con.close()
    return result
