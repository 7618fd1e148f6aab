"""The ingest asset: every registered feed into the event store."""


import uuid

import duckdb
import pyarrow as pa
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetsDefinition,
    AssetSpec,
    BackfillPolicy,
    Config,
    Failure,
    MaterializeResult,
    MetadataValue,
    RetryPolicy,
    StaticPartitionsDefinition,
    TableColumn,
    TableSchema,
    multi_asset,
)
from pydantic import Field

from orchestration.core.asset_keys import CATALOGUE_KEYS, EVENTS_KEY, ORGANISATIONS_KEY
from orchestration.core.check_results import record_check
from orchestration.core.pseudonyms import PepperMissing, run_pepper
from orchestration.core.registry import Feed, Registry, RegistryError, load_registry
from orchestration.core.resources import Warehouse
from orchestration.ingest.feed_files import FileOutcome
from orchestration.ingest.feeds import ingest_feed, sync_registry
from orchestration.ingest.ingest_run import IngestRun
from orchestration.ingest.landing_gate import BatchVerdict
from orchestration.ingest.pepper_guard import PepperMismatch, guard_pepper
from orchestration.ingest.snapshot_check import SNAPSHOT_CHECK, SNAPSHOT_CHECK_SPEC, snapshot_check_result
from orchestration.ingest.validation import shutdown_workers

LANDING_CHECK = "landing_batch_suite"
FEEDS_CHECK = "feeds_ingested"


class IngestConfig(Config):
    feeds: list[str] | None = Field(default=None, description="feed ids of the feeds to ingest (a feed's id is its "
                                                              "org_id unless the registry gives one); default: all.")


def _summary(outcomes: list[FileOutcome]) -> dict[str, int]:
    return {
        "files_read": sum(o.status == "ingested" for o in outcomes),
        "files_skipped": sum(o.status == "skipped" for o in outcomes),
        "files_quarantined": sum(o.status == "file_quarantined" for o in outcomes),
        "records_read": sum(o.records_read for o in outcomes),
        "stored": sum(o.stored for o in outcomes),
        "duplicates": sum(o.duplicates for o in outcomes),
        "quarantined": sum(o.quarantined for o in outcomes),
    }


def landing_check_result(verdicts: list[BatchVerdict]) -> AssetCheckResult:
    """One result for every batch the run read: ERROR when any batch was
    rejected (its records are in raw.quarantine as batch_rejected)."""
    rejected = [v for v in verdicts if v.rejected]
    failures = [(v, f) for v in verdicts for f in v.outcome.failures]
    description = ("; ".join(f.describe(v.label) for v, f in failures) if failures
                   else f"{len(verdicts)} batch(es) passed the landing suite")
    return AssetCheckResult(
        asset_key=EVENTS_KEY, check_name=LANDING_CHECK, passed=not failures,
        severity=AssetCheckSeverity.ERROR if rejected else AssetCheckSeverity.WARN,
        description=description[:2000],
        metadata={
            "batches_validated": len(verdicts),
            "batches_rejected": len(rejected),
            "rejected": MetadataValue.json([v.label for v in rejected]),
            "failures": MetadataValue.json([
                {"batch": v.label, "column": f.column, "expectation": f.expectation,
                 "unexpected_count": f.unexpected_count, "sample_lines": f.sample_keys} for v, f in failures]),
        },
    )


def feeds_check_result(feeds: list[Feed], failed: dict[str, str]) -> AssetCheckResult:
    description = ("; ".join(f"{feed_id}: {why}" for feed_id, why in failed.items()) if failed
                   else f"{len(feeds)} feed(s) ingested")
    return AssetCheckResult(
        asset_key=EVENTS_KEY, check_name=FEEDS_CHECK, passed=not failed, severity=AssetCheckSeverity.ERROR,
        description=description[:2000], metadata={"feeds": len(feeds), "failed": MetadataValue.json(failed)})


