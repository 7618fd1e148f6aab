"""Ingest whole feeds, with the pseudonymisation secret each may use."""

from __future__ import annotations

import duckdb

from orchestration.core.pseudonyms import pepper_for, set_pepper
from orchestration.core.quality_schema import ensure_quality_schema
from orchestration.core.registry import Feed, Registry
from orchestration.core.warehouse import run_script, transaction
from orchestration.ingest import SQL_DIR
from orchestration.ingest.feed_files import FileOutcome, ingest_files
from orchestration.ingest.ingest_run import IngestRun
from orchestration.ingest.pepper_guard import guard_pepper


def ingest_feed(con: duckdb.DuckDBPyConnection, feed: Feed, run: IngestRun) -> list[FileOutcome]:
    """What is new in the feed's files; paths that lead outside its folder
    are refused unread. Stops before anything is stored when the pepper is
    not the warehouse's (PepperMismatch) or missing (PepperMissing)."""
    pepper = pepper_for(feed)
    guard_pepper(con, pepper)
    set_pepper(con, pepper)
    ensure_quality_schema(con)  # where each batch keeps its landing profile
    landed = feed.landed()
    outcomes = ingest_files(con, feed, landed.files, run, landed.unreadable)
    outcomes += [FileOutcome(str(path), "refused", message=why) for path, why in landed.refused.items()]
    return outcomes


def sync_registry(con: duckdb.DuckDBPyConnection, registry: Registry) -> None:
    """raw.organisations := the registry's organisations, and
    raw.outcome_catalogue with raw.impact_settings := its impact catalogue
    (one transaction)."""
    feeds = registry.organisations()
    impact = registry.impact
    with transaction(con):
        run_script(con, "sync_organisations.sql", {
            "org_ids": [f.org_id for f in feeds], "names": [f.name for f in feeds],
            "sectors": [f.sector for f in feeds], "localities": [f.locality for f in feeds],
            "formats": [f.format for f in feeds], "demo": [f.demo for f in feeds],
        }, folder=SQL_DIR)
        outcomes = impact.outcomes
        run_script(con, "sync_impact_catalogue.sql", {
            "codes": [o.code for o in outcomes], "labels": [o.label for o in outcomes],
            "units": [o.unit for o in outcomes], "proxies": [o.proxy_eur for o in outcomes],
            "proxy_sources": [o.proxy_source for o in outcomes], "price_years": [o.price_year for o in outcomes],
            "deadweights": [o.deadweight for o in outcomes], "displacements": [o.displacement for o in outcomes],
            "attributions": [o.attribution for o in outcomes], "drop_offs": [o.drop_off for o in outcomes],
            "durations": [o.duration_years for o in outcomes],
            "discount_rate": impact.discount_rate, "catalogue_digest": impact.digest,
        }, folder=SQL_DIR)
