"""Ingest whole feeds, with the pseudonymisation secret each may use."""

from __future__ import annotations

import os
from collections.abc import Callable

import duckdb

from orchestration.ingest.landing_gate import preload_great_expectations
from orchestration.ingest.pipeline import FileOutcome, IngestRun, ingest_files
from orchestration.ingest.registry import Feed, Registry
from orchestration.ingest.store import DEMO_PEPPER, run_script, set_pepper, transaction
from orchestration.settings import PEPPER_ENV


class PepperMissing(RuntimeError):
    """A real (non-demo) feed cannot be pseudonymised without the secret."""


def pepper_for(feed: Feed) -> str:
    """The HMAC secret for a feed: COOPMETRICS_PEPPER, or the demo default
    for feeds the registry marks as demo data."""
    pepper = os.environ.get(PEPPER_ENV)
    if pepper:
        return pepper
    if feed.demo:
        return DEMO_PEPPER
    raise PepperMissing(
        f"feed {feed.org_id} is not demo data and {PEPPER_ENV} is not set: refusing to ingest it, "
        f"since e-mail addresses could not be pseudonymised with a secret. Set {PEPPER_ENV} (see .env.example)."
    )


def ingest_feed(con: duckdb.DuckDBPyConnection, feed: Feed, run: IngestRun,
                progress: Callable[[FileOutcome], None] | None = None) -> list[FileOutcome]:
    set_pepper(con, pepper_for(feed))
    preload_great_expectations()
    outcomes = ingest_files(con, feed, feed.files(), run)
    if progress:
        for outcome in outcomes:
            progress(outcome)
    return outcomes


def sync_organisations(con: duckdb.DuckDBPyConnection, registry: Registry) -> None:
    """raw.organisations := the registry's organisations (one transaction)."""
    feeds = registry.feeds
    with transaction(con):
        run_script(con, "sync_organisations.sql", {
            "org_ids": [f.org_id for f in feeds], "names": [f.name for f in feeds],
            "sectors": [f.sector for f in feeds], "localities": [f.locality for f in feeds],
            "formats": [f.format for f in feeds], "demo": [f.demo for f in feeds],
        })
