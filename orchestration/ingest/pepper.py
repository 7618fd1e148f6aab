"""The pseudonymisation secret (the pepper) a feed may use, and the guard
that keeps one pepper per warehouse: a person is recognised across feeds
and runs only while every e-mail address is hashed with the same secret, so
a run with another pepper would split each person in two. The warehouse
keeps a fingerprint of its pepper (an HMAC of a fixed label, never the
pepper itself) and a run with another one stops before storing anything."""

from __future__ import annotations

import hashlib
import hmac
import os

import duckdb

from orchestration.ingest.registry import Feed
from orchestration.ingest.store import DEMO_PEPPER, run_sql, sql_text, transaction
from orchestration.settings import PEPPER_ENV

FINGERPRINT_LABEL = b"coopmetrics pepper fingerprint v1"


class PepperMissing(RuntimeError):
    """A real (non-demo) feed cannot be pseudonymised without the secret."""


class PepperMismatch(RuntimeError):
    """The pepper in force is not the one the warehouse was built with."""


def run_pepper() -> str:
    """The pepper of this run: COOPMETRICS_PEPPER, else the demo secret."""
    return os.environ.get(PEPPER_ENV) or DEMO_PEPPER


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


def fingerprint(pepper: str) -> str:
    return hmac.new(pepper.encode("utf-8"), FINGERPRINT_LABEL, hashlib.sha256).hexdigest()


def guard_pepper(con: duckdb.DuckDBPyConnection, pepper: str) -> None:
    """Refuse a pepper other than the warehouse's; the first run records its
    own. The demo secret is refused in a warehouse holding real data."""
    mine = fingerprint(pepper)
    recorded = run_sql(con, "SELECT fingerprint FROM raw.pepper_fingerprint")
    if recorded and recorded[0][0] != mine:
        theirs = "the demo secret" if recorded[0][0] == fingerprint(DEMO_PEPPER) else f"another {PEPPER_ENV}"
        ours = "the demo secret (it is not set)" if pepper == DEMO_PEPPER else f"this {PEPPER_ENV}"
        raise PepperMismatch(
            f"this warehouse was pseudonymised with {theirs}, and this run would use {ours}: every person "
            "would be split in two. Nothing was stored. Run with the warehouse's own pepper, or start a new "
            "warehouse (COOPMETRICS_WAREHOUSE).")
    if recorded:
        return
    if pepper == DEMO_PEPPER and run_sql(con, sql_text("real_events_count.sql"))[0][0]:
        raise PepperMismatch("this warehouse holds events of feeds that are not demo data: the demo secret "
                             f"may not be used in it. Set {PEPPER_ENV}. Nothing was stored.")
    with transaction(con):
        run_sql(con, "INSERT INTO raw.pepper_fingerprint VALUES ($fingerprint, now()::TIMESTAMP)",
                {"fingerprint": mine})
