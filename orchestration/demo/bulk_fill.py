"""The high-volume events of a bulk consortium (bulk.py), drawn column-wise:
contributions, resources, shared assets and feedback of one organisation,
each on an initiative launched before it, and their defects."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from orchestration.demo.defects import DEFECT_KINDS
from orchestration.demo.simulate import (
    ASSET_TYPES,
    DIMENSIONS,
    KIND_WEIGHTS,
    SOURCE_TYPES,
    SPAN_DAYS,
    STAKEHOLDERS,
    START,
)

FRAME_SCHEMA = {"org": pl.String, "at": pl.Int64, "late": pl.Boolean, "event_id": pl.String, "org_id": pl.String,
                "event_type": pl.String, "schema_version": pl.Int64, "occurred_at": pl.String,
                "actor_ref": pl.String, "payload": pl.String, "raw_text": pl.String}
FILL_KINDS = ("contribution.logged", "resource.committed", "asset.shared", "feedback.recorded")
LATE_SHARE = 0.03
_START = int(START.timestamp())


@dataclass(frozen=True)
class Initiatives:
    at: np.ndarray  # launch instants (epoch seconds), ascending
    org_id: np.ndarray
    initiative_id: np.ndarray


def _instants(rng: np.random.Generator, count: int) -> np.ndarray:
    """Ascending instants over the simulator's span, in office hours as it draws them."""
    offsets = np.sort(rng.random(count) * SPAN_DAYS)
    return _START + np.floor(offsets).astype(np.int64) * 86400 + (8 * 3600 + (offsets % 1) * 36000).astype(np.int64)


def _ref(org: pl.Expr, initiative: pl.Expr) -> pl.Expr:
    return pl.concat_str([pl.lit('{"org_id":"'), org, pl.lit('","initiative_id":"'), initiative, pl.lit('"}')])


def _number(values: np.ndarray) -> pl.Series:
    return pl.Series(values).cast(pl.String)


