"""Real deliveries are messy: files caught mid-write, lines of any length,
rewritten Parquet files, a byte-order mark. Each case below was once a
defect (a double count, a lost record, a run stopped for every feed)."""

from __future__ import annotations

import json
import os
import time

import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.ingest.reader import PREFIX_BYTES, read_line_batches
from tests.ingest_helpers import NDJSON_FEED, Harness, envelope

ONE_LINE = json.dumps(envelope("e1")) + "\n"


def ledger(harness: Harness) -> list[tuple]:
    return harness.query("SELECT run_id, records_read, stored, duplicates, quarantined, byte_offset_to, last_line "
                         "FROM raw.ingest_ledger ORDER BY finished_at")


def test_an_unterminated_last_line_waits_for_its_newline_and_is_counted_once(tmp_path):
    harness = Harness(tmp_path)
    cut = json.dumps(envelope("e2"))
    path = harness.write("alpha/a.ndjson", ONE_LINE + cut[:30])  # the writer is half way through line 2
    (first,) = harness.ingest()
    assert (first.records_read, first.stored, first.quarantined) == (1, 1, 0)
    assert "wait for their newline" in first.message
    harness.write("alpha/a.ndjson", cut[30:] + "\n" + json.dumps(envelope("e3")) + "\n", append=True)
    (second,) = harness.ingest()
    assert (second.records_read, second.stored, second.quarantined) == (2, 2, 0)
    assert harness.query("SELECT event_id, source_line FROM raw.events ORDER BY event_seq") == [
        ("e1", 1), ("e2", 2), ("e3", 3)]
    assert ledger(harness) == [("run-1", 1, 1, 0, 0, len(ONE_LINE), 1),
                               ("run-2", 2, 2, 0, 0, path.stat().st_size, 3)]


def test_a_last_line_without_newline_is_read_once_the_file_is_complete(tmp_path):
    harness = Harness(tmp_path, feeds=[NDJSON_FEED | {"complete": True}])
    path = harness.write("alpha/a.ndjson", ONE_LINE + json.dumps(envelope("e2")))
    (outcome,) = harness.ingest()
    assert (outcome.records_read, outcome.stored) == (2, 2)
    # one ledger row for the file, whatever the number of reads its lines took
    assert ledger(harness) == [("run-1", 2, 2, 0, 0, path.stat().st_size, 2)]
    (again,) = harness.ingest()
    assert again.status == "skipped"


def test_a_file_unchanged_for_its_settle_time_is_complete(tmp_path):
    harness = Harness(tmp_path, feeds=[NDJSON_FEED | {"settle_after": "10m"}])
    path = harness.write("alpha/a.ndjson", ONE_LINE + json.dumps(envelope("e2")))
    (fresh,) = harness.ingest()
    assert fresh.stored == 1
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))
    (settled,) = harness.ingest()
    assert (settled.records_read, settled.stored) == (1, 1)
    assert harness.query("SELECT sum(records_read), sum(stored) FROM raw.ingest_ledger") == [(2, 2)]


def test_a_line_over_the_feeds_limit_is_quarantined_by_its_length_in_any_block(tmp_path):
    harness = Harness(tmp_path, feeds=[NDJSON_FEED | {"max_line_bytes": 200, "complete": True}])
    long_line = json.dumps(envelope("big", payload={"person_ref": "x" * 5000, "role": "member"}))
    harness.write("alpha/a.ndjson", ONE_LINE + long_line + "\n" + json.dumps(envelope("e3")) + "\n"
                  + "y" * 3000)  # and a last line over the limit with no newline
    for chunk in (64, 1 << 20):  # lines longer than a block, and a block holding them whole
        harness.db.unlink(missing_ok=True)
        (outcome,) = harness.ingest(chunk_bytes=chunk)
        assert (outcome.records_read, outcome.stored, outcome.quarantined) == (4, 2, 2)
        assert harness.quarantine() == [
            (2, "malformed_record", f"a line of {len(long_line)} bytes, longer than the feed's line limit"),
            (4, "malformed_record", "a line of 3000 bytes, longer than the feed's line limit")]
        assert harness.query("SELECT max(length(original)) FROM raw.quarantine") == [(PREFIX_BYTES,)]
        assert harness.query("SELECT event_id, source_line FROM raw.events ORDER BY 2") == [("e1", 1), ("e3", 3)]


def test_a_file_of_one_huge_line_is_never_held_whole(tmp_path):
    path = tmp_path / "sparse.ndjson"
    with path.open("wb") as handle:
        handle.truncate(3_000_000)  # a sparse file: three million zero bytes and no newline
    batches = list(read_line_batches(path, chunk_bytes=4096, max_line_bytes=1000))
    assert [(b.lines.num_rows, b.lines.column("line_bytes").to_pylist(), b.byte_end) for b in batches] == [
        (1, [3_000_000], 3_000_000)]
    assert len(batches[0].lines.column("raw")[0].as_py()) == PREFIX_BYTES
    # not complete yet: nothing is consumed, the line waits
    assert list(read_line_batches(path, chunk_bytes=4096, max_line_bytes=1000, complete=False)) == []


def test_a_byte_order_mark_is_not_part_of_the_first_record(tmp_path):
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", b"\xef\xbb\xbf" + (ONE_LINE + json.dumps(envelope("e2")) + "\n").encode())
    (outcome,) = harness.ingest()
    assert (outcome.stored, outcome.quarantined) == (2, 0)


def test_a_grown_parquet_file_is_refused_as_a_rewrite(tmp_path):
    feed = {"org_id": "gamma", "name": "Gamma", "sector": "energy", "locality": "Trento", "format": "parquet",
            "landing": "gamma/*.parquet", "demo": True}
    harness = Harness(tmp_path, feeds=[feed])
    path = tmp_path / "gamma" / "a.parquet"
    path.parent.mkdir()

    def write(ids: list[str]) -> None:
        records = [envelope(i, org_id="gamma") for i in ids]
        for record in records:
            record["payload"] = json.dumps(record["payload"])
        pq.write_table(pa.Table.from_pylist(records), path)

    write(["g1", "g2"])
    (first,) = harness.ingest()
    assert first.stored == 2
    write(["g1", "g2", "g3"])
    (grown,) = harness.ingest()
    assert grown.status == "file_quarantined"
    assert harness.query("SELECT reason, message FROM raw.quarantine") == [(
        "rewritten_file", f"the Parquet file changed after it was ingested ({first_size(harness)} bytes then, "
        f"{path.stat().st_size} now): a Parquet delivery is never rewritten or grown; deliver the new rows as "
        "a new file")]
    assert harness.query("SELECT count(*) FROM raw.events") == [(2,)]
    assert harness.query("SELECT sum(records_read), sum(duplicates) FROM raw.ingest_ledger") == [(2, 0)]
    (after,) = harness.ingest()
    assert after.status == "skipped"


def first_size(harness: Harness) -> int:
    return harness.query("SELECT byte_offset_to FROM raw.ingest_ledger WHERE status = 'ingested'")[0][0]
