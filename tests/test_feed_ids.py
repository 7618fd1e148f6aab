"""Several feeds per organisation: ledger and quarantine rows carry the feed
id, and a store written before feed ids existed gets them on opening,
without re-ingesting anything."""

from __future__ import annotations

import duckdb

from tests.ingest_helpers import NDJSON_FEED, Harness, envelope, lines


def test_a_store_written_before_feed_ids_gets_them_and_is_not_read_again(tmp_path):
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", lines(envelope("e1"), envelope("e2"), "not json"))
    harness.ingest()
    # the store as it was before: no feed_id in the ledger or the quarantine
    con = duckdb.connect(str(harness.db))
    for table in ("raw.ingest_ledger", "raw.quarantine"):
        con.execute(f"ALTER TABLE {table} DROP COLUMN feed_id")
    con.close()
    (again,) = harness.ingest()
    assert again.status == "skipped"
    assert harness.query("SELECT feed_id, feed_org_id, count(*) FROM raw.ingest_ledger GROUP BY ALL") == [
        ("alpha", "alpha", 1)]
    assert harness.query("SELECT feed_id, reason FROM raw.quarantine") == [("alpha", "malformed_record")]
    assert harness.query("SELECT count(*) FROM raw.events") == [(2,)]


def test_two_feeds_of_one_organisation_keep_their_own_ledger(tmp_path):
    second = NDJSON_FEED | {"feed_id": "alpha-late", "landing": "alpha-late/*.ndjson"}
    harness = Harness(tmp_path, [NDJSON_FEED, second])
    harness.write("alpha/a.ndjson", lines(envelope("e1")))
    harness.write("alpha-late/a.ndjson", lines(envelope("e2"), envelope("e1", payload={"person_ref": "x",
                                                                                      "role": "worker"})))
    harness.ingest()
    assert harness.query("SELECT feed_id, feed_org_id, records_read, stored, quarantined FROM raw.ingest_ledger "
                         "ORDER BY feed_id") == [("alpha", "alpha", 1, 1, 0), ("alpha-late", "alpha", 2, 1, 1)]
    # the organisation's events are one key space: the second feed's e1 conflicts with the first's
    assert harness.query("SELECT feed_id, reason FROM raw.quarantine") == [("alpha-late", "conflicting_duplicate")]
