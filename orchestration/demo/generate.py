"""`coopmetrics demo`: simulate, add defects, write feeds and registry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from orchestration.demo.consortium import demo_orgs
from orchestration.demo.defects import with_defects
from orchestration.demo.policy_tables import policy_table_records
from orchestration.demo.simulate import simulate
from orchestration.demo.writer import write_feeds


@dataclass(frozen=True)
class DemoSummary:
    registry: Path
    events: int
    defects: int
    organisations: int


def generate_demo(out: Path, orgs: int = 6, events: int = 300, seed: int = 7,
                  defect_share: float = 0.01, per_file: int = 50_000, only_format: str | None = None) -> DemoSummary:
    if orgs < 2:
        raise ValueError("a consortium needs at least 2 organisations")
    members = demo_orgs(orgs, only_format)
    simulated = simulate(members, events, seed)
    records = with_defects(simulated, [o.org_id for o in members], defect_share, seed)
    tables = policy_table_records(members, seed)
    records += tables
    registry = write_feeds(out, members, records, per_file)
    return DemoSummary(registry, len(simulated) + len(tables), len(records) - len(simulated) - len(tables),
                       len(members))