def fill_events(rng: np.random.Generator, org_id: str, count: int, initiatives: Initiatives, people: int,
                org_ids: list[str], serial_base: int) -> pl.DataFrame:
    """`count` fill events of `org_id` (fewer: those before its first initiative are dropped)."""
    at = _instants(rng, count)
    launched = np.searchsorted(initiatives.at, at, side="right")
    own_index = np.flatnonzero(initiatives.org_id == org_id)
    own_launched = np.searchsorted(initiatives.at[own_index], at, side="right")
    weights = np.array([KIND_WEIGHTS[k] for k in FILL_KINDS], dtype=float)
    kind = rng.choice(len(FILL_KINDS), size=count, p=weights / weights.sum())
    kind[(kind == 1) & (own_launched == 0)] = 3  # a resource goes to an own initiative: feedback instead
    keep = launched > 0
    any_target = np.floor(rng.random(count) * launched).astype(np.int64)
    own_target = own_index[np.minimum(np.floor(rng.random(count) * own_launched).astype(np.int64),
                                      max(len(own_index) - 1, 0))] if len(own_index) else any_target
    use_own = (own_launched > 0) & ((kind == 1) | ((kind == 0) & (rng.random(count) < 0.75)))
    target = np.where(use_own, own_target, any_target)[keep]
    kind, at, count = kind[keep], at[keep], int(keep.sum())
    contribution = rng.choice(4, size=count, p=[0.6, 0.2, 0.1, 0.1])
    unit = np.array(["hour", "eur", "eur", "m2_day"])[contribution]
    amount = np.where(unit == "hour", np.round(rng.uniform(0.5, 8, count), 1),
                      np.where(unit == "eur", np.round(rng.uniform(5, 500, count), 2),
                               rng.integers(10, 201, count).astype(float)))
    frame = pl.DataFrame({
        "kind": kind, "at": at, "target_org": initiatives.org_id[target],
        "target_id": initiatives.initiative_id[target], "person_number": rng.integers(0, people, count),
        "contribution_kind": np.array(["time", "money", "in_kind", "space"])[contribution], "unit": unit,
        "amount": _number(amount), "credited": rng.random(count) < 0.5,
        "source_type": np.array(SOURCE_TYPES)[rng.integers(0, len(SOURCE_TYPES), count)],
        "amount_eur": _number(np.round(rng.uniform(100, 20000, count), 2)),
        "funder": np.array(org_ids)[rng.integers(0, len(org_ids), count)],
        "asset_type": np.array(ASSET_TYPES)[rng.integers(0, len(ASSET_TYPES), count)],
        "days": rng.integers(1, 31, count), "valued": rng.random(count) < 0.4,
        "value_eur": _number(np.round(rng.uniform(0, 2000, count), 2)),
        "stakeholder": np.array(STAKEHOLDERS)[rng.integers(0, len(STAKEHOLDERS), count)],
        "dimension": np.array(DIMENSIONS)[rng.integers(0, len(DIMENSIONS), count)],
        "score": rng.integers(1, 6, count), "acted": rng.random(count) < 0.2,
        "late": rng.random(count) < LATE_SHARE,
    }).with_row_index("serial")
    c = pl.col
    # as the simulator names people: half by e-mail (pseudonymised on ingest), half by membership number
    number = c("person_number").cast(pl.String)
    frame = frame.with_columns(person=pl.when(c("person_number") % 2 == 0)
                               .then(pl.concat_str([pl.lit("person"), number, pl.lit("@example.org")]))
                               .otherwise(pl.concat_str([pl.lit("m"), number.str.zfill(6)])))
    ref = _ref(c("target_org"), c("target_id"))
    contribution_payload = pl.concat_str([
        pl.lit('{"initiative":'), ref, pl.lit(',"person_ref":"'), c("person"), pl.lit('","kind":"'),
        c("contribution_kind"), pl.lit('","amount":'), c("amount"), pl.lit(',"unit":"'), c("unit"), pl.lit('"'),
        pl.when((c("target_org") != org_id) & c("credited"))
        .then(pl.lit(f',"contributor_org_id":"{org_id}"')).otherwise(pl.lit("")), pl.lit("}")])
    source = pl.concat_str([pl.lit('{"initiative_id":"'), c("target_id"), pl.lit('","source_type":"'),
                            c("source_type"), pl.lit('","amount_eur":'), c("amount_eur"),
                            pl.when(c("source_type") == "partner_org")
                            .then(pl.concat_str([pl.lit(',"funder_org_id":"'), c("funder"), pl.lit('"')]))
                            .otherwise(pl.lit("")), pl.lit("}")])
    asset = pl.concat_str([pl.lit('{"asset_id":"asset-b'), (c("serial") + serial_base).cast(pl.String),
                           pl.lit('","asset_type":"'), c("asset_type"), pl.lit('","initiative":'), ref,
                           pl.lit(',"days":'), c("days").cast(pl.String),
                           pl.when(c("valued")).then(pl.concat_str([pl.lit(',"value_eur":'), c("value_eur")]))
                           .otherwise(pl.lit("")), pl.lit("}")])
    feedback = pl.concat_str([pl.lit('{"initiative":'), ref, pl.lit(',"stakeholder_type":"'), c("stakeholder"),
                              pl.lit('","dimension":"'), c("dimension"), pl.lit('","score":'),
                              c("score").cast(pl.String), pl.lit("}")])
    return frame.select(
        org=pl.lit(org_id), at=c("at"), late=c("late"),
        event_id=pl.concat_str([pl.lit("bulk-"), (c("serial") + serial_base).cast(pl.String)]),
        org_id=pl.lit(org_id),
        event_type=pl.Series(np.array(FILL_KINDS)[kind]),
        schema_version=pl.when(c("kind") == 0).then(2).otherwise(1).cast(pl.Int64),
        occurred_at=pl.from_epoch(c("at"), time_unit="s").dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
        actor_ref=pl.when(c("acted")).then(c("person")),
        payload=pl.when(c("kind") == 0).then(contribution_payload).when(c("kind") == 1).then(source)
        .when(c("kind") == 2).then(asset).otherwise(feedback),
        raw_text=pl.lit(None, pl.String),
    ).cast(FRAME_SCHEMA)


