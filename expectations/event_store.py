"""The event-store suite: what every stored event must satisfy, derived from
the JSON Schemas (types, versions) and the registry (organisations)."""

from __future__ import annotations

from typing import Any

from orchestration.ingest.schemas import load_event_schemas

ID_PATTERN = r"^[A-Za-z0-9._:-]{1,128}$"
KEY_COLUMNS = ["org_id", "event_id"]


def event_store_expectations(org_ids: list[str]) -> list[Any]:
    import great_expectations as gx

    schemas = load_event_schemas()
    e = gx.expectations
    critical = {"severity": "critical"}
    return [
        e.ExpectColumnValuesToNotBeNull(column="event_id", **critical),
        e.ExpectColumnValuesToMatchRegex(column="event_id", regex=ID_PATTERN, **critical),
        e.ExpectColumnValuesToBeInSet(column="org_id", value_set=sorted(org_ids), **critical),
        e.ExpectColumnValuesToBeInSet(column="type_version",
                                      value_set=[f"{t}/v{v}" for t, v in sorted(schemas)], **critical),
        e.ExpectColumnValuesToNotBeNull(column="occurred_at", **critical),
        e.ExpectColumnValuesToNotBeNull(column="ingested_at", **critical),
        e.ExpectColumnValuesToMatchRegex(column="content_hash", regex=r"^[0-9a-f]{64}$", **critical),
        # pseudonymisation: no e-mail address (nothing with '@') may be stored
        e.ExpectColumnValuesToNotMatchRegex(column="payload", regex="@", **critical),
        e.ExpectColumnValuesToNotMatchRegex(column="actor_ref", regex="@", **critical),
        e.ExpectCompoundColumnsToBeUnique(column_list=KEY_COLUMNS, **critical),
    ]
