"""What each partner receives (METRICS.md "Partner extracts") and how the
partners are declared (the `partners:` section of the registry)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from orchestration.ingest.registry import read_registry_document
from orchestration.settings import registry_path

_PARTNER_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
DEFAULT_K = 5


class PartnerError(ValueError):
    """An unknown or invalid partner; the message says which and why."""


@dataclass(frozen=True)
class MartExtract:
    mart: str
    scope: str  # "consortium": every row; "organisation": the partner's own rows only
    order_by: tuple[str, ...]
    people_counts: tuple[str, ...] = ()  # counts of people: NULL below k
    derived_from_counts: tuple[str, ...] = ()  # NULL whenever a count of the row is


PLAN: tuple[MartExtract, ...] = (
    MartExtract("mart_consortium_monthly", "consortium", ("month",), people_counts=("active_members",)),
    MartExtract("mart_coalitions", "consortium", ("coalition_id",)),
    MartExtract("mart_org_spillovers", "consortium", ("org_id",)),
    MartExtract("mart_shared_value", "organisation", ("org_id", "initiative_id", "month"),
                people_counts=("contributors",)),
    MartExtract("mart_resource_mix", "organisation", ("org_id", "quarter")),
    MartExtract("mart_spillovers", "organisation", ("org_id", "initiative_id")),
    MartExtract("mart_boundary_spanners", "organisation", ("org_id", "quarter"),
                people_counts=("people_active", "boundary_spanners"),
                derived_from_counts=("boundary_spanner_share",)),
)


@dataclass(frozen=True)
class Partner:
    name: str
    kind: str  # organisation | outside
    org_id: str | None
    k: int

    def receives(self) -> list[MartExtract]:
        return [m for m in PLAN if m.scope == "consortium" or (m.scope == "organisation" and self.org_id)]


def validate_partner_name(name: str) -> str:
    if not _PARTNER_NAME.match(name or ""):
        raise PartnerError(f"invalid partner name {name!r}: use lowercase letters, digits, - and _ "
                           "(no path separators)")
    return name


def load_partners(path: Path | None = None) -> dict[str, Partner]:
    path = path or registry_path()
    data = read_registry_document(path)
    org_ids = {feed["org_id"] for feed in data.get("feeds") or []}
    partners: dict[str, Partner] = {}
    for index, raw in enumerate(data.get("partners") or []):
        where = f"{path}: partners[{index}]"
        name = validate_partner_name(str(raw.get("name", "")))
        org_id = raw.get("org_id")
        if org_id is not None and org_id not in org_ids:
            raise PartnerError(f"{where}: org_id {org_id!r} is not a registered organisation")
        k = int(raw.get("k", DEFAULT_K))
        if k < 1:
            raise PartnerError(f"{where}: k must be at least 1")
        if name in partners:
            raise PartnerError(f"{where}: partner {name!r} declared twice")
        partners[name] = Partner(name, "organisation" if org_id else "outside", org_id, k)
    return partners


def partner(name: str, path: Path | None = None) -> Partner:
    validate_partner_name(name)
    partners = load_partners(path)
    if name not in partners:
        known = ", ".join(sorted(partners)) or "none"
        raise PartnerError(f"unknown partner {name!r}; declared partners: {known}")
    return partners[name]
