"""Feeds as the registry declares them: CSV mapping with labels and naive
local timestamps, Parquet (struct or JSON-text payloads), growing and
rewritten files, and a new organisation added by registry alone."""

from __future__ import annotations

import json
from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq

from tests.ingest_helpers import CSV_FEED, PARQUET_FEED, Harness, envelope, lines


def test_csv_mapping_labels_and_naive_local_timestamps(tmp_path):
    harness = Harness(tmp_path, feeds=[CSV_FEED])
    harness.write("beta/export.csv", (
        "id;ente;tipo;v;quando;chi;dati\n"
        # winter: Rome is UTC+1; summer: UTC+2; an explicit offset is kept as given
        'b1;beta;adesione;1;2025-01-15 10:00:00;;"{""person_ref"": ""p1"", ""role"": ""member""}"\n'
        'b2;beta;contributo;1;2025-07-15 10:00:00;m-7;'
        '"{""initiative_id"": ""i1"", ""person_ref"": ""p1"", ""hours"": 2.5}"\n'
        'b3;beta;adesione;1;2025-07-15T10:00:00+00:00;; "{""person_ref"": ""p2"", ""role"": ""worker""}" \n'
        'b4;beta;member.left;1;2025-08-01 09:00:00;;"{""person_ref"": ""p1""}"\n'
    ))
    (outcome,) = harness.ingest()
    assert (outcome.stored, outcome.quarantined) == (4, 0)
    assert harness.query("SELECT event_id, event_type, occurred_at, actor_ref, source_line FROM raw.events "
                         "ORDER BY event_id") == [
        ("b1", "member.joined", datetime(2025, 1, 15, 9, 0), None, 2),
        ("b2", "contribution.logged", datetime(2025, 7, 15, 8, 0), "m-7", 3),
        ("b3", "member.joined", datetime(2025, 7, 15, 10, 0), None, 4),
        ("b4", "member.left", datetime(2025, 8, 1, 7, 0), None, 5),
    ]


def test_csv_rows_that_do_not_parse_are_quarantined_with_their_line(tmp_path):
    harness = Harness(tmp_path, feeds=[CSV_FEED])
    harness.write("beta/export.csv", (
        "id;ente;tipo;v;quando;chi;dati\n"
        'b1;beta;adesione;1;2025-01-15 10:00:00;;"{""person_ref"": ""p1"", ""role"": ""member""}"\n'
        'b2;beta;adesione;1;2025-01-15 10:00:00;;"{""person_ref"": ""p1""\n'
        "b3;beta;adesione;1\n"
        'b4;beta;adesione;1;2025-01-15 10:00:00;;{not json}\n'
    ))
    harness.ingest()
    assert harness.quarantine() == [
        (3, "malformed_record", "not a well-formed CSV row (unbalanced quotes)"),
        (4, "malformed_record", "has 4 fields, the header has 7"),
        (5, "malformed_record", "payload column is not valid JSON"),
    ]


def test_csv_without_the_mapped_columns_is_quarantined_as_a_file(tmp_path):
    harness = Harness(tmp_path, feeds=[CSV_FEED])
    harness.write("beta/export.csv", "a;b\n1;2\n")
    (outcome,) = harness.ingest()
    assert outcome.status == "file_quarantined"
    assert "lacks mapped column(s) id, ente, tipo, v, quando, chi, dati" in outcome.message


def test_parquet_feed_with_struct_or_json_text_payloads(tmp_path):
    harness = Harness(tmp_path, feeds=[PARQUET_FEED])
    struct_payloads = pa.table({
        "event_id": ["g1", "g2"], "org_id": ["gamma", "gamma"], "event_type": ["member.joined"] * 2,
        "schema_version": [1, 1], "occurred_at": ["2025-03-01T10:00:00+01:00", "2025-03-02T10:00:00Z"],
        "payload": [{"person_ref": "p1", "role": "member"}, {"person_ref": "p2", "role": "nobody"}],
    })
    text_payloads = pa.table({
        "event_id": ["g3"], "org_id": ["gamma"], "event_type": ["member.left"], "schema_version": [1],
        "occurred_at": ["2025-03-03T10:00:00Z"], "payload": [json.dumps({"person_ref": "p1"})],
    })
    (tmp_path / "gamma").mkdir()
    pq.write_table(struct_payloads, tmp_path / "gamma" / "a.parquet")
    pq.write_table(text_payloads, tmp_path / "gamma" / "b.parquet")
    harness.write("gamma/c.parquet", b"PAR1 this is not parquet")
    a, b, c = harness.ingest()
    assert (a.stored, a.quarantined, b.stored, c.status) == (1, 1, 1, "file_quarantined")
    assert harness.query("SELECT event_id, occurred_at, payload->>'$.person_ref' FROM raw.events ORDER BY 1") == [
        ("g1", datetime(2025, 3, 1, 9, 0), "p1"), ("g3", datetime(2025, 3, 3, 10, 0), "p1")]
    assert harness.query("SELECT source_line, reason FROM raw.quarantine WHERE source_line IS NOT NULL") == [
        (2, "invalid_payload")]


