"""The as-of watermark, checked before any work: marts "as known at" an
instant count the events ingested by then (docs/metrics.md), so an instant that
is not a time, or one before anything was ingested, would build empty marts
after minutes of work. `--as-of` is parsed here, normalised to UTC, and
judged against the warehouse up front."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from orchestration.core.locking import reader_lock
from orchestration.core.warehouse import connect_reader, run_sql, sql_text

SQL = Path(__file__).parent / "sql"


class AsOfError(ValueError):
    """An as-of that cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class AsOf:
    instant: datetime  # aware, UTC

    @property
    def dbt_value(self) -> str:
        """What dbt's as_of() macro reads: UTC with a Z."""
        return self.instant.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_as_of(text: str) -> AsOf:
    try:
        instant = datetime.fromisoformat(text.strip())
    except ValueError:
        raise AsOfError(f"--as-of {text!r} is not an ISO 8601 instant; write it like 2025-06-30T00:00:00Z "
                        "or 2025-06-30T02:00:00+02:00") from None
    if instant.tzinfo is None:
        raise AsOfError(f"--as-of {text!r} has no time zone: add Z for UTC or an offset such as +02:00")
    return AsOf(instant.astimezone(UTC))


def check_as_of(as_of: AsOf, warehouse: Path, force: bool = False) -> str | None:
    """None when the as-of leaves effective events to count; else the
    reason it does not, raised unless `force` (then returned, to be shown)."""
    now = datetime.now(UTC)
    first, effective = None, 0
    if warehouse.exists():
        with reader_lock(warehouse):
            con = connect_reader(warehouse)
            try:
                first, effective = run_sql(con, sql_text("as_of_counts.sql", SQL),
                                           {"as_of": as_of.instant.replace(tzinfo=None)})[0]
            finally:
                con.close()
    problem = None
    if first is None and as_of.instant < now:
        problem = (f"--as-of {as_of.dbt_value} is in the past and nothing was ingested before it: as-of means "
                   "'ingested by', and every event this run stores is ingested now")
    elif first is not None and as_of.instant < first.replace(tzinfo=UTC):
        problem = (f"--as-of {as_of.dbt_value} is before the first ingestion ({first:%Y-%m-%dT%H:%M:%SZ}): "
                   "as-of means 'ingested by', so no event would count")
    elif first is not None and effective == 0 and as_of.instant < now:
        problem = f"--as-of {as_of.dbt_value} leaves no effective event (all ingested by then were retracted)"
    if problem and not force:
        raise AsOfError(problem + "; pass --force-as-of to build the marts anyway")
    return problem
