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

from orchestration.core.landing_paths import Landed, scan_landing
from orchestration.core.partners import Partner, parse_partners
from orchestration.core.schemas import envelope_schema
from orchestration.core.settings import registry_path

FORMATS = ("ndjson", "csv", "parquet")
_ORG_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_DURATION = re.compile(r"^([1-9][0-9]*)([smhd])$")
_UNITS = {"s": timedelta(seconds=1), "m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
DEFAULT_MAX_LINE_BYTES = 1024 * 1024
DEFAULT_SETTLE = timedelta(minutes=15)
DEFAULT_WARN_SHARE = 0.5
MAX_REGISTRY_BYTES = 1024 * 1024
# every key the registry may hold, by section: anything else is a typo that would otherwise be ignored
TOP_KEYS = {"feeds", "partners"}
FEED_KEYS = {"org_id", "name", "sector", "locality", "format", "landing", "demo", "expected_every", "csv",
             "max_line_bytes", "complete", "settle_after", "warn_quarantined_share"}
CSV_KEYS = {"delimiter", "timezone", "dst_resolution", "columns", "event_type_labels"}
# how a naive local time that a daylight-saving change skips or repeats is read: refused as
# bad_timestamp, or with the offset in force before or after the change
DST_RESOLUTIONS = ("refuse", "before_change", "after_change")
PARTNER_KEYS = {"name", "org_id", "k"}


class RegistryError(ValueError):
    """The registry is not usable; the message names the feed and the field."""


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML without aliases (a few lines of anchors and aliases expand
    to gigabytes) and without a key given twice."""

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise RegistryError(f"{mark.name}: line {mark.line + 1}: YAML aliases (*name) are not allowed "
                                "in the registry; write the value out")
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # noqa: ANN001 - PyYAML's signature
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise RegistryError(f"{key_node.start_mark.name}: line {key_node.start_mark.line + 1}: "
                                    f"key {key!r} given twice")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_registry_document(path: Path) -> dict:
    """The registry file as data, strictly: bounded size, no aliases, no
    repeated keys, a mapping at the top with only known sections."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise RegistryError(f"registry not found: {path}") from exc
    if size > MAX_REGISTRY_BYTES:
        raise RegistryError(f"{path}: {size} bytes, larger than a registry may be ({MAX_REGISTRY_BYTES})")
    try:
        with path.open(encoding="utf-8") as handle:  # the stream's name is the file's, in every message
            data = yaml.load(handle, Loader=_StrictLoader) or {}  # noqa: S506 - a strict safe loader
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise RegistryError(f"{path}: not UTF-8 text ({exc})") from exc
    if not isinstance(data, dict):
        raise RegistryError(f"{path}: the registry must be a mapping with feeds: and partners:")
    _known_keys(data, TOP_KEYS, str(path))
    for section, keys in (("feeds", FEED_KEYS), ("partners", PARTNER_KEYS)):
        entries = data.get(section) or []
        if not isinstance(entries, list):
            raise RegistryError(f"{path}: {section} must be a list")
        for index, entry in enumerate(entries):
            where = f"{path}: {section}[{index}]"
            if not isinstance(entry, dict):
                raise RegistryError(f"{where}: must be a mapping")
            _known_keys(entry, keys, where)
            if section == "feeds" and isinstance(entry.get("csv"), dict):
                _known_keys(entry["csv"], CSV_KEYS, f"{where}.csv")
    return data


def _known_keys(entry: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(str(k) for k in entry if k not in allowed)
    if unknown:
        raise RegistryError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}")


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
class CsvOptions:
    delimiter: str = ","
    timezone: str = "UTC"
    columns: dict[str, str] = field(default_factory=dict)  # envelope field -> CSV header
    event_type_labels: dict[str, str] = field(default_factory=dict)  # label -> event_type
    dst_resolution: str = "refuse"  # one of DST_RESOLUTIONS


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

    @property
    def org_ids(self) -> list[str]:
        return [feed.org_id for feed in self.feeds]


def _duration(value: str | None, where: str, key: str) -> timedelta | None:
    if value is None:
        return None
    match = _DURATION.match(str(value))
    if not match:
        raise RegistryError(f"{where}: {key} must look like 30s, 15m, 6h or 1d, got {value!r}")
    return int(match.group(1)) * _UNITS[match.group(2)]


def _number(raw: dict, key: str, where: str, kind: type, low: float, high: float, default: float) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or (kind is int and not isinstance(value, int)):
        raise RegistryError(f"{where}: {key} must be a {kind.__name__}, got {value!r}")
    if not low <= value <= high:
        raise RegistryError(f"{where}: {key} must be between {low} and {high}, got {value!r}")
    return kind(value)


def _csv_options(raw: dict, where: str) -> CsvOptions:
    columns = raw.get("columns") or {}
    envelope = envelope_schema()
    unknown = set(columns) - set(envelope["properties"])
    if unknown:
        raise RegistryError(f"{where}: csv.columns maps unknown envelope field(s) {sorted(unknown)}")
    # a CSV without an org_id column is the feed's own (parse_csv.sql)
    for required in [f for f in envelope["required"] if f != "org_id"]:
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
    dst_resolution = raw.get("dst_resolution", "refuse")
    if dst_resolution not in DST_RESOLUTIONS:
        raise RegistryError(f"{where}: csv.dst_resolution must be one of {', '.join(DST_RESOLUTIONS)}, "
                            f"got {dst_resolution!r}")
    return CsvOptions(delimiter, timezone, dict(columns), labels, dst_resolution)


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
        if ".." in Path(str(raw["landing"])).parts:
            raise RegistryError(f"{where}: landing {raw['landing']!r} may not climb out of its folder with '..'")
        for flag in ("demo", "complete"):
            if not isinstance(raw.get(flag, False), bool):
                raise RegistryError(f"{where}: {flag} must be true or false")
        feeds.append(Feed(
            org_id=raw["org_id"], name=raw["name"], sector=raw["sector"], locality=raw["locality"],
            format=raw["format"], landing=raw["landing"], base_dir=path.parent,
            demo=raw.get("demo", False),
            expected_every=_duration(raw.get("expected_every"), where, "expected_every"),
            csv=_csv_options(raw["csv"], where) if raw["format"] == "csv" else None,
            max_line_bytes=int(_number(raw, "max_line_bytes", where, int, 64, 1 << 30, DEFAULT_MAX_LINE_BYTES)),
            complete=raw.get("complete", False),
            settle_after=_duration(raw.get("settle_after"), where, "settle_after") or DEFAULT_SETTLE,
            warn_quarantined_share=_number(raw, "warn_quarantined_share", where, float, 0, 1, DEFAULT_WARN_SHARE),
        ))
    ids = [feed.org_id for feed in feeds]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise RegistryError(f"{path}: organisation(s) registered twice: {', '.join(duplicated)}")
    if not feeds:
        raise RegistryError(f"{path}: no feeds declared")
    return Registry(tuple(feeds), path, parse_partners(data, path, set(ids)))


def load_registry(path: Path | None = None) -> Registry:
    path = path or registry_path()
    return parse_registry(read_registry_document(path), path)
