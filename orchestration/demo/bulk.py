"""A demo consortium at bench size (millions of events) in seconds.

The simulator (simulate.py) decides each event in Python, which is right for
the structure of a consortium (who is a member, which initiative spawns
which, coalitions forming and dissolving) and too slow for ten million
events. So a bulk consortium is the simulator's consortium at a small share
of the size (the skeleton: members, initiatives, coalitions, retractions,
and its defects) filled up to the size asked for by the high-volume events
(contributions, resources, shared assets, feedback), drawn column-wise with
numpy and serialised with polars (bulk_fill.py, bulk_writer.py). Every fill
event refers to an initiative launched before it; 1% of the fill is made
defective the way defects.py does it, every quarantine reason in turn."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from orchestration.demo.bulk_fill import FRAME_SCHEMA, Initiatives, fill_events, with_fill_defects
from orchestration.demo.bulk_writer import write_org_feed
from orchestration.demo.consortium import demo_orgs
from orchestration.demo.defects import Record, with_defects
from orchestration.demo.generate import DemoSummary
from orchestration.demo.policy_tables import policy_table_records
from orchestration.demo.simulate import DemoEvent, simulate
from orchestration.demo.spreadsheet_org import RESOURCES, SNAPSHOT_EVENTS, bulk_hours, write_spreadsheet_org
from orchestration.demo.writer import write_registry

# the skeleton's share of the events: enough initiatives and members that the fill spreads over them
SKELETON_SHARE = 0.02
MIN_SKELETON = 2_000


def _initiatives(skeleton: list[DemoEvent]) -> Initiatives:
    started = [e for e in skeleton if e.event_type in ("initiative.launched", "practice.replicated")]
    return Initiatives(
        at=np.array([int(e.occurred_at.timestamp()) for e in started], dtype=np.int64),
        org_id=np.array([e.org_id for e in started]),
        initiative_id=np.array([e.payload["initiative_id"] for e in started]),
    )


def _skeleton_frame(records: list[Record]) -> pl.DataFrame:
    """The simulator's records in the bulk frame's columns (one Python step a
    record: only the skeleton's share goes this way)."""
    import json

    rows = []
    for record in records:
        env = record.envelope or {}
        rows.append((record.org_id, int(record.at.timestamp()), record.late, env.get("event_id"),
                     env.get("org_id"), env.get("event_type"), env.get("schema_version"), env.get("occurred_at"),
                     env.get("actor_ref"), json.dumps(env["payload"]) if "payload" in env else None,
                     record.raw_text))
    return pl.DataFrame(rows, schema=FRAME_SCHEMA, orient="row")


def generate_bulk_demo(out: Path, orgs: int = 8, events: int = 10_000_000, seed: int = 42,
                       defect_share: float = 0.01, per_file: int = 250_000,
                       delivery_share: float = 0.0, late_share: float = 0.0) -> DemoSummary:
    """About `events` events (defects included) of `orgs` organisations in
    their own formats, files of at most `per_file` records, and a registry.
    With `delivery_share`, the last records of each feed in time (that
    share of its on-time ones) are held back in delivery/<org>/: a later
    delivery (update-NNNN files, read after the others), to be moved into landing/<org>/.
    With `late_share`, that share of each feed's contributions, resources,
    assets and feedback, drawn at random over its whole history, is held
    back in late/<org>/ (backdated-NNNN files; late-NNNN are landing/'s late
    files): events that arrive months after they happened, in old months."""
    members = demo_orgs(orgs)
    skeleton_events = max(MIN_SKELETON, round(events * SKELETON_SHARE))
    skeleton = simulate(members, skeleton_events, seed)
    org_ids = [o.org_id for o in members]
    tables = policy_table_records(members, seed)
    skeleton_records = _skeleton_frame(with_defects(skeleton, org_ids, defect_share, seed) + tables)
    initiatives = _initiatives(skeleton)
    people = max(40, skeleton_events // 25)  # as many as the simulator made (simulate.py)
    fill_total = max(0, round((events - skeleton_records.height) / (1 + defect_share)))
    rng = np.random.default_rng(seed)
    total, defects = 0, skeleton_records.height - len(skeleton) - len(tables)
    for index, org in enumerate(members):
        fill = fill_events(rng, org.org_id, fill_total // orgs + (index < fill_total % orgs), initiatives,
                           people, org_ids, serial_base=index * 10**9)
        damaged = with_fill_defects(rng, fill, org_ids, defect_share, serial_base=index * 10**9)
        late = fill.clear()
        if late_share:
            arrives_late = pl.Series(rng.random(fill.height) < late_share)
            late, fill = fill.filter(arrives_late), fill.filter(~arrives_late)
        frame = pl.concat([skeleton_records.filter(pl.col("org") == org.org_id), fill, damaged])
        total += frame.height + late.height
        defects += damaged.height
        frame = frame.sort(["late", "at"], maintain_order=True)
        held_back = round(delivery_share * frame.filter(~pl.col("late")).height)
        on_time_end = frame.height - int(frame["late"].sum())
        delivery = frame.slice(on_time_end - held_back, held_back)
        frame = pl.concat([frame.slice(0, on_time_end - held_back), frame.slice(on_time_end)])
        write_org_feed(out / "landing" / org.org_id, org.format, frame, per_file)
        if held_back:
            write_org_feed(out / "delivery" / org.org_id, org.format, delivery, per_file, prefix="update")
        if late.height:
            # one delivery: its rows are not landing/'s late files (the writer's late-NNNN)
            write_org_feed(out / "late" / org.org_id, org.format, late.with_columns(late=pl.lit(False)), per_file,
                           prefix="backdated")
    # the organisation of spreadsheets, its activity workbook at size: a row of hours for every 50 events
    hours = bulk_hours(events // 50)
    write_spreadsheet_org(out, hours)
    spreadsheet_events = len(hours) - 1 + len(RESOURCES) - 1 + SNAPSHOT_EVENTS
    return DemoSummary(write_registry(out, members), total - defects + spreadsheet_events, defects, len(members))
