"""What the dbt yml of the marts (`dbt_project/models/marts/*.yml`: the
shared `_marts.yml`, and one file for each mart that has its own) declares
of each mart, read once for every layer that needs it: its description,
its grain (`config: meta: grain`, the columns that name a row),
each column's description, metric id (`metric_id`), value domain
(`config: meta: domain`, `at_least`), and whether it is a count of people
(`people_count: true`) or derived from one (`from_people_counts: true`),
which leaves the warehouse only at k or more (partner extracts, the social
report sheet). dbt tests the grain (tests/generic/unique_grain.sql), the GX
marts suite checks the domains, extracts sort by the grain and describe the
columns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from orchestration.core.settings import DBT_PROJECT_DIR

MARTS_DIR = DBT_PROJECT_DIR / "models" / "marts"
# the value domains a column may declare; the GX marts suite gives each its bounds
DOMAINS = {"not_negative", "share", "feedback_score", "resource_mix_index"}


class MartContractError(ValueError):
    """The marts' yml declares something no layer can honour."""


@dataclass(frozen=True)
class MartColumn:
    name: str
    description: str
    domain: str | None = None
    at_least: tuple[str, ...] = ()  # columns this one is never smaller than (a whole and its parts)
    metric_id: str = ""  # stable across releases (CM-<mart>-<n>): how a partner cites the figure
    people_count: bool = False  # a count of people: suppressed below k wherever it leaves the warehouse
    from_people_counts: bool = False  # derived from the row's counts of people: suppressed with them


@dataclass(frozen=True)
class Mart:
    name: str
    description: str
    grain: tuple[str, ...]
    columns: dict[str, MartColumn] = field(default_factory=dict)

    @property
    def people_counts(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns.values() if c.people_count)

    @property
    def from_people_counts(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns.values() if c.from_people_counts)


def _one_line(text: object) -> str:
    return " ".join(str(text or "").split())


def _meta(node: dict) -> dict:
    return (node.get("config") or {}).get("meta") or {}


def _models() -> list[tuple[Path, dict]]:
    """Every model the marts' yml files declare, with its file."""
    return [(path, model) for path in sorted(MARTS_DIR.glob("*.yml"))
            for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", [])]


METRIC_ID = re.compile(r"^CM-[A-Z]{2}-\d{3}$")


def _check_metric_ids(marts: dict[str, Mart]) -> None:
    """Every column has an id of the catalogue's shape, and no two share one."""
    owners: dict[str, str] = {}
    for mart in marts.values():
        for column in mart.columns.values():
            where = f"{MARTS_DIR}: {mart.name}.{column.name}"
            if not METRIC_ID.match(column.metric_id):
                raise MartContractError(f"{where}: metric_id {column.metric_id!r} is not CM-<two letters>-<3 digits>")
            if column.metric_id in owners:
                raise MartContractError(f"{where}: metric_id {column.metric_id} is {owners[column.metric_id]}'s")
            owners[column.metric_id] = f"{mart.name}.{column.name}"


@lru_cache(maxsize=1)
def mart_contracts() -> dict[str, Mart]:
    """Every model of the marts' yml, by name."""
    marts = {}
    for path, model in _models():
        columns = {}
        for column in model.get("columns", []):
            meta = _meta(column)
            if meta.get("domain") is not None and meta["domain"] not in DOMAINS:
                raise MartContractError(f"{path}: {model['name']}.{column['name']}: unknown domain "
                                        f"{meta['domain']!r}; known: {', '.join(sorted(DOMAINS))}")
            columns[column["name"]] = MartColumn(column["name"], _one_line(column.get("description")),
                                                 meta.get("domain"), tuple(meta.get("at_least", ())),
                                                 str(meta.get("metric_id", "")), bool(meta.get("people_count")),
                                                 bool(meta.get("from_people_counts")))
        marts[model["name"]] = Mart(model["name"], _one_line(model.get("description")),
                                    tuple(_meta(model).get("grain", ())), columns)
    _check_metric_ids(marts)
    return marts


def mart(name: str) -> Mart:
    marts = mart_contracts()
    if name not in marts or not marts[name].grain:
        raise MartContractError(f"{MARTS_DIR}: {name} declares no grain (config: meta: grain)")
    return marts[name]
