"""Ingest whole feeds, with the pseudonymisation secret each may use."""

from __future__ import annotations

import os
from collections.abc import Callable

import duckdb

from orchestration.ingest.pipeline import FileOutcome, IngestRun, ingest_file
from orchestration.ingest.registry import Feed
from orchestration.ingest.store import DEMO_PEPPER, set_pepper
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
    outcomes = []
    for path in feed.files():
        outcome = ingest_file(con, feed, path, run)
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    return outcomes