def test_parquet_rows_keep_their_columns_and_a_file_without_an_envelope_column_is_quarantined_whole(tmp_path):
    harness = Harness(tmp_path, feeds=[PARQUET_FEED])
    (tmp_path / "gamma").mkdir()
    rows = {"event_id": ["g1", "g2", "g3"], "org_id": ["gamma"] * 3, "event_type": ["member.joined"] * 3,
            "schema_version": [1] * 3, "occurred_at": ["2025-03-01T10:00:00Z"] * 3}
    payloads = ['{"person_ref": "p1", "role": "member"}', "{not json", '{"person_ref": "p2", "role": "member"}']
    pq.write_table(pa.table({**rows, "payload": payloads}), tmp_path / "gamma" / "a.parquet")
    pq.write_table(pa.table(rows), tmp_path / "gamma" / "b.parquet")
    pq.write_table(pa.table({**rows, "event_id": ["g4", "g5", "g6"], "payload": payloads, "note": ["n", None, None]}),
                   tmp_path / "gamma" / "c.parquet")
    a, b, c = harness.ingest()
    assert (a.stored, a.quarantined, b.status, c.stored, c.quarantined) == (2, 1, "file_quarantined", 0, 3)
    assert b.message == "unreadable_file: the Parquet file lacks the envelope column(s) payload"
    quarantined = harness.query("SELECT parse_filename(source_file), source_line, reason, original "
                                "FROM raw.quarantine WHERE source_line IS NOT NULL ORDER BY 1, 2")
    # the original is the row with every column as delivered (the payload as its text)
    envelope_text = ('"org_id":"gamma","event_type":"member.joined","schema_version":1,'
                     '"occurred_at":"2025-03-01T10:00:00Z"')
    assert quarantined == [
        ("a.parquet", 2, "malformed_record", '{"event_id":"g2",' + envelope_text + ',"payload":"{not json"}'),
        ("c.parquet", 1, "malformed_record", '{"event_id":"g4",' + envelope_text
         + ',"payload":"{\\"person_ref\\": \\"p1\\", \\"role\\": \\"member\\"}","note":"n"}'),
        ("c.parquet", 2, "malformed_record",
         '{"event_id":"g5",' + envelope_text + ',"payload":"{not json","note":null}'),
        ("c.parquet", 3, "malformed_record", '{"event_id":"g6",' + envelope_text
         + ',"payload":"{\\"person_ref\\": \\"p2\\", \\"role\\": \\"member\\"}","note":null}'),
    ]


def test_a_grown_file_ingests_only_its_new_records(tmp_path):
    harness = Harness(tmp_path)
    harness.write("alpha/log.ndjson", lines(envelope("e1"), envelope("e2")))
    harness.ingest()
    harness.write("alpha/log.ndjson", lines(envelope("e3"), envelope("e1")), append=True)
    (outcome,) = harness.ingest()
    # only lines 3 and 4 were read: e3 stored, the re-sent e1 a duplicate
    assert (outcome.records_read, outcome.stored, outcome.duplicates) == (2, 1, 1)
    assert harness.query("SELECT event_id, source_line FROM raw.events ORDER BY 2") == [
        ("e1", 1), ("e2", 2), ("e3", 3)]
    assert [o.status for o in harness.ingest()] == ["skipped"]


def test_a_rewritten_file_is_read_again_whole(tmp_path):
    harness = Harness(tmp_path)
    harness.write("alpha/log.ndjson", lines(envelope("e1"), envelope("e2")))
    harness.ingest()
    harness.write("alpha/log.ndjson", lines(envelope("e0"), envelope("e1"), envelope("e2"), envelope("e3")))
    (outcome,) = harness.ingest()
    assert (outcome.records_read, outcome.stored, outcome.duplicates) == (4, 2, 2)


