"""The source registry (sources/registry.yml): which organisations publish
which feeds, in which format, landing where. Adding an organisation is a
registry change only; everything here is validated before it is used."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from orchestration.core.feed_options import CsvOptions, csv_options, duration, number, zone
from orchestration.core.impact_catalogue import ImpactCatalogue, parse_impact
from orchestration.core.landing_paths import Landed, scan_landing
from orchestration.core.partners import Partner, parse_partners
from orchestration.core.registry_yaml import RegistryError, known_keys, read_yaml_strictly
from orchestration.core.settings import registry_path
from orchestration.core.sheet_mapping import SheetMapping, sheet_mapping
from orchestration.core.snapshot_spec import SnapshotSpec, snapshot_spec

FORMATS = ("ndjson", "csv", "parquet", "xlsx", "ods")
WORKBOOKS = ("xlsx", "ods")
_ORG_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
DEFAULT_MAX_LINE_BYTES = 1024 * 1024
DEFAULT_SETTLE = timedelta(minutes=15)
DEFAULT_WARN_SHARE = 0.5
# every key the registry may hold, by section: anything else is a typo that would otherwise be ignored
TOP_KEYS = {"feeds", "partners", "impact"}
FEED_KEYS = {"feed_id", "org_id", "name", "sector", "locality", "format", "landing", "timezone", "sheets", "snapshot",
             "demo", "expected_every", "csv", "max_line_bytes", "complete", "settle_after", "warn_quarantined_share"}
CSV_KEYS = {"delimiter", "encoding", "timezone", "dst_resolution", "columns", "event_type_labels"}
PARTNER_KEYS = {"name", "org_id", "k"}


def read_registry_document(path: Path) -> dict:
    """The registry file as data, strictly (registry_yaml.py), a mapping at
    the top with only known sections and feeds and partners of known keys."""
    data = read_yaml_strictly(path) or {}
    if not isinstance(data, dict):
        raise RegistryError(f"{path}: the registry must be a mapping with feeds:, partners: and impact:")
    known_keys(data, TOP_KEYS, str(path))
    for section, keys in (("feeds", FEED_KEYS), ("partners", PARTNER_KEYS)):
        entries = data.get(section) or []
        if not isinstance(entries, list):
            raise RegistryError(f"{path}: {section} must be a list")
        for index, entry in enumerate(entries):
            where = f"{path}: {section}[{index}]"
            if not isinstance(entry, dict):
                raise RegistryError(f"{where}: must be a mapping")
            known_keys(entry, keys, where)
            if section == "feeds" and isinstance(entry.get("csv"), dict):
                known_keys(entry["csv"], CSV_KEYS, f"{where}.csv")
    return data


def landing_folder(pattern: str, base_dir: Path) -> Path:
    """The feed's folder: the landing glob's part before its first wildcard."""
    path = Path(pattern) if Path(pattern).is_absolute() else base_dir / pattern
    fixed = []
    for part in path.parts:
        if any(ch in part for ch in "*?["):
            break
        fixed.append(part)
    return Path(*fixed)


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
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES  # a longer line is quarantined by its length, never loaded
    complete: bool = False  # files land whole: a last line without its newline is a record at once
    settle_after: timedelta = DEFAULT_SETTLE  # else such a line waits until the file is unchanged this long
    warn_quarantined_share: float = DEFAULT_WARN_SHARE  # a file quarantined above this share is a WARN
    feed_id: str = ""  # unique in the registry; the org_id when not given
    timezone: str = "UTC"  # where the naive dates and times of a tabular or snapshot feed are local
    sheets: tuple[SheetMapping, ...] = ()  # a tabular feed's sheet mappings
    snapshot: SnapshotSpec | None = None  # a snapshot feed's register

    def __post_init__(self) -> None:
        if not self.feed_id:
            object.__setattr__(self, "feed_id", self.org_id)

    @property
    def kind(self) -> str:
        """events (an event log), tabular (rows mapped to events) or snapshot (a register exported whole)."""
        return "snapshot" if self.snapshot else "tabular" if self.sheets else "events"

    @property
    def folder(self) -> Path:
        return landing_folder(self.landing, self.base_dir)

    def landed(self) -> Landed:
        """The paths the feed's landing glob matches, sorted by what may be read (landing_paths.py)."""
        pattern = Path(self.landing)
        if pattern.is_absolute():
            return scan_landing(Path(pattern.anchor), str(pattern.relative_to(pattern.anchor)), self.folder)
        return scan_landing(self.base_dir, self.landing, self.folder)

    def files(self) -> list[Path]:
        return self.landed().files


@dataclass(frozen=True)
class Registry:
    feeds: tuple[Feed, ...]
    path: Path
    partners: dict[str, Partner] = field(default_factory=dict)
    impact: ImpactCatalogue = field(default_factory=ImpactCatalogue)

    @property
    def org_ids(self) -> list[str]:
        """The organisations, once each, in the registry's order."""
        return list(dict.fromkeys(feed.org_id for feed in self.feeds))

    @property
    def feed_ids(self) -> list[str]:
        return [feed.feed_id for feed in self.feeds]

    def organisations(self) -> list[Feed]:
        """The first feed of each organisation: what the registry says of it (its feeds agree)."""
        return list({feed.org_id: feed for feed in reversed(self.feeds)}.values())[::-1]


