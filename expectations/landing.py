"""The landing-batch suite: what a resolved batch of one file must satisfy
before it is appended to the event store (which is append-only: what gets in
cannot be taken out, so this is the last gate).

It owns the batch-level rules (a file mostly rejected is corrupt, not merely
dirty) and the record rules that must hold on anything about to be stored:
the feed's own organisation, a type/version pair that has a schema, an
identifier of the schema's shape, a content hash, and pseudonymisation done
(no '@' left). Types, versions and the identifier pattern come from
sources/schemas."""

from __future__ import annotations

from typing import Any

from orchestration.ingest.schemas import load_event_schemas, shared_definitions

KEY_COLUMNS = ["source_line"]
# Above this share of quarantined records a batch is treated as a corrupt
# file (truncated, wrong encoding, a shifted column mapping), not dirty data.
MAX_QUARANTINED_SHARE = 0.5
# Below this many records a share says little: one bad line of three is not corruption.
MIN_RECORDS_FOR_SHARE = 20


def landing_expectations(feed_org_id: str, records: int) -> list[Any]:
    """Rules for the frame of one batch: every record, with `outcome` and,
    for the records to be stored or counted as duplicates, their envelope
    (NULL on quarantined records, which column rules skip)."""
    import great_expectations as gx

    schemas = load_event_schemas()
    e = gx.expectations
    critical = {"severity": "critical"}
    expectations: list[Any] = [
        e.ExpectColumnValuesToBeInSet(column="org_id", value_set=[feed_org_id], **critical),
        e.ExpectColumnValuesToBeInSet(column="type_version",
                                      value_set=[f"{t}/v{v}" for t, v in sorted(schemas)], **critical),
        e.ExpectColumnValuesToMatchRegex(column="event_id", regex=shared_definitions()["identifier"]["pattern"],
                                         **critical),
        e.ExpectColumnValuesToMatchRegex(column="content_hash", regex=r"^[0-9a-f]{64}$", **critical),
        # pseudonymisation happened: no e-mail address (nothing with '@') is about to be stored
        e.ExpectColumnValuesToNotMatchRegex(column="actor_ref", regex="@", **critical),
        e.ExpectColumnValuesToNotMatchRegex(column="person_ref", regex="@", **critical),
    ]
    if records >= MIN_RECORDS_FOR_SHARE:
        expectations.append(e.ExpectColumnValuesToBeInSet(
            column="outcome", value_set=["stored", "duplicate"], mostly=1 - MAX_QUARANTINED_SHARE, **critical))
    return expectations
