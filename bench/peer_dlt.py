"""The ingest bench's peer: what a consortium would otherwise reach for, dlt
with its duckdb destination, loading the same NDJSON files (each record as
a row, the payload kept as JSON, no validation, no pseudonymisation, no
deduplication). It runs in the peer's own venv (.venv-peer, bench/peer.lock)
and imports nothing of the project. Prints one JSON line: seconds, records.

    .venv-peer/bin/python bench/peer_dlt.py REGISTRY_FOLDER DATABASE
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import dlt
import orjson


def records(files: list[Path]) -> Iterator[dict]:
    for path in files:
        with path.open("rb") as handle:
            for line in handle:
                try:
                    record = orjson.loads(line)
                except orjson.JSONDecodeError:  # a bad line is skipped, as bare read_json's ignore_errors does
                    continue
                if isinstance(record, dict):
                    yield record


def main() -> None:
    folder, database = Path(sys.argv[1]), Path(sys.argv[2])
    files = sorted(folder.glob("landing/*/*.ndjson"))
    with tempfile.TemporaryDirectory() as pipelines:
        started = time.perf_counter()
        pipeline = dlt.pipeline(pipeline_name="peer", pipelines_dir=pipelines, dataset_name="raw",
                                destination=dlt.destinations.duckdb(str(database)), progress=None)
        events = dlt.resource(records(files), name="events", write_disposition="append",
                              columns={"payload": {"data_type": "json"}})
        pipeline.run(events)
        seconds = time.perf_counter() - started
        with pipeline.sql_client() as client:
            loaded = client.execute_sql("SELECT count(*) FROM events")[0][0]
    print(json.dumps({"mode": "dlt", "seconds": seconds, "records": loaded}))


if __name__ == "__main__":
    main()