def build_ingest_assets(registry: Registry) -> AssetsDefinition:
    """The ingest multi-asset, one partition per feed of the registry: a run
    (or a backfill, in one run) ingests a range of feeds; the marts
    downstream depend on all of them."""
    feed_partitions = StaticPartitionsDefinition(registry.feed_ids)

    @multi_asset(
        specs=[
            AssetSpec(EVENTS_KEY, group_name="ingest", owners=["team:data-engineering"], kinds={"duckdb", "python"},
                      description="Validated, pseudonymised, append-only event store (raw.events), with "
                                  "raw.quarantine and raw.ingest_ledger. Reads every feed of sources/registry.yml."),
            AssetSpec(ORGANISATIONS_KEY, group_name="ingest", owners=["team:data-engineering"], kinds={"duckdb"},
                      description="The registry's organisations (raw.organisations), rewritten by every ingest run."),
            *[AssetSpec(key, group_name="ingest", owners=["team:data-engineering"], kinds={"duckdb"},
                        description=f"The registry's impact catalogue ({key.to_user_string().replace('/', '.')}), "
                                    "rewritten by every ingest run.") for key in CATALOGUE_KEYS],
        ],
        check_specs=[
            AssetCheckSpec(
                LANDING_CHECK, asset=EVENTS_KEY,
                description="The landing suite (expectations/landing.py) on every batch's profile before it is "
                            "appended (GX validates the same profile for the Data Docs in the event-store "
                            "suite's step): an unsafe batch is quarantined (that feed's alone, ERROR); a file "
                            "quarantined above its feed's warn_quarantined_share is a WARN. Never blocks: what "
                            "was stored passed the record rules."),
            SNAPSHOT_CHECK_SPEC,
            AssetCheckSpec(
                FEEDS_CHECK, asset=EVENTS_KEY,
                description="Every selected feed was ingested: ERROR names a feed that was refused (no pepper, a "
                            "path outside its folder) or failed; the other feeds and the marts go on."),
        ],
        name="ingest_feeds",
        partitions_def=feed_partitions,
        backfill_policy=BackfillPolicy.single_run(),
        retry_policy=RetryPolicy(max_retries=2, delay=5),
    )
    def raw_events(context: AssetExecutionContext, warehouse: Warehouse, config: IngestConfig):
        registry = load_registry()
        wanted = set(context.partition_keys) if context.has_partition_key_range or context.has_partition_key else None
        if config.feeds is not None:
            wanted = set(config.feeds) if wanted is None else wanted & set(config.feeds)
        feeds = [f for f in registry.feeds if wanted is None or f.feed_id in wanted]
        unknown = sorted(set(config.feeds or []) - set(registry.feed_ids))
        if unknown:
            raise Failure(f"unknown feed(s) {', '.join(unknown)}; registered: {', '.join(registry.feed_ids)}")
        run = IngestRun(context.run_id or str(uuid.uuid4()), IngestRun.utc_now())
        outcomes: list[FileOutcome] = []
        failed: dict[str, str] = {}  # feed_id -> why the feed was not (wholly) ingested
        con = warehouse.connect()
        try:
            guard_pepper(con, run_pepper())  # a pepper other than the warehouse's: nothing is stored
            sync_registry(con, registry)
            for feed in feeds:
                try:
                    done = ingest_feed(con, feed, run)
                except (PepperMissing, RegistryError, OSError, duckdb.Error) as exc:
                    # one feed's trouble never stops another feed: its open batch was rolled back
                    context.log.error(f"{feed.feed_id}: not ingested: {exc}")
                    failed[feed.feed_id] = str(exc)
                    continue
                outcomes.extend(done)
                refused = [o for o in done if o.status == "refused"]
                if refused:
                    failed[feed.feed_id] = "; ".join(f"{o.source_file} {o.message}" for o in refused)
                totals = _summary(done)
                context.log.info(f"{feed.feed_id}: {totals['stored']} stored, {totals['duplicates']} duplicates, "
                                 f"{totals['quarantined']} quarantined from {len(done)} file(s)")
            stored_total = con.execute("SELECT count(*) FROM raw.events").fetchall()[0][0]
            columns = [TableColumn(name, data_type) for name, data_type in con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'raw' "
                "AND table_name = 'events' ORDER BY ordinal_position").fetchall()]
            verdicts = [v for o in outcomes for v in o.landing]
            landing = landing_check_result(verdicts)
            record_check(con, context.run_id, EVENTS_KEY.path, LANDING_CHECK, landing,
                         float(sum(v.rejected for v in verdicts)), stage="landing")
            feeds_result = feeds_check_result(feeds, failed)
            record_check(con, context.run_id, EVENTS_KEY.path, FEEDS_CHECK, feeds_result, float(len(failed)),
                         stage="landing")
            snapshots = snapshot_check_result(con, run.run_id)
            record_check(con, context.run_id, EVENTS_KEY.path, SNAPSHOT_CHECK, snapshots,
                         float(not snapshots.passed), stage="landing")
        except PepperMismatch as exc:
            raise Failure(str(exc), allow_retries=False) from exc
        finally:
            con.close()
            # the validation workers and the batches' Arrow buffers go: the later stages (dbt's
            # process among them) run in the same memory budget
            shutdown_workers()
            pa.default_memory_pool().release_unused()
        totals = _summary(outcomes)
        reasons: dict[str, int] = {}
        for outcome in outcomes:
            for reason, count in outcome.reasons.items():
                reasons[reason] = reasons.get(reason, 0) + count
        yield MaterializeResult(asset_key=ORGANISATIONS_KEY, metadata={"organisations": len(registry.org_ids)})
        outcomes_key, settings_key = CATALOGUE_KEYS
        yield MaterializeResult(asset_key=outcomes_key, metadata={"outcome_codes": len(registry.impact.outcomes)})
        yield MaterializeResult(asset_key=settings_key, metadata={
            "discount_rate": registry.impact.discount_rate, "catalogue_digest": registry.impact.digest})
        yield MaterializeResult(asset_key=EVENTS_KEY, metadata={
            **totals,
            "run_ingested_at": run.now.isoformat(),
            "events_in_store": stored_total,
            "dagster/row_count": stored_total,
            "dagster/column_schema": TableSchema(columns=columns),
            "feeds_failed": MetadataValue.json(failed),
            "quarantine_reasons": MetadataValue.json(reasons),
            "files": MetadataValue.md("\n".join(
                ["| file | status | read | stored | dup | quarantined |", "|---|---|---|---|---|---|"]
                + [f"| {o.source_file} | {o.status} | {o.records_read} | {o.stored} | {o.duplicates} "
                   f"| {o.quarantined} |" for o in outcomes])),
        })
        yield landing
        yield feeds_result
        yield snapshots

    return raw_events
