"""What every landing batch of one run shares: its id, its ingestion instant
and the reader's block size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from orchestration.ingest.reader import DEFAULT_CHUNK_BYTES
from orchestration.ingest.sheet_rows import ROW_BATCH


@dataclass(frozen=True)
class IngestRun:
    run_id: str
    now: datetime  # ingestion instant, naive UTC: every event of the run gets it as ingested_at
    chunk_bytes: int = DEFAULT_CHUNK_BYTES
    row_batch: int = ROW_BATCH  # the rows of a sheet mapped and appended at a time

    @staticmethod
    def utc_now() -> datetime:
        return datetime.now(UTC).replace(tzinfo=None)