def _shape(raw: dict, index: int, path: Path) -> dict:
    """The keys of a feed that say how its files become events, checked."""
    where, place = f"{path}: feeds[{index}]", f"feeds[{index}]"
    fmt, has_sheets, has_snapshot = raw["format"], "sheets" in raw, "snapshot" in raw
    timezone = zone(raw.get("timezone", (raw.get("csv") or {}).get("timezone", "UTC")), where)
    if has_sheets and has_snapshot:
        raise RegistryError(f"{where}: a feed has sheets (rows mapped to events) or a snapshot (a register), not both")
    mapped = has_sheets or has_snapshot
    if fmt in WORKBOOKS and not mapped:
        raise RegistryError(f"{where}: an {fmt} feed needs sheets: (its sheet mappings) or snapshot: (its register)")
    if fmt in ("ndjson", "parquet") and mapped:
        raise RegistryError(f"{where}: an {fmt} feed is an event log: sheets and snapshot are for csv, xlsx and ods")
    if fmt == "csv" and not isinstance(raw.get("csv"), dict) and not mapped:
        raise RegistryError(f"{where}: a csv feed needs a csv: section with its column mapping")
    shape: dict = {"timezone": timezone}
    if fmt == "csv":
        shape["csv"] = csv_options(raw.get("csv") or {}, where, event_log=not mapped, timezone=timezone)
    if has_sheets:
        sheets = raw["sheets"]
        if not isinstance(sheets, list) or not sheets:
            raise RegistryError(f"{where}: sheets must list one mapping a sheet")
        shape["sheets"] = tuple(sheet_mapping(s, f"{place}.sheets[{n}]", fmt == "csv") for n, s in enumerate(sheets))
        names = [m.sheet for m in shape["sheets"]]
        if len(set(names)) < len(names):
            raise RegistryError(f"{where}: a sheet is mapped twice")
    if has_snapshot:
        shape["snapshot"] = snapshot_spec(raw["snapshot"], f"{place}.snapshot", fmt == "csv")
    return shape


def _same_organisation(feeds: list[Feed], path: Path) -> None:
    """The feeds of one organisation agree on what it is; feed ids are unique."""
    first: dict[str, Feed] = {}
    for feed in feeds:
        other = first.setdefault(feed.org_id, feed)
        for key in ("name", "sector", "locality", "demo"):
            if getattr(other, key) != getattr(feed, key):
                raise RegistryError(f"{path}: feeds {other.feed_id} and {feed.feed_id} of {feed.org_id} disagree "
                                    f"on its {key} ({getattr(other, key)!r}, {getattr(feed, key)!r})")
    ids = [feed.feed_id for feed in feeds]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise RegistryError(f"{path}: feed id(s) registered twice: {', '.join(duplicated)} "
                            "(an organisation with several feeds gives each a feed_id)")


def parse_registry(data: dict, path: Path) -> Registry:
    feeds = []
    for index, raw in enumerate(data.get("feeds") or []):
        where = f"{path}: feeds[{index}]"
        missing = [k for k in ("org_id", "name", "sector", "locality", "format", "landing") if not raw.get(k)]
        if missing:
            raise RegistryError(f"{where}: missing {', '.join(missing)}")
        for key in ("org_id", "feed_id"):
            if key in raw and not _ORG_ID.match(str(raw[key])):
                raise RegistryError(f"{where}: {key} {raw[key]!r} must be lowercase letters, digits, - or _")
        if raw["format"] not in FORMATS:
            raise RegistryError(f"{where}: format must be one of {', '.join(FORMATS)}")
        if ".." in Path(str(raw["landing"])).parts:
            raise RegistryError(f"{where}: landing {raw['landing']!r} may not climb out of its folder with '..'")
        for flag in ("demo", "complete"):
            if not isinstance(raw.get(flag, False), bool):
                raise RegistryError(f"{where}: {flag} must be true or false")
        feeds.append(Feed(
            org_id=raw["org_id"], feed_id=str(raw.get("feed_id", raw["org_id"])), name=raw["name"],
            sector=raw["sector"], locality=raw["locality"],
            format=raw["format"], landing=raw["landing"], base_dir=path.parent,
            demo=raw.get("demo", False),
            expected_every=duration(raw.get("expected_every"), where, "expected_every"),
            max_line_bytes=int(number(raw, "max_line_bytes", where, int, 64, 1 << 30, DEFAULT_MAX_LINE_BYTES)),
            complete=raw.get("complete", False),
            settle_after=duration(raw.get("settle_after"), where, "settle_after") or DEFAULT_SETTLE,
            warn_quarantined_share=number(raw, "warn_quarantined_share", where, float, 0, 1, DEFAULT_WARN_SHARE),
            **_shape(raw, index, path),
        ))
    if not feeds:
        raise RegistryError(f"{path}: no feeds declared")
    _same_organisation(feeds, path)
    return Registry(tuple(feeds), path, parse_partners(data, path, {f.org_id for f in feeds}),
                    parse_impact(data.get("impact"), str(path)))


def load_registry(path: Path | None = None) -> Registry:
    path = path or registry_path()
    return parse_registry(read_registry_document(path), path)
