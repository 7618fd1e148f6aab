"""Every record against the JSON Schemas as written, by a compiled
validator (jsonschema-rs, Draft 2020-12): the envelope (_envelope.json) with
the payload schema of the record's type and version.

The fast path parses each record (orjson) and asks `is_valid` of its
type/version's validator, over a whole batch, spread across worker
processes when the batch is large; it returns only the failing rows. Those
few are then explained (a record whose objects repeat a member name is
refused first, members.py): the reason code of docs/events.md section 4 and the first
broken rule, from the validator's errors (path and keyword). What JSON
Schema cannot say (impossible dates, the future, org_mismatch, duplicates,
retractions) is decided over the batch in SQL (classify.sql), which also
orders the reasons: `stage` says where a schema reason stands among them
(0: not parseable, 1: envelope shape, before org_mismatch; 2: type, version,
timestamp shape, before the SQL timestamp rules; 3: actor_ref, payload)."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import orjson
import pyarrow as pa

from orchestration.core.settings import SCHEMAS_DIR
from orchestration.ingest.explain import explain
from orchestration.ingest.members import members_unique
from orchestration.ingest.validators import Validators, load_validators

WORKERS_ENV = "COOPMETRICS_INGEST_WORKERS"
PARALLEL_ROWS_ENV = "COOPMETRICS_INGEST_PARALLEL_ROWS"
# below this a batch is validated in the ingest process: shipping it to workers costs more than it saves
DEFAULT_PARALLEL_ROWS = 50_000
FAILURES_SCHEMA = pa.schema([("batch_row", pa.int64()), ("reason", pa.string()), ("stage", pa.int8()),
                             ("message", pa.string())])


def _failing(values: list, validators: Validators) -> list[int]:
    """Positions of the records that are not valid (None: not to validate)."""
    loads, lookup = orjson.loads, validators.by_type.get
    failing = []
    for position, raw in enumerate(values):
        if raw is None:
            continue
        try:
            record = loads(raw)
            validator = lookup((record["event_type"], record["schema_version"]))
            if validator is not None and validator.is_valid(record) and members_unique(raw, record):
                continue
        except (orjson.JSONDecodeError, KeyError, TypeError):
            pass
        failing.append(position)
    return failing


def _validate_part(values: pa.Array | pa.ChunkedArray, rows: pa.Array | pa.ChunkedArray,
                   schemas_dir: Path) -> list[tuple[int, str, int, str]]:
    validators = load_validators(schemas_dir)
    plain = values.to_pylist()
    row_numbers = rows.to_pylist()
    return [(row_numbers[i], *explain(plain[i], validators)) for i in _failing(plain, validators)]


_pools: dict[int, ProcessPoolExecutor] = {}


def _pool(workers: int) -> ProcessPoolExecutor:
    """The validation workers, started once a process and kept for its next batches; spawned, not
    forked: the ingest process holds DuckDB's threads."""
    if workers not in _pools:
        _pools[workers] = ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
    return _pools[workers]


def shutdown_workers() -> None:
    """Stop the validation workers (they start again when needed)."""
    while _pools:
        _pools.popitem()[1].shutdown()


def worker_count() -> int:
    return max(1, int(os.environ.get(WORKERS_ENV) or os.cpu_count() or 1))


def _contiguous(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One array holding just these values: a slice pickles with its whole
    parent buffer, so a part is copied out to travel alone (and only the
    part: the batch itself is never copied whole)."""
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else pa.concat_arrays([values])


def validate_records(rows: pa.Array | pa.ChunkedArray, values: pa.Array | pa.ChunkedArray,
                     schemas_dir: Path = SCHEMAS_DIR) -> pa.Table:
    """The failing records of a batch: (batch_row, reason, stage, message).
    `values` are the records' bytes or text (NULL: not validated)."""
    workers = worker_count()
    threshold = int(os.environ.get(PARALLEL_ROWS_ENV, DEFAULT_PARALLEL_ROWS))
    if workers == 1 or len(values) < threshold:
        failures = _validate_part(values, rows, schemas_dir)
    else:
        size = -(-len(values) // (2 * workers))  # two parts a worker: the slower part does not hold the rest
        parts = [_pool(workers).submit(_validate_part, _contiguous(values.slice(start, size)),
                                       _contiguous(rows.slice(start, size)), schemas_dir)
                 for start in range(0, len(values), size)]
        failures = [failure for part in parts for failure in part.result()]
    columns = list(zip(*failures, strict=True)) if failures else [[], [], [], []]
    return pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(columns, FAILURES_SCHEMA, strict=True)],
                                schema=FAILURES_SCHEMA)
