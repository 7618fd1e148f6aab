"""Table checks validate bounded batches: a table larger than one batch is
validated in several, with the same rules, and the watermark moves once
every batch passed (a suite's expectations used to be handed to a second
suite on the second batch, which GX refuses)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from orchestration.core.resources import Warehouse
from orchestration.quality.event_store import BATCH_ROWS_ENV, bounded_tables, validate_new_events
from tests.ingest_helpers import Harness, envelope, lines


def test_record_batches_are_regrouped_into_tables_of_the_configured_size():
    schema = pa.schema([("n", pa.int64())])
    batches = [pa.record_batch([pa.array(range(start, start + size))], schema=schema)
               for start, size in ((0, 2), (2, 5), (7, 1), (8, 4))]
    tables = list(bounded_tables(pa.RecordBatchReader.from_batches(schema, batches), 3))
    assert [t.column("n").to_pylist() for t in tables] == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]]


def test_event_store_suite_crosses_its_batch_size(tmp_path, monkeypatch: pytest.MonkeyPatch):
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", lines(*[envelope(f"e{n}", payload={"person_ref": f"p{n}", "role": "member"})
                                           for n in range(23)]))
    harness.ingest()
    monkeypatch.setattr("orchestration.quality.event_store.load_registry", lambda: harness.registry)
    monkeypatch.setenv(BATCH_ROWS_ENV, "5")
    outcomes, high = validate_new_events(Warehouse(path=str(harness.db)))
    assert [o.rows for o in outcomes] == [5, 5, 5, 5, 3]
    assert all(not o.failures for o in outcomes)
    assert high == 23
    # the watermark moved: a second pass has nothing new to validate
    outcomes, high = validate_new_events(Warehouse(path=str(harness.db)))
    assert (outcomes, high) == ([], None)
