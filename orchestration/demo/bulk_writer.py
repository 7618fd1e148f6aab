"""One organisation's bulk records (bulk.py) written as its feed, as
writer.py writes a demo feed: NDJSON lines, Italian CSV rows (naive local
times, `;`, translated labels) or Parquet, on-time files then late ones,
each of at most `per_file` records; serialised column-wise by polars."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from orchestration.demo.consortium import CSV_COLUMNS, ITALIAN_LABELS
from orchestration.demo.writer import CSV_TIMEZONE, EXTENSION

_LABEL_OF = {event_type: label for label, event_type in ITALIAN_LABELS.items()}
c = pl.col


def _optional(key: str, column: str, quoted: bool = True) -> pl.Expr:
    """`,"key":value` when the column has a value, nothing when it has none (a field left out)."""
    quote = pl.lit('"' if quoted else "")
    return (pl.when(c(column).is_not_null())
            .then(pl.concat_str([pl.lit(f',"{key}":'), quote, c(column), quote])).otherwise(pl.lit("")))


# ids, types and references of the demo are plain ASCII, so quoting them is enough; payloads are JSON already
NDJSON_LINE = pl.when(c("raw_text").is_not_null()).then(c("raw_text")).otherwise(pl.concat_str([
    pl.lit('{"event_id":"'), c("event_id"), pl.lit('","org_id":"'), c("org_id"), pl.lit('","event_type":"'),
    c("event_type"), pl.lit('","schema_version":'), c("schema_version").cast(pl.String),
    _optional("occurred_at", "occurred_at"), _optional("actor_ref", "actor_ref"),
    pl.lit(',"payload":'), c("payload"), pl.lit("}")]))

_LOCAL = (c("occurred_at").str.strptime(pl.Datetime("us", "UTC"), "%Y-%m-%dT%H:%M:%SZ", strict=False)
          .dt.convert_time_zone(CSV_TIMEZONE).dt.strftime("%Y-%m-%d %H:%M:%S"))
CSV_LINE = pl.when(c("raw_text").is_not_null()).then(c("raw_text") + pl.lit(';"unclosed')).otherwise(
    pl.concat_str([c("event_id"), c("org_id"), c("event_type").replace(_LABEL_OF),
                   c("schema_version").cast(pl.String), _LOCAL.fill_null(c("occurred_at")).fill_null(""),
                   c("actor_ref").fill_null(""),
                   pl.lit('"') + c("payload").str.replace_all('"', '""', literal=True) + pl.lit('"')],
                  separator=";"))

PARQUET_COLUMNS = [
    pl.when(c("raw_text").is_null()).then(c("event_id"))
    .otherwise(pl.lit("raw-") + pl.from_epoch(c("at"), time_unit="s").dt.strftime("%Y%m%d%H%M%S"))
    .alias("event_id"),
    c("org_id"), c("event_type"), c("schema_version"), c("occurred_at"), c("actor_ref"),
    pl.coalesce(c("payload"), c("raw_text")).alias("payload"),
]


def _write(path: Path, fmt: str, part: pl.DataFrame) -> None:
    if fmt == "parquet":
        part.select(PARQUET_COLUMNS).write_parquet(path, compression="zstd")
        return
    with path.open("wb") as out:
        if fmt == "csv":
            out.write((";".join(CSV_COLUMNS[f] for f in CSV_COLUMNS) + "\n").encode())
        # one text column written unquoted: each value is a whole line
        part.select(line=NDJSON_LINE if fmt == "ndjson" else CSV_LINE).write_csv(
            out, include_header=False, quote_style="never")


def write_org_feed(folder: Path, fmt: str, records: pl.DataFrame, per_file: int, prefix: str = "events") -> None:
    """<prefix>-NNNN files (on time, in time order), then late-NNNN files."""
    folder.mkdir(parents=True, exist_ok=True)
    records = records.sort(["late", "at"], maintain_order=True)
    for name, late in ((prefix, False), ("late", True)):
        part = records.filter(c("late") == late)
        for number, start in enumerate(range(0, part.height, per_file), start=1):
            _write(folder / f"{name}-{number:04d}.{EXTENSION[fmt]}", fmt, part.slice(start, per_file))
