"""Feeds that went silent or thin, as WARN checks on the event store (they
report, they never block): each feed declares how often it is expected
(expected_every in the registry), and a delivery far below the feed's recent
history is flagged too."""


from datetime import datetime, timedelta
from pathlib import Path

from dagster import AssetCheckExecutionContext, AssetCheckResult, AssetCheckSeverity, MetadataValue, asset_check

from orchestration.core.asset_keys import EVENTS_KEY
from orchestration.core.check_results import record_check
from orchestration.core.registry import Registry, load_registry
from orchestration.core.resources import Warehouse
from orchestration.core.warehouse import run_sql, sql_text

SQL = Path(__file__).parent / "sql"


def stale_feeds(last_records: dict[str, datetime], registry: Registry, now: datetime) -> dict[str, str]:
    """feed_id -> why it is stale, for feeds with expected_every."""
    stale = {}
    for feed in registry.feeds:
        if feed.expected_every is None:
            continue
        last = last_records.get(feed.feed_id)
        if last is None:
            stale[feed.feed_id] = "no record ingested yet"
        elif now - last > feed.expected_every:
            hours = (now - last) / timedelta(hours=1)
            stale[feed.feed_id] = (f"last new record {hours:.0f} h ago, expected every "
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


VOLUME_DROP = 0.5  # a delivery below half of the mean of the five before it
MIN_HISTORY = 3  # runs of history needed before judging


def volume_drops(rows: list[tuple]) -> dict[str, str]:
    """feed_id -> why, from (feed_id, latest, usual, history) rows."""
    drops = {}
    for feed_id, latest, usual, history in rows:
        if history >= MIN_HISTORY and usual and latest < VOLUME_DROP * usual:
            drops[feed_id] = f"{latest} records, {latest / usual:.0%} of the usual {usual:.0f} (last {history} runs)"
    return drops


@asset_check(asset=EVENTS_KEY, name="feed_volume", blocking=False,
             description="No feed delivered less than half of its recent average (last five deliveries).")
def feed_volume(context: AssetCheckExecutionContext, warehouse: Warehouse) -> AssetCheckResult:
    con = warehouse.connect()
    try:
        drops = volume_drops(run_sql(con, sql_text("feed_volumes.sql", SQL)))
        result = AssetCheckResult(
            passed=not drops, severity=AssetCheckSeverity.WARN,
            description="; ".join(f"{org}: {why}" for org, why in drops.items()) or "volumes as usual",
            metadata={"volume_drops": MetadataValue.json(drops)})
        record_check(con, context.run.run_id, EVENTS_KEY.path, "feed_volume", result, float(len(drops)))
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
