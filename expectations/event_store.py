"""The event-store suite: what the appended events must satisfy once they
are in raw.events, i.e. what no single landing batch can see: arrival order
(event_seq unique and increasing, what incremental models rely on), the key
(org_id, event_id) unique among what was appended, every organisation one
the registry knows, provenance (a line number in the delivered file) and no
ingestion instant in the future."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

KEY_COLUMNS = ["org_id", "event_id"]


def event_store_expectations(org_ids: list[str]) -> list[Any]:
    import great_expectations as gx

    e = gx.expectations
    critical = {"severity": "critical"}
    now = datetime.now(UTC).replace(tzinfo=None)
    return [
        e.ExpectColumnValuesToBeUnique(column="event_seq", **critical),
        e.ExpectColumnValuesToBeIncreasing(column="event_seq", strictly=True, **critical),
        e.ExpectCompoundColumnsToBeUnique(column_list=KEY_COLUMNS, **critical),
        e.ExpectColumnValuesToBeInSet(column="org_id", value_set=sorted(org_ids), **critical),
        e.ExpectColumnValuesToBeBetween(column="source_line", min_value=1, **critical),
        e.ExpectColumnMaxToBeBetween(column="ingested_at", max_value=now, **critical),
    ]
