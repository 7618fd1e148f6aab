"""What every landing batch of one run shares: its id, its ingestion instant
and the reader's block size; and where the run's time goes, phase by phase
(read, validate, resolve, judge, append), which the bench prints."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from orchestration.ingest.reader import DEFAULT_CHUNK_BYTES
from orchestration.ingest.sheet_rows import ROW_BATCH


@dataclass(frozen=True)
class IngestRun:
    run_id: str
    now: datetime  # ingestion instant, naive UTC: every event of the run gets it as ingested_at
    chunk_bytes: int = DEFAULT_CHUNK_BYTES
    row_batch: int = ROW_BATCH  # the rows of a sheet mapped and appended at a time
    seconds: dict[str, float] = field(default_factory=dict, compare=False, repr=False)  # phase -> seconds

    def laps(self) -> Laps:
        return Laps(self.seconds)

    @staticmethod
    def utc_now() -> datetime:
        return datetime.now(UTC).replace(tzinfo=None)


class Laps:
    """A stopwatch whose each lap is added to a phase's total."""

    def __init__(self, totals: dict[str, float]) -> None:
        self.totals, self.at = totals, time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.totals[phase] = self.totals.get(phase, 0.0) + now - self.at
        self.at = now
