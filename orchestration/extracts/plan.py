"""What each partner receives (docs/metrics.md "Partner extracts") and how the
partners are declared (the `partners:` section of the registry)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from orchestration.core.marts import mart
from orchestration.core.partners import Partner, PartnerError, validate_partner_name
from orchestration.core.registry import load_registry


@dataclass(frozen=True)
class MartExtract:
    mart: str
    # "consortium": every row to every partner; "organisation": an organisation's own rows, to it alone;
    # "account": an organisation's own rows to it, every organisation's to a partner from outside (a funder)
    scope: str
    people_counts: tuple[str, ...] = ()  # counts of people: NULL below k
    derived_from_counts: tuple[str, ...] = ()  # NULL whenever a count of the row is

    @property
    def order_by(self) -> tuple[str, ...]:
        """The mart's grain, as its dbt yml declares it: the rows' key and order."""
        return mart(self.mart).grain

    def rows_of(self, partner: Partner) -> str | None:
        """The organisation whose rows alone the partner receives, or None for every row."""
        return partner.org_id if self.scope in ("organisation", "account") else None


PLAN: tuple[MartExtract, ...] = (
    MartExtract("mart_consortium_monthly", "consortium", people_counts=("active_members",)),
    MartExtract("mart_coalitions", "consortium"),
    MartExtract("mart_org_spillovers", "consortium"),
    MartExtract("mart_shared_value", "organisation", people_counts=("contributors",)),
    MartExtract("mart_resource_mix", "organisation"),
    MartExtract("mart_spillovers", "organisation"),
    MartExtract("mart_boundary_spanners", "organisation", people_counts=("people_active", "boundary_spanners"),
                derived_from_counts=("boundary_spanner_share",)),
    MartExtract("dim_outcomes", "consortium"),
    MartExtract("mart_impact", "account"),
    MartExtract("mart_impact_org_year", "account"),
    MartExtract("mart_impact_sensitivity", "account"),
    MartExtract("mart_impact_outcomes", "account"),
)


def receives(partner: Partner) -> list[MartExtract]:
    """The marts a partner is sent: every consortium-wide one, its own
    organisation's rows of the others when it is an organisation, and the
    impact account (its own, or every organisation's for a partner from outside)."""
    return [m for m in PLAN if m.scope != "organisation" or partner.org_id]


def load_partners(path: Path | None = None) -> dict[str, Partner]:
    return load_registry(path).partners


def partner(name: str, path: Path | None = None) -> Partner:
    validate_partner_name(name)
    partners = load_partners(path)
    if name not in partners:
        known = ", ".join(sorted(partners)) or "none"
        raise PartnerError(f"unknown partner {name!r}; declared partners: {known}")
    return partners[name]
