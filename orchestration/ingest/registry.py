"""The source registry (sources/registry.yml): which organisations publish
which feeds, in which format, landing where. Adding an organisation is a
registry change only; everything here is validated before it is used."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from orchestration.settings import registry_path

FORMATS = ("ndjson", "csv", "parquet")
ENVELOPE_FIELDS = ("event_id", "org_id", "event_type", "schema_version", "occurred_at", "actor_ref", "payload")
_ORG_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_DURATION = re.compile(r"^([1-9][0-9]*)([hd])$")


class RegistryError(ValueError):
    """The registry is not usable; the message names the feed and the field."""


@dataclass(frozen=True)
class CsvOptions:
    delimiter: str = ","
    timezone: str = "UTC"
    columns: dict[str, str] = field(default_factory=dict)  # envelope field -> CSV header
    event_type_labels: dict[str, str] = field(default_factory=dict)  # label -> event_type


@dataclass(frozen=True)
class Feed:
    org_id: str
    name: str
    sector: str
    locality: str
    format: str
    landing: str  # glob, relative to the registry's folder unless absolute
    base_dir: Path
    demo: bool = False
    expected_every: timedelta | None = None
    csv: CsvOptions | None = None

    def files(self) -> list[Path]:
        pattern = Path(self.landing)
        if pattern.is_absolute():
            root, glob = Path(pattern.anchor), str(pattern.relative_to(pattern.anchor))
        else:
            root, glob = self.base_dir, self.landing
        return sorted(p for p in root.glob(glob) if p.is_file())


@dataclass(frozen=True)
class Registry:
    feeds: tuple[Feed, ...]
    path: Path

    def feed(self, org_id: str) -> Feed:
        for feed in self.feeds:
            if feed.org_id == org_id:
                return feed
        raise RegistryError(f"{self.path}: no feed for organisation {org_id!r}")

    @property
    def org_ids(self) -> list[str]:
        return [feed.org_id for feed in self.feeds]


def _duration(value: str | None, where: str) -> timedelta | None:
    if value is None:
        return None
    match = _DURATION.match(str(value))
    if not match:
        raise RegistryError(f"{where}: expected_every must look like 6h or 1d, got {value!r}")
    amount, unit = int(match.group(1)), match.group(2)
    return timedelta(hours=amount) if unit == "h" else timedelta(days=amount)


def _csv_options(raw: dict, where: str) -> CsvOptions:
    columns = raw.get("columns") or {}
    unknown = set(columns) - set(ENVELOPE_FIELDS)
    if unknown:
        raise RegistryError(f"{where}: csv.columns maps unknown envelope field(s) {sorted(unknown)}")
    for required in ("event_id", "event_type", "schema_version", "occurred_at", "payload"):
        if required not in columns:
            raise RegistryError(f"{where}: csv.columns must map {required}")
    delimiter = raw.get("delimiter", ",")
    if len(delimiter) != 1 or delimiter in '"\n\r':
        raise RegistryError(f"{where}: csv.delimiter must be one character other than a quote or newline")
    timezone = raw.get("timezone", "UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RegistryError(f"{where}: unknown timezone {timezone!r}") from exc
    labels = {str(k): str(v) for k, v in (raw.get("event_type_labels") or {}).items()}
    return CsvOptions(delimiter, timezone, dict(columns), labels)


def parse_registry(data: dict, path: Path) -> Registry:
    feeds = []
    for index, raw in enumerate(data.get("feeds") or []):
        where = f"{path}: feeds[{index}]"
        missing = [k for k in ("org_id", "name", "sector", "locality", "format", "landing") if not raw.get(k)]
        if missing:
            raise RegistryError(f"{where}: missing {', '.join(missing)}")
        if not _ORG_ID.match(str(raw["org_id"])):
            raise RegistryError(f"{where}: org_id {raw['org_id']!r} must be lowercase letters, digits, - or _")
        if raw["format"] not in FORMATS:
            raise RegistryError(f"{where}: format must be one of {', '.join(FORMATS)}")
        if raw["format"] == "csv" and not isinstance(raw.get("csv"), dict):
            raise RegistryError(f"{where}: a csv feed needs a csv: section with its column mapping")
        feeds.append(Feed(
            org_id=raw["org_id"], name=raw["name"], sector=raw["sector"], locality=raw["locality"],
            format=raw["format"], landing=raw["landing"], base_dir=path.parent,
            demo=bool(raw.get("demo", False)),
            expected_every=_duration(raw.get("expected_every"), where),
            csv=_csv_options(raw["csv"], where) if raw["format"] == "csv" else None,
        ))
    ids = [feed.org_id for feed in feeds]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise RegistryError(f"{path}: organisation(s) registered twice: {', '.join(duplicated)}")
    if not feeds:
        raise RegistryError(f"{path}: no feeds declared")
    return Registry(tuple(feeds), path)


def load_registry(path: Path | None = None) -> Registry:
    path = path or registry_path()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise RegistryError(f"registry not found: {path}") from exc
    return parse_registry(data, path)
