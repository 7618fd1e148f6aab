"""One file's trouble is that file's: a link loop, a link to nothing, a FIFO
or a file this run may not read is quarantined whole as unreadable_file,
with the OS's words, while the feed's other files and every other feed are
ingested; and a file whose bytes changed anywhere after it was read is
noticed by the digest of what was read, never skipped for its size."""

from __future__ import annotations

import multiprocessing
import os
import tempfile
from pathlib import Path

import duckdb

from orchestration.ingest.reader import prefix_fingerprint
from orchestration.ingest.validators import load_validators
from tests.ingest_helpers import CSV_FEED, NDJSON_FEED, Harness, envelope, lines

GOOD = lines(envelope("e1"), envelope("e2"))


def test_links_that_loop_or_lead_nowhere_and_a_fifo_are_quarantined_and_the_rest_ingested(tmp_path):
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", GOOD)
    folder = tmp_path / "alpha"
    os.symlink("loop.ndjson", folder / "loop.ndjson")
    os.symlink("nowhere.txt", folder / "gone.ndjson")
    os.mkfifo(folder / "pipe.ndjson")  # opened, it would block the run: it never is
    outcomes = {Path(o.source_file).name: o for o in harness.ingest()}
    assert outcomes["a.ndjson"].stored == 2
    assert {name: (o.status, o.message) for name, o in outcomes.items() if name != "a.ndjson"} == {
        "gone.ndjson": ("file_quarantined", "unreadable_file: is a link to nothing (No such file or directory)"),
        "loop.ndjson": ("file_quarantined", "unreadable_file: cannot be resolved: Symlink loop from "
                                            f"'{folder / 'loop.ndjson'}'"),
        "pipe.ndjson": ("file_quarantined", "unreadable_file: is a FIFO (named pipe), not a regular file: "
                                            "never opened"),
    }
    assert harness.query("SELECT source_file, reason FROM raw.quarantine ORDER BY 1") == [
        (str(folder / name), "unreadable_file") for name in ("gone.ndjson", "loop.ndjson", "pipe.ndjson")]
    # reported once: while they stay as they are, later runs skip them
    again = {Path(o.source_file).name: o.status for o in harness.ingest()}
    assert again == {"a.ndjson": "skipped", "gone.ndjson": "skipped", "loop.ndjson": "skipped",
                     "pipe.ndjson": "skipped"}
    assert harness.query("SELECT count(*) FROM raw.quarantine") == [(3,)]


def _ingest_as_nobody(root: Path, queue) -> None:
    os.setgid(65534)
    os.setuid(65534)
    harness = Harness(root, feeds=[NDJSON_FEED, CSV_FEED | {"landing": "beta/*.csv"}])
    queue.put(sorted((Path(o.source_file).name, o.status, o.stored, o.message) for o in harness.ingest()))


def test_a_file_the_run_may_not_read_is_quarantined_and_its_feed_goes_on():
    load_validators()  # the child has no right to read the project's files: everything it needs is loaded
    root = Path(tempfile.mkdtemp(prefix="coopmetrics-perm-"))
    root.chmod(0o777)
    harness = Harness(root)
    harness.write("alpha/a.ndjson", GOOD)
    secret = harness.write("alpha/b.ndjson", lines(envelope("e3")))
    harness.write("beta/x.csv", "id;ente;tipo;v;quando;chi;dati\n"
                  'b1;beta;adesione;1;2025-01-15 10:00:00;;"{""person_ref"": ""p1"", ""role"": ""member""}"\n')
    for folder in ("alpha", "beta"):
        (root / folder).chmod(0o777)
    for path in root.rglob("*.*"):
        path.chmod(0o644)
    secret.chmod(0o000)
    queue = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(target=_ingest_as_nobody, args=(root, queue))
    child.start()
    got = queue.get(timeout=120)
    child.join(60)
    assert got == [
        ("a.ndjson", "ingested", 2, None),
        ("b.ndjson", "file_quarantined", 0, "unreadable_file: cannot be read: Permission denied (EACCES)"),
        ("x.csv", "ingested", 1, None),
    ]


def test_a_file_changed_far_from_its_end_with_the_same_size_is_read_again(tmp_path):
    harness = Harness(tmp_path)
    records = [envelope(f"e{n}", payload={"person_ref": f"p{n}", "role": "member"}) for n in range(3000)]
    path = harness.write("alpha/a.ndjson", lines(*records))  # about 400 KB: its first line is far from the tail
    (first,) = harness.ingest()
    assert first.stored == 3000
    text = path.read_text()
    path.write_text(text.replace('"role": "member"', '"role": "worker"', 1))  # same size, line 1 changed
    assert len(path.read_text()) == len(text)
    (second,) = harness.ingest()
    assert (second.status, second.records_read, second.duplicates, second.quarantined) == ("ingested", 3000,
                                                                                           2999, 1)
    assert harness.quarantine() == [
        (1, "conflicting_duplicate", f"event_id e0 was stored before with different content (stored from {path}, "
                                     "line 1); first difference: payload.role")]
    # touched without a change: its bytes are hashed again, found equal, and it is skipped
    os.utime(path, None)
    (third,) = harness.ingest()
    assert third.status == "skipped"
    assert harness.query("SELECT count(*) FROM raw.events") == [(3000,)]


def test_a_grown_file_whose_old_part_changed_is_not_taken_for_appended(tmp_path):
    harness = Harness(tmp_path)
    path = harness.write("alpha/a.ndjson", GOOD)
    harness.ingest()
    changed = GOOD.replace('"e1"', '"E1"')
    path.write_text(changed + lines(envelope("e3")))
    (outcome,) = harness.ingest()
    # read from its start again: E1 and e3 are new, e2 is seen again
    assert (outcome.records_read, outcome.stored, outcome.duplicates) == (3, 2, 1)
    assert harness.query("SELECT count(*) FROM raw.events") == [(4,)]


def test_a_ledger_written_before_the_digest_keeps_its_files_skipped_and_appended(tmp_path):
    harness = Harness(tmp_path)
    path = harness.write("alpha/a.ndjson", GOOD)
    harness.ingest()
    # as an earlier version wrote it: the size and last 64 KiB as fingerprint, no mtime
    con = duckdb.connect(str(harness.db))
    con.execute("UPDATE raw.ingest_ledger SET prefix_sha256 = ?, source_mtime_ns = NULL",
                [prefix_fingerprint(path, path.stat().st_size)])
    con.close()
    (unchanged,) = harness.ingest()
    assert unchanged.status == "skipped"
    harness.write("alpha/a.ndjson", lines(envelope("e3")), append=True)
    (grown,) = harness.ingest()
    assert (grown.records_read, grown.stored, grown.duplicates) == (1, 1, 0)  # read from where it stopped
