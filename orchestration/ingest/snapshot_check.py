"""The WARN check on snapshot feeds: a key that disappeared from a register,
or a change its rules ignore, is reported on its feed (never blocking: the
events that could be derived were)."""

from __future__ import annotations

import duckdb
from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, MetadataValue

from orchestration.core.asset_keys import EVENTS_KEY
from orchestration.core.warehouse import run_sql, sql_text
from orchestration.ingest import SQL_DIR

SNAPSHOT_CHECK = "snapshot_changes"

SNAPSHOT_CHECK_SPEC = AssetCheckSpec(
    SNAPSHOT_CHECK, asset=EVENTS_KEY,
    description="Snapshot feeds: WARN names the feed when a key disappeared from its register (a member is then "
                "recorded as left) or a change was ignored (an initiative's title, a corrected left_on).")


def snapshot_check_result(con: duckdb.DuckDBPyConnection, run_id: str) -> AssetCheckResult:
    rows = run_sql(con, sql_text("snapshot_notes_of_run.sql", SQL_DIR), {"run_id": run_id})
    by_feed = {feed: {"disappeared": gone, "ignored_changes": ignored, "sample": sample}
               for feed, gone, ignored, sample in rows}
    description = "; ".join(f"{feed}: {n['disappeared']} key(s) disappeared, {n['ignored_changes']} change(s) "
                            f"ignored (e.g. {n['sample'][0]})" for feed, n in by_feed.items())
    return AssetCheckResult(
        asset_key=EVENTS_KEY, check_name=SNAPSHOT_CHECK, passed=not by_feed, severity=AssetCheckSeverity.WARN,
        description=(description or "no snapshot changed a key beyond what its events say")[:2000],
        metadata={"feeds": MetadataValue.json(by_feed)})
