"""One pepper per warehouse, checked before a feed stores anything: a
person is recognised across feeds and runs only while every e-mail address
is hashed with the same secret, so a run with another pepper would split
each person in two (the fingerprint is described in core/pseudonyms.py)."""

from __future__ import annotations

import duckdb

from orchestration.core.pseudonyms import DEMO_PEPPER, fingerprint
from orchestration.core.settings import PEPPER_ENV
from orchestration.core.warehouse import run_sql, sql_text, transaction
from orchestration.ingest import SQL_DIR


class PepperMismatch(RuntimeError):
    """The pepper in force is not the one the warehouse was built with."""


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
    if pepper == DEMO_PEPPER and run_sql(con, sql_text("real_events_count.sql", SQL_DIR))[0][0]:
        raise PepperMismatch("this warehouse holds events of feeds that are not demo data: the demo secret "
                             f"may not be used in it. Set {PEPPER_ENV}. Nothing was stored.")
    with transaction(con):
        run_sql(con, "INSERT INTO raw.pepper_fingerprint VALUES ($fingerprint, now()::TIMESTAMP)",
                {"fingerprint": mine})
