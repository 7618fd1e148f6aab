"""The metric catalogue: every mart column's stable id (`config: meta:
metric_id` in the marts' yml, CM-<mart>-<n>), so that a partner can cite a
figure by id across releases, listed with its definition in docs/metrics.md
between two markers (written by `coopmetrics generate-dbt`, checked by its
`--check`). An id is never reused: a new column takes the next number of its
mart, a column that goes keeps its number retired."""

from __future__ import annotations

from orchestration.core.marts import mart_contracts
from orchestration.core.settings import PROJECT_ROOT

METRICS_DOC = PROJECT_ROOT / "docs" / "metrics.md"
BEGIN = "<!-- the metric catalogue: written by `coopmetrics generate-dbt` from the marts' yml; do not edit -->"
END = "<!-- end of the metric catalogue -->"


def catalogue_table() -> str:
    lines = ["| id | mart | column | definition |", "| --- | --- | --- | --- |"]
    columns = [(c.metric_id, mart.name, c) for mart in mart_contracts().values() for c in mart.columns.values()]
    for metric_id, mart, column in sorted(columns, key=lambda row: row[0]):
        lines.append(f"| `{metric_id}` | `{mart}` | `{column.name}` | {column.description.replace('|', '/')} |")
    return "\n".join(lines)


def with_catalogue(text: str) -> str:
    """The document with the table between its markers replaced by the current one."""
    if BEGIN not in text or END not in text:
        raise ValueError(f"{METRICS_DOC}: the markers of the metric catalogue are missing")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{catalogue_table()}\n{END}{tail}"
