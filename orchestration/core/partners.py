"""The partners of the registry (`partners:`): who receives extracts, as an
organisation of the consortium (its own rows too) or from outside it, and
the k below which a count of people is withheld from them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_PARTNER_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
DEFAULT_K = 5


class PartnerError(ValueError):
    """An unknown or invalid partner; the message says which and why."""


@dataclass(frozen=True)
class Partner:
    name: str
    kind: str  # organisation | outside
    org_id: str | None
    k: int



def validate_partner_name(name: str) -> str:
    if not _PARTNER_NAME.match(name or ""):
        raise PartnerError(f"invalid partner name {name!r}: use lowercase letters, digits, - and _ "
                           "(no path separators)")
    return name


def parse_partners(data: dict, path: Path, org_ids: set[str]) -> dict[str, Partner]:
    """The `partners:` section of a registry document already read strictly."""
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
