"""The extract suite: what a partner's Parquet file must satisfy before it
is published. Owned by GX (the files leave the warehouse, so they are
checked as the partner will read them, not as dbt built the marts)."""

from __future__ import annotations

from typing import Any


def extract_expectations(org_id: str | None, people_counts: tuple[str, ...], k: int,
                         mart_rows: int) -> list[Any]:
    import great_expectations as gx

    e = gx.expectations
    critical = {"severity": "critical"}
    expectations = [
        # reconciliation: the file holds exactly the partner's rows of the mart
        e.ExpectTableRowCountToEqual(value=mart_rows, **critical),
    ]
    if org_id is not None:
        # isolation: an organisation's own rows only
        expectations.append(e.ExpectColumnValuesToBeInSet(column="org_id", value_set=[org_id], **critical))
    for column in people_counts:
        # small cells: a count of people is NULL (suppressed) or at least k
        expectations.append(e.ExpectColumnValuesToBeBetween(column=column, min_value=k, **critical))
    return expectations
