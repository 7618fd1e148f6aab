"""The options of a feed that are checked one by one: durations, bounded
numbers, time zones and a CSV file's options."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from orchestration.core.registry_yaml import RegistryError
from orchestration.core.schemas import envelope_schema

_DURATION = re.compile(r"^([1-9][0-9]*)([smhd])$")
_UNITS = {"s": timedelta(seconds=1), "m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
# how a naive local time that a daylight-saving change skips or repeats is read: refused as
# bad_timestamp, or with the offset in force before or after the change
DST_RESOLUTIONS = ("refuse", "before_change", "after_change")


@dataclass(frozen=True)
class CsvOptions:
    delimiter: str = ","
    timezone: str = "UTC"
    columns: dict[str, str] = field(default_factory=dict)  # envelope field -> CSV header
    event_type_labels: dict[str, str] = field(default_factory=dict)  # label -> event_type
    dst_resolution: str = "refuse"  # one of DST_RESOLUTIONS
    encoding: str = "utf-8"  # of a tabular or snapshot CSV file; an event log's CSV is UTF-8


def duration(value: str | None, where: str, key: str) -> timedelta | None:
    if value is None:
        return None
    match = _DURATION.match(str(value))
    if not match:
        raise RegistryError(f"{where}: {key} must look like 30s, 15m, 6h or 1d, got {value!r}")
    return int(match.group(1)) * _UNITS[match.group(2)]


def number(raw: dict, key: str, where: str, kind: type, low: float, high: float, default: float) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or (kind is int and not isinstance(value, int)):
        raise RegistryError(f"{where}: {key} must be a {kind.__name__}, got {value!r}")
    if not low <= value <= high:
        raise RegistryError(f"{where}: {key} must be between {low} and {high}, got {value!r}")
    return kind(value)


def zone(name: object, where: str) -> str:
    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RegistryError(f"{where}: unknown timezone {name!r} (an IANA zone such as Europe/Rome)") from exc
    return str(name)


def csv_options(raw: dict, where: str, event_log: bool = True, timezone: str = "UTC") -> CsvOptions:
    """A CSV file's options: an event log's column mapping, or only the delimiter and encoding of a
    tabular or snapshot file (whose columns its sheet mapping names)."""
    columns = raw.get("columns") or {}
    if not event_log and (columns or raw.get("event_type_labels")):
        raise RegistryError(f"{where}: csv.columns and csv.event_type_labels are an event log's; a tabular or "
                            "snapshot feed maps its columns in sheets: or snapshot:")
    encoding = str(raw.get("encoding", "utf-8"))
    try:
        "".encode(encoding)
    except LookupError as exc:
        raise RegistryError(f"{where}: csv.encoding {encoding!r} is not an encoding Python knows") from exc
    if event_log and encoding.replace("-", "").lower() != "utf8":
        raise RegistryError(f"{where}: an event log's CSV is UTF-8; csv.encoding is for tabular and snapshot feeds")
    envelope = envelope_schema()
    unknown = set(columns) - set(envelope["properties"])
    if unknown:
        raise RegistryError(f"{where}: csv.columns maps unknown envelope field(s) {sorted(unknown)}")
    # a CSV without an org_id column is the feed's own (parse_csv.sql)
    for required in [f for f in envelope["required"] if f != "org_id" and event_log]:
        if required not in columns:
            raise RegistryError(f"{where}: csv.columns must map {required}")
    delimiter = raw.get("delimiter", ",")
    if len(delimiter) != 1 or delimiter in '"\n\r':
        raise RegistryError(f"{where}: csv.delimiter must be one character other than a quote or newline")
    timezone = zone(raw.get("timezone", timezone), where)
    labels = {str(k): str(v) for k, v in (raw.get("event_type_labels") or {}).items()}
    dst_resolution = raw.get("dst_resolution", "refuse")
    if dst_resolution not in DST_RESOLUTIONS:
        raise RegistryError(f"{where}: csv.dst_resolution must be one of {', '.join(DST_RESOLUTIONS)}, "
                            f"got {dst_resolution!r}")
    return CsvOptions(delimiter, timezone, dict(columns), labels, dst_resolution, encoding)


