"""What the dbt yml of the marts (`dbt_project/models/marts/*.yml`: the
shared `_marts.yml`, and one file for each mart that has its own) declares
of each mart, read once for every layer that needs it: its description,
its grain (`config: meta: grain`, the columns that name a row),
and each column's description and value domain (`config: meta: domain`,
`at_least`). dbt tests the grain (tests/generic/unique_grain.sql), the GX
marts suite checks the domains, extracts sort by the grain and describe the
columns."""

from __future__ import annotations

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


@dataclass(frozen=True)
class Mart:
    name: str
    description: str
    grain: tuple[str, ...]
    columns: dict[str, MartColumn] = field(default_factory=dict)


def _one_line(text: object) -> str:
    return " ".join(str(text or "").split())


def _meta(node: dict) -> dict:
    return (node.get("config") or {}).get("meta") or {}


def _models() -> list[tuple[Path, dict]]:
    """Every model the marts' yml files declare, with its file."""
    return [(path, model) for path in sorted(MARTS_DIR.glob("*.yml"))
            for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", [])]


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
                                                 meta.get("domain"), tuple(meta.get("at_least", ())))
        marts[model["name"]] = Mart(model["name"], _one_line(model.get("description")),
                                    tuple(_meta(model).get("grain", ())), columns)
    return marts


def mart(name: str) -> Mart:
    marts = mart_contracts()
    if name not in marts or not marts[name].grain:
        raise MartContractError(f"{MARTS_DIR}: {name} declares no grain (config: meta: grain)")
    return marts[name]
