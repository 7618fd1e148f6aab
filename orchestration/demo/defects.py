"""Deliberate defects for the demo data: every quarantine reason of
docs/events.md section 4, plus identical re-deliveries (duplicates)."""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from orchestration.demo.simulate import DemoEvent

DEFECT_KINDS = (
    "malformed_record", "missing_field", "invalid_id", "unknown_event_type", "unknown_schema_version",
    "invalid_payload", "bad_timestamp", "org_mismatch", "conflicting_duplicate", "retraction_invalid",
    "duplicate",
)


@dataclass
class Record:
    """One record as written to a feed: an envelope, or raw text that is not one."""

    org_id: str
    at: datetime  # where it sorts in the feed
    late: bool
    envelope: dict[str, Any] | None = None
    raw_text: str | None = None
    defect: str | None = None


def _defect(kind: str, base: DemoEvent, other_org: str, serial: int) -> Record:
    record = copy.deepcopy(base.envelope())
    at = base.occurred_at + timedelta(seconds=1)
    if kind == "malformed_record":
        return Record(base.org_id, at, base.late, raw_text='{"event_id": "truncated-' + str(serial) + '", "org_id',
                      defect=kind)
    if kind == "duplicate":
        return Record(base.org_id, at, base.late, envelope=record, defect=kind)
    record["event_id"] = f"defect-{serial}"
    if kind == "missing_field":
        del record["occurred_at"]
    elif kind == "invalid_id":
        record["event_id"] = f"bad id {serial}!"
    elif kind == "unknown_event_type":
        record["event_type"] = "member.promoted"
    elif kind == "unknown_schema_version":
        record["schema_version"] = 7
    elif kind == "invalid_payload":
        record["event_type"], record["schema_version"] = "feedback.recorded", 1
        record["payload"] = {"initiative": {"org_id": base.org_id, "initiative_id": "x"},
                             "stakeholder_type": "resident", "dimension": "risk", "score": 9}
    elif kind == "bad_timestamp":
        record["occurred_at"] = "2099-01-01T09:00:00Z" if serial % 2 else "2025-02-30T10:00:00Z"
    elif kind == "org_mismatch":
        record["org_id"] = other_org
    elif kind == "conflicting_duplicate":
        record["event_id"] = base.event_id
        record["actor_ref"] = f"m{serial:06d}-corrected"
    elif kind == "retraction_invalid":
        record["event_type"], record["schema_version"] = "event.retracted", 1
        record["payload"] = {"event_id": f"never-sent-{serial}", "reason": "typo"}
    return Record(base.org_id, at, base.late, envelope=record, defect=kind)


def with_defects(events: list[DemoEvent], org_ids: list[str], share: float, seed: int) -> list[Record]:
    """The events as records, plus round(share * len) defects (at least one
    of each kind per organisation when share > 0), each placed just after the
    event it was made from."""
    rng = random.Random(seed + 1)
    records = [Record(e.org_id, e.occurred_at, e.late, envelope=e.envelope()) for e in events]
    if share <= 0 or not events:
        return records
    by_org: dict[str, list[DemoEvent]] = {}
    for event in events:
        if not event.late:
            by_org.setdefault(event.org_id, []).append(event)
    wanted = max(round(share * len(events)), len(DEFECT_KINDS) * len(by_org))
    orgs = sorted(by_org)
    for serial in range(wanted):
        org = orgs[serial % len(orgs)]
        kind = DEFECT_KINDS[(serial // len(orgs)) % len(DEFECT_KINDS)]
        base = rng.choice(by_org[org])
        other = rng.choice([o for o in org_ids if o != org] or [org + "-other"])
        records.append(_defect(kind, base, other, serial))
    records.sort(key=lambda r: (r.late, r.at))
    return records