def with_fill_defects(rng: np.random.Generator, fill: pl.DataFrame, org_ids: list[str], share: float,
                      serial_base: int) -> pl.DataFrame:
    """round(share * rows) defective copies of on-time fill events, one
    second after the event each is made from, every kind of defects.py in
    turn (the same changes, made column-wise)."""
    on_time = fill.filter(~pl.col("late"))
    wanted = min(round(share * fill.height), on_time.height)
    if wanted == 0:
        return fill.clear()
    base = on_time[np.sort(rng.choice(on_time.height, wanted, replace=False))]
    others = [o for o in org_ids if o != fill["org"][0]] or [fill["org"][0] + "-other"]
    c = pl.col
    serial = pl.int_range(0, pl.len()) + serial_base
    kind = pl.Series(np.array(DEFECT_KINDS)[np.arange(wanted) % len(DEFECT_KINDS)])
    damaged = base.with_columns(kind=kind, serial=serial.cast(pl.String),
                                other=pl.Series(np.array(others)[rng.integers(0, len(others), wanted)]))

    def when_kind(name: str, value: pl.Expr, column: str) -> pl.Expr:
        return pl.when(c("kind") == name).then(value).otherwise(c(column))

    keeps_id = c("kind").is_in(["duplicate", "conflicting_duplicate", "malformed_record"])
    damaged = damaged.with_columns(
        at=c("at") + 1,
        event_id=pl.when(c("kind") == "invalid_id").then(pl.concat_str([pl.lit("bad id "), c("serial"), pl.lit("!")]))
        .when(keeps_id).then(c("event_id")).otherwise(pl.concat_str([pl.lit("defect-b"), c("serial")])),
        raw_text=pl.when(c("kind") == "malformed_record")
        .then(pl.concat_str([pl.lit('{"event_id": "truncated-b'), c("serial"), pl.lit('", "org_id')])),
        occurred_at=pl.when(c("kind") == "missing_field").then(None)
        .when(c("kind") == "bad_timestamp").then(pl.lit("2099-01-01T09:00:00Z")).otherwise(c("occurred_at")),
        event_type=pl.when(c("kind") == "unknown_event_type").then(pl.lit("member.promoted"))
        .when(c("kind") == "invalid_payload").then(pl.lit("feedback.recorded"))
        .when(c("kind") == "retraction_invalid").then(pl.lit("event.retracted")).otherwise(c("event_type")),
        schema_version=pl.when(c("kind") == "unknown_schema_version").then(7)
        .when(c("kind").is_in(["invalid_payload", "retraction_invalid"])).then(1).otherwise(c("schema_version")),
        payload=when_kind("invalid_payload", pl.concat_str([
            pl.lit('{"initiative":{"org_id":"'), c("org"),
            pl.lit('","initiative_id":"x"},"stakeholder_type":"resident","dimension":"risk","score":9}')]), "payload")
        .pipe(lambda e: pl.when(c("kind") == "retraction_invalid").then(pl.concat_str(
            [pl.lit('{"event_id":"never-sent-b'), c("serial"), pl.lit('","reason":"typo"}')])).otherwise(e)),
        org_id=when_kind("org_mismatch", c("other"), "org_id"),
        actor_ref=when_kind("conflicting_duplicate", pl.concat_str([pl.lit("m"), c("serial"), pl.lit("-corrected")]),
                            "actor_ref"),
    )
    # a malformed record is only its text
    envelope = ["event_id", "org_id", "event_type", "schema_version", "occurred_at", "actor_ref", "payload"]
    damaged = damaged.with_columns(pl.when(c("kind") != "malformed_record").then(c(name)).alias(name)
                                   for name in envelope)
    return damaged.select(FRAME_SCHEMA.keys()).cast(FRAME_SCHEMA)
