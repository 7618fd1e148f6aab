"""Feeds that went silent: each feed declares how often it is expected
(expected_every in the registry); a feed with no new record for longer is
flagged by a (non-blocking) check on the event store."""


from datetime import datetime, timedelta
from pathlib import Path

from dagster import AssetCheckExecutionContext, AssetCheckResult, AssetCheckSeverity, MetadataValue, asset_check

from orchestration.ingest.assets import EVENTS_KEY
from orchestration.ingest.registry import Registry, load_registry
from orchestration.ingest.store import run_sql, sql_text
from orchestration.quality.results import record_check
from orchestration.resources import Warehouse

SQL = Path(__file__).parent / "sql"


def stale_feeds(last_records: dict[str, datetime], registry: Registry, now: datetime) -> dict[str, str]:
    """org_id -> why it is stale, for feeds with expected_every."""
    stale = {}
    for feed in registry.feeds:
        if feed.expected_every is None:
            continue
        last = last_records.get(feed.org_id)
        if last is None:
            stale[feed.org_id] = "no record ingested yet"
        elif now - last > feed.expected_every:
            hours = (now - last) / timedelta(hours=1)
            stale[feed.org_id] = (f"last new record {hours:.0f} h ago, expected every "
                                  f"{feed.expected_every / timedelta(hours=1):.0f} h")
    return stale


@asset_check(asset=EVENTS_KEY, name="feeds_fresh", blocking=False,
             description="Every feed delivered new records within its expected_every (registry).")
def feeds_fresh(context: AssetCheckExecutionContext, warehouse: Warehouse) -> AssetCheckResult:
    con = warehouse.connect()
    try:
        last = dict(run_sql(con, sql_text("last_records_per_feed.sql", SQL)))
        now = run_sql(con, sql_text("utc_now.sql", SQL))[0][0]
        stale = stale_feeds(last, load_registry(), now)
        result = feeds_fresh_result(stale)
        record_check(con, context.run.run_id, EVENTS_KEY.path, "feeds_fresh", result, float(len(stale)))
    finally:
        con.close()
    return result


def feeds_fresh_result(stale: dict[str, str]) -> AssetCheckResult:
    return AssetCheckResult(
        passed=not stale,
        severity=AssetCheckSeverity.WARN,
        description="; ".join(f"{org}: {why}" for org, why in stale.items()) or "every feed is fresh",
        metadata={"stale_feeds": MetadataValue.json(stale)},
    )
