"""The consortium's outcome catalogue (the registry's `impact:` section):
what each outcome code is worth and the assumptions that value it the SROI
way (docs/metrics.md "The impact account"). Read as strictly as the rest of
the registry: an unknown key, a deflator outside [0, 1), a duration outside
1-30 or a proxy that is not above zero stops the run before any work, with
the file and line."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass

from orchestration.core.registry_yaml import RegistryError, known_keys, where

DEFAULT_DISCOUNT_RATE = 0.035  # the UK Green Book's social time preference rate
IMPACT_KEYS = {"discount_rate", "outcomes"}
OUTCOME_KEYS = {"code", "label", "unit", "proxy_eur", "proxy_source", "price_year", "deadweight", "displacement",
                "attribution", "drop_off", "duration_years"}
DEFLATORS = ("deadweight", "displacement", "attribution", "drop_off")
MAX_DURATION_YEARS = 30
MAX_PROXY_EUR = 1_000_000_000  # what one unit may be worth for a year: sums of them stay exact in the marts
_CODE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")  # an identifier, as outcome_code is in the event schema


@dataclass(frozen=True)
class OutcomeEntry:
    code: str
    label: str
    unit: str
    proxy_eur: float
    proxy_source: str
    price_year: int
    deadweight: float
    displacement: float
    attribution: float
    drop_off: float
    duration_years: int


@dataclass(frozen=True)
class ImpactCatalogue:
    discount_rate: float = DEFAULT_DISCOUNT_RATE
    outcomes: tuple[OutcomeEntry, ...] = ()

    @property
    def digest(self) -> str:
        """sha256 of the catalogue's values (not of its text: a comment or a reordering is no change)."""
        canonical = {"discount_rate": self.discount_rate,
                     "outcomes": sorted((asdict(o) for o in self.outcomes), key=lambda o: o["code"])}
        return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class _Place:
    path: str  # the registry file
    name: str  # impact, impact.outcomes[N]

    def refuse(self, raw: object, key: str | None, why: str) -> RegistryError:
        """`<file>: line N: <name>.<key> <why>`, N the line of the key (or of its mapping)."""
        return RegistryError(f"{where(raw, key, self.path)}: {self.name}{'.' + key if key else ''} {why}")


def _fraction(raw: dict, key: str, place: _Place) -> float:
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
        raise place.refuse(raw, key, f"must be a fraction in [0, 1), got {value!r}")
    return float(value)


def _text(raw: dict, key: str, place: _Place) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value.strip() or len(value) > 500 or "@" in value:
        raise place.refuse(raw, key, f"must be text of 1-500 characters without an at-sign, got {value!r}")
    return value


def _outcome(raw: object, place: _Place) -> OutcomeEntry:
    if not isinstance(raw, dict):
        raise place.refuse(raw, None, "must be a mapping")
    known_keys(raw, OUTCOME_KEYS, f"{place.path}: {place.name}")
    missing = sorted(OUTCOME_KEYS - set(raw))
    if missing:
        raise place.refuse(raw, None, f"misses {', '.join(missing)}")
    code = raw["code"]
    if not isinstance(code, str) or not _CODE.match(code):
        raise place.refuse(raw, "code", f"{code!r} must be 1-128 letters, digits or . _ : -")
    proxy = raw["proxy_eur"]
    if isinstance(proxy, bool) or not isinstance(proxy, int | float) or not 0 < proxy <= MAX_PROXY_EUR:
        raise place.refuse(raw, "proxy_eur", f"must be above 0 and at most {MAX_PROXY_EUR:,}, got {proxy!r}")
    for key, low, high in (("duration_years", 1, MAX_DURATION_YEARS), ("price_year", 1900, 2999)):
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise place.refuse(raw, key, f"must be a whole number from {low} to {high}, got {value!r}")
    return OutcomeEntry(
        code=code, label=_text(raw, "label", place), unit=_text(raw, "unit", place), proxy_eur=float(proxy),
        proxy_source=_text(raw, "proxy_source", place), price_year=raw["price_year"],
        **{key: _fraction(raw, key, place) for key in DEFLATORS}, duration_years=raw["duration_years"])


def parse_impact(raw: object, path: str) -> ImpactCatalogue:
    """The `impact:` section of a registry document read strictly (absent: an empty catalogue)."""
    if raw is None:
        return ImpactCatalogue()
    place = _Place(path, "impact")
    if not isinstance(raw, dict):
        raise place.refuse(raw, None, "must be a mapping with discount_rate: and outcomes:")
    known_keys(raw, IMPACT_KEYS, f"{path}: impact")
    rate = raw.get("discount_rate", DEFAULT_DISCOUNT_RATE)
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate < 1:
        raise place.refuse(raw, "discount_rate", f"must be a fraction in [0, 1), got {rate!r}")
    entries = raw.get("outcomes") or []
    if not isinstance(entries, list):
        raise place.refuse(raw, "outcomes", "must be a list")
    outcomes = tuple(_outcome(entry, _Place(path, f"impact.outcomes[{index}]")) for index, entry in enumerate(entries))
    codes = [o.code for o in outcomes]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise place.refuse(raw, "outcomes", f"declare code(s) twice: {', '.join(repeated)}")
    return ImpactCatalogue(float(rate), outcomes)