def test_conservation_holds_for_every_run_and_the_store(tmp_path):
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", lines(envelope("e1"), envelope("e1"), "junk", envelope("e2", org_id="x")))
    harness.ingest()
    harness.write("alpha/a.ndjson", lines(envelope("e3"), envelope("e1", version=9)), append=True)
    harness.ingest()
    per_run = harness.query("SELECT run_id, sum(records_read), sum(stored + duplicates + quarantined) "
                            "FROM raw.ingest_ledger GROUP BY run_id ORDER BY run_id")
    assert per_run == [("run-1", 4, 4), ("run-2", 2, 2)]
    (stored, quarantined, duplicates, read), = harness.query(
        "SELECT (SELECT count(*) FROM raw.events), (SELECT count(*) FROM raw.quarantine),"
        " (SELECT sum(duplicates) FROM raw.ingest_ledger), (SELECT sum(records_read) FROM raw.ingest_ledger)")
    assert (stored, quarantined, duplicates, read) == (2, 3, 1, 6)


def test_a_new_organisation_is_a_registry_entry_and_files(tmp_path):
    delta = {"org_id": "delta-coop", "name": "Delta", "sector": "culture", "locality": "Bari",
             "format": "ndjson", "landing": "incoming/delta/*.jsonl", "demo": True}
    harness = Harness(tmp_path, feeds=[delta])
    harness.write("incoming/delta/2025-01.jsonl", lines(envelope("d1", org_id="delta-coop")))
    (outcome,) = harness.ingest()
    assert outcome.stored == 1
    assert harness.query("SELECT org_id, event_id FROM raw.events") == [("delta-coop", "d1")]


def test_csv_lines_parse_alike_in_one_pass_and_field_by_field(tmp_path):
    """parse_csv.sql splits a row of the header's width with one expression and
    any other line field by field; both ways must read every line alike."""
    import random

    import numpy as np

    from orchestration.core.registry import parse_registry
    from orchestration.core.warehouse import connect, run_script
    from orchestration.ingest import SQL_DIR
    from orchestration.ingest.file_checks import csv_params

    header = "id;ente;tipo;v;quando;chi;dati"
    path = tmp_path / "beta" / "export.csv"
    path.parent.mkdir()
    path.write_text(header + "\n")
    (feed,) = parse_registry({"feeds": [CSV_FEED]}, tmp_path / "registry.yml").feeds
    # fields of every shape (quoted with the delimiter or doubled quotes inside, blanks around the quotes,
    # empty, unbalanced), mostly seven to a line
    shapes = ["b1", "beta", " adesione ", "1", "2025-01-15 10:00:00", "", '"{""person_ref"": ""p1""}"',
              ' "x;y" ', '""', '"a""b"', '"open', 'clo"se', " ", '"{}"', "{}"]
    rng = random.Random(7)
    texts = [";".join(["b1", "beta", "adesione", "1", "2025-01-15 10:00:00", "", '"{""a"": 1}"'])] + [
        ";".join(rng.choice(shapes) for _ in range(rng.choice([7, 7, 7, 6, 8])))
        for _ in range(3000)]
    landing = pa.table({"source_file": [str(path)] * len(texts), "line_no": np.arange(2, len(texts) + 2),
                        "batch_row": np.arange(len(texts)), "raw": pa.array([t.encode() for t in texts], pa.binary()),
                        "line_bytes": pa.nulls(len(texts), pa.int64())})
    con = connect(tmp_path / "wh.duckdb")
    con.register("landing_lines", landing)
    params = {"path": str(path), **csv_params(feed, path)}

    def parsed(row_pattern: str) -> list[tuple]:
        run_script(con, "parse_csv.sql", {**params, "row_pattern": row_pattern}, folder=SQL_DIR)
        return con.execute("SELECT * FROM landing_parsed ORDER BY batch_row").fetchall()

    one_pass = parsed(params["row_pattern"])
    # groups that never match: every line goes field by field
    field_by_field = parsed("^" + "()" * 7 + "()$\\x01")
    assert one_pass == field_by_field
    whole_rows = con.execute("SELECT count(*) FROM landing_lines "
                             "WHERE regexp_full_match(decode(raw) || chr(1), $p)", {"p": params["row_pattern"]})
    assert 300 < whole_rows.fetchall()[0][0] < len(texts) - 300  # both ways were taken
    assert sum(1 for row in one_pass if row[6] is not None) > 0  # some lines made a record
