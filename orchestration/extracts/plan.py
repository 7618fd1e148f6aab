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

    @property
    def people_counts(self) -> tuple[str, ...]:
        """Counts of people (`people_count: true` in the mart's yml): NULL below k."""
        return mart(self.mart).people_counts

    @property
    def derived_from_counts(self) -> tuple[str, ...]:
        """Figures derived from them (`from_people_counts: true`): NULL whenever a count of the row is."""
        return mart(self.mart).from_people_counts

    @property
    def order_by(self) -> tuple[str, ...]:
        """The mart's grain, as its dbt yml declares it: the rows' key and order."""
        return mart(self.mart).grain

    def rows_of(self, partner: Partner) -> str | None:
        """The organisation whose rows alone the partner receives, or None for every row."""
        return partner.org_id if self.scope in ("organisation", "account") else None


PLAN: tuple[MartExtract, ...] = (
    MartExtract("mart_consortium_monthly", "consortium"),
    MartExtract("mart_coalitions", "consortium"),
    MartExtract("mart_org_spillovers", "consortium"),
    MartExtract("mart_shared_value", "organisation"),
    MartExtract("mart_resource_mix", "organisation"),
    MartExtract("mart_spillovers", "organisation"),
    MartExtract("mart_boundary_spanners", "organisation"),
    MartExtract("dim_outcomes", "consortium"),
    MartExtract("mart_impact", "account"),
    MartExtract("mart_impact_org_year", "account"),
    MartExtract("mart_impact_sensitivity", "account"),
    MartExtract("mart_impact_outcomes", "account"),
    MartExtract("mart_community_functions", "organisation"),
    MartExtract("mart_initiative_health", "organisation"),
    MartExtract("mart_consortium_health", "consortium"),
    # a social report is a public document: every scope's row to every partner, its counts of people at k or more
    MartExtract("mart_social_report", "consortium"),
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
