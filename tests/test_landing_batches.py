"""Landing batches that span files: the small files of a feed share one
batch (one statement, one landing suite), yet every record keeps its own
file and line, duplicates and retractions follow file order, and the size
of a batch never changes what is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest_helpers import Harness, envelope, lines

WORKER = {"person_ref": "p1", "role": "worker"}
RETRACT_E3 = {"event_id": "e3", "reason": "typo"}
RETRACT_LATER = {"event_id": "e9", "reason": "typo"}


def _three_files(harness: Harness) -> None:
    harness.write("alpha/a.ndjson", lines(envelope("e1"), envelope("e2")))
    # e1 again, identical: a duplicate; r0 retracts e9, which only comes later
    harness.write("alpha/b.ndjson", lines(envelope("e3"), envelope("e1"),
                                          envelope("r0", event_type="event.retracted", payload=RETRACT_LATER)))
    # e2 again with other content: the first delivery (a.ndjson) wins; r1 retracts e3 of b.ndjson
    harness.write("alpha/c.ndjson", lines(envelope("e2", payload=WORKER),
                                          envelope("r1", event_type="event.retracted", payload=RETRACT_E3),
                                          envelope("e9")))


def test_small_files_share_one_batch_and_keep_their_own_lineage(tmp_path):
    harness = Harness(tmp_path)
    _three_files(harness)
    a, b, c = harness.ingest()
    assert [(o.status, o.records_read, o.stored, o.duplicates, o.quarantined) for o in (a, b, c)] == [
        ("ingested", 2, 2, 0, 0), ("ingested", 3, 1, 1, 1), ("ingested", 3, 2, 0, 1)]
    # one batch, judged once, reported with its first file
    assert [len(o.landing) for o in (a, b, c)] == [1, 0, 0]
    assert a.landing[0].label == f"3 files, {tmp_path}/alpha/a.ndjson (lines 1-2) to c.ndjson (lines 1-3)"
    assert harness.query("SELECT event_id, parse_filename(source_file), source_line FROM raw.events "
                         "ORDER BY event_seq") == [
        ("e1", "a.ndjson", 1), ("e2", "a.ndjson", 2), ("e3", "b.ndjson", 1), ("r1", "c.ndjson", 2),
        ("e9", "c.ndjson", 3)]
    assert harness.query("SELECT parse_filename(source_file), source_line, reason, message FROM raw.quarantine "
                         "ORDER BY 1, 2") == [
        ("b.ndjson", 3, "retraction_invalid", "retracts e9, which is not an earlier event of alpha"),
        ("c.ndjson", 1, "conflicting_duplicate",
         f"event_id e2 was stored before with different content (line 2 of {tmp_path}/alpha/a.ndjson)")]
    # a ledger row a file, each conserving its own records
    assert harness.query("SELECT parse_filename(source_file), records_read, stored, duplicates, quarantined, "
                         "last_line FROM raw.ingest_ledger ORDER BY 1") == [
        ("a.ndjson", 2, 2, 0, 0, 2), ("b.ndjson", 3, 1, 1, 1, 3), ("c.ndjson", 3, 2, 0, 1, 3)]
    assert [o.status for o in harness.ingest()] == ["skipped", "skipped", "skipped"]


def _stored(root: Path, chunk_bytes: int | None) -> tuple[list[tuple], list[tuple], list[tuple]]:
    harness = Harness(root)
    _three_files(harness)
    harness.ingest(chunk_bytes=chunk_bytes)
    harness.write("alpha/b.ndjson", lines(envelope("e4"), envelope("e3", payload=WORKER)), append=True)
    harness.write("alpha/d.ndjson", lines(envelope("e5"), "junk"))
    harness.ingest(chunk_bytes=chunk_bytes)
    return (
        harness.query("SELECT event_id, parse_filename(source_file), source_line, content_hash FROM raw.events "
                      "ORDER BY event_seq"),
        harness.query("SELECT parse_filename(source_file), source_line, reason FROM raw.quarantine ORDER BY 1, 2"),
        harness.query("SELECT parse_filename(source_file), sum(records_read), sum(stored), sum(duplicates), "
                      "sum(quarantined), max(byte_offset_to) FROM raw.ingest_ledger GROUP BY 1 ORDER BY 1"),
    )


def test_the_size_of_a_batch_never_changes_what_is_stored(tmp_path):
    # one batch a run against a batch a line (a 1-byte block ends at every newline)
    together = _stored(tmp_path / "together", None)
    line_by_line = _stored(tmp_path / "line_by_line", 1)
    assert together == line_by_line
    events, quarantined, ledger = together
    assert [e[0] for e in events] == ["e1", "e2", "e3", "r1", "e9", "e4", "e5"]
    assert quarantined == [("b.ndjson", 3, "retraction_invalid"), ("b.ndjson", 5, "conflicting_duplicate"),
                           ("c.ndjson", 1, "conflicting_duplicate"), ("d.ndjson", 2, "malformed_record")]
    assert [row[:5] for row in ledger] == [("a.ndjson", 2, 2, 0, 0), ("b.ndjson", 5, 2, 1, 2),
                                           ("c.ndjson", 3, 2, 0, 1), ("d.ndjson", 2, 1, 0, 1)]


def test_csv_files_share_a_batch_only_when_their_headers_match(tmp_path):
    feed = {"org_id": "beta", "name": "Beta", "sector": "housing", "locality": "Napoli", "format": "csv",
            "landing": "beta/*.csv", "demo": True,
            "csv": {"delimiter": ";", "timezone": "Europe/Rome",
                    "columns": {"event_id": "id", "event_type": "tipo", "schema_version": "v",
                                "occurred_at": "quando", "payload": "dati"}}}
    harness = Harness(tmp_path, feeds=[feed])
    row = '{id};member.joined;1;2025-01-15 10:00:00;"{{""person_ref"": ""{id}"", ""role"": ""member""}}"\n'
    harness.write("beta/1.csv", "id;tipo;v;quando;dati\n" + row.format(id="b1"))
    harness.write("beta/2.csv", "id;tipo;v;quando;dati\n" + row.format(id="b2") + row.format(id="b3"))
    # the same columns in another order: parsed with its own mapping, in a batch of its own
    harness.write("beta/3.csv", "tipo;id;v;quando;dati\n" + "member.joined;b4;1;2025-01-15 10:00:00;"
                  '"{""person_ref"": ""b4"", ""role"": ""member""}"\n')
    outcomes = harness.ingest()
    assert [(o.stored, len(o.landing)) for o in outcomes] == [(1, 1), (2, 0), (1, 1)]
    assert harness.query("SELECT event_id, parse_filename(source_file), source_line FROM raw.events "
                         "ORDER BY event_seq") == [
        ("b1", "1.csv", 2), ("b2", "2.csv", 2), ("b3", "2.csv", 3), ("b4", "3.csv", 2)]


def test_a_mostly_bad_file_keeps_its_valid_records_and_warns(tmp_path):
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", lines(*(envelope(f"a{n}") for n in range(40))))
    # 20 records whole, 40 cut mid-line: two thirds quarantined, each record judged on its own
    whole = [lines(envelope(f"b{n}")) for n in range(60)]
    harness.write("alpha/b.ndjson", "".join(whole[:20] + [line[: len(line) // 2] + "\n" for line in whole[20:]]))
    harness.write("alpha/c.ndjson", lines(*(envelope(f"c{n}") for n in range(5))))
    (a, b, c) = harness.ingest()
    assert [(o.stored, o.quarantined) for o in (a, b, c)] == [(40, 0), (20, 40), (5, 0)]
    assert b.reasons == {"malformed_record": 40}
    (verdict,) = a.landing  # one batch for the three files: not rejected, a warning on b's share
    assert not verdict.rejected
    assert [(f.column, f.severity, f.sample_values) for f in verdict.outcome.failures] == [
        ("quarantined_share", "warning", ["0.6667"])]
    assert harness.query("SELECT parse_filename(source_file), records_read, stored, quarantined "
                         "FROM raw.ingest_ledger ORDER BY 1") == [
        ("a.ndjson", 40, 40, 0), ("b.ndjson", 60, 20, 40), ("c.ndjson", 5, 5, 0)]


def test_an_unsafe_batch_is_quarantined_alone_not_with_its_batch_mates(tmp_path, monkeypatch):
    """Beyond the record rules the landing suite guards what is about to be
    appended; a batch breaking it (here: a stricter suite that refuses the
    letter z in an event id) is quarantined, file by file."""
    from expectations import landing
    from expectations.profile_rules import ProfileRule

    strict = landing.landing_rules
    monkeypatch.setattr("orchestration.ingest.landing_gate.landing_rules", lambda feed: strict(feed) + [
        ProfileRule("not_match_regex", "event_id_character", regex="z")])
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", lines(*(envelope(f"a{n}") for n in range(4))))
    harness.write("alpha/b.ndjson", lines(envelope("b1"), envelope("bz2"), envelope("b3")))
    harness.write("alpha/c.ndjson", lines(envelope("c1")))
    a, b, c = harness.ingest()
    assert [(o.stored, o.quarantined, [v.rejected for v in o.landing]) for o in (a, b, c)] == [
        (4, 0, [False]), (0, 3, [True]), (1, 0, [False])]
    assert b.reasons == {"batch_rejected": 3}
    # the originals of the rejected records are kept for a replay
    assert harness.query("SELECT source_line, original IS NOT NULL FROM raw.quarantine ORDER BY 1") == [
        (1, True), (2, True), (3, True)]
    # GX validates each kept profile with the rules it was judged by (the stricter one too): the same verdicts
    from orchestration.core.warehouse import connect
    from orchestration.quality.landing_docs import record_landing_verdicts

    assert harness.query("SELECT count(*) FROM quality.landing_profiles") == [(3,)]
    con = connect(harness.db)
    try:
        assert record_landing_verdicts(con) == []
    finally:
        con.close()
    # in one validation: the three batches of the run, judged by the same rules
    assert harness.query("SELECT batch, success FROM quality.validation_results") == [
        (f"3 batches, the first {tmp_path}/alpha/a.ndjson (lines 1-4), the last {tmp_path}/alpha/c.ndjson (lines 1-1)",
         False)]
    assert harness.query("SELECT count(*) FROM quality.landing_profiles") == [(0,)]


def test_a_batch_takes_whole_segments_up_to_its_size(tmp_path):
    harness = Harness(tmp_path)
    sizes = [harness.write(f"alpha/{name}.ndjson", lines(*(envelope(f"{name}{n}") for n in range(2)))).stat().st_size
             for name in "abc"]
    # a and b fill a batch exactly; c would overflow it, so it starts the next
    a, b, c = harness.ingest(chunk_bytes=sizes[0] + sizes[1])
    assert [len(o.landing) for o in (a, b, c)] == [1, 0, 1]
    assert a.landing[0].label.startswith("2 files, ") and c.landing[0].label.endswith("c.ndjson (lines 1-2)")
    assert harness.query("SELECT count(*) FROM raw.events") == [(6,)]


def test_a_large_file_is_cut_into_batches_within_the_batch_size(tmp_path):
    harness = Harness(tmp_path)
    line = len(lines(envelope("d0")))
    harness.write("alpha/d.ndjson", lines(*(envelope(f"d{n}") for n in range(6))))
    # each block read holds two whole lines and a bit of the third: three batches of two lines
    (d,) = harness.ingest(chunk_bytes=2 * line + 5)
    assert [v.label.rsplit("(", 1)[1] for v in d.landing] == ["lines 1-2)", "lines 3-4)", "lines 5-6)"]
    assert (d.records_read, d.stored) == (6, 6)


def test_a_transaction_commits_its_block_or_none_of_it(tmp_path):
    from orchestration.core.warehouse import connect, transaction

    con = connect(tmp_path / "w.duckdb")
    try:
        con.execute("CREATE TABLE t (x INTEGER)")
        with transaction(con):
            con.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(ZeroDivisionError), transaction(con):
            con.execute("INSERT INTO t VALUES (2)")
            raise ZeroDivisionError
        assert con.execute("SELECT x FROM t").fetchall() == [(1,)]
    finally:
        con.close()
