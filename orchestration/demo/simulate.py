"""Simulate a consortium's event logs, deterministically for a seed.

Members who belong to several organisations, initiatives launched from other
organisations' initiatives, practices replicated elsewhere, coalitions that
form and dissolve, resources from a mix of sources, feedback, some v1
contributions and events delivered late. Defects are added by defects.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from orchestration.core.schemas import payload_rule
from orchestration.demo.bag import Bag
from orchestration.demo.consortium import LOCALITIES, DemoOrg
from orchestration.demo.outcome_catalogue import OUTCOMES as CATALOGUE
from orchestration.demo.outcome_catalogue import UNCATALOGUED

START = datetime(2024, 1, 1)
SPAN_DAYS = 700
KIND_WEIGHTS = {
    "member.joined": 10, "member.left": 2, "initiative.launched": 5, "initiative.closed": 1,
    "contribution.logged": 38, "resource.committed": 10, "asset.shared": 6, "coalition": 3,
    "feedback.recorded": 12, "practice.replicated": 2, "event.retracted": 1, "outcome.reported": 12,
}
SOURCE_TYPES = tuple(payload_rule("resource.committed", "source_type")["enum"])
ASSET_TYPES = tuple(payload_rule("asset.shared", "asset_type")["enum"])
ROLES = tuple(payload_rule("member.joined", "role")["enum"])
OUTCOMES = tuple(payload_rule("initiative.closed", "outcome")["enum"])
STAKEHOLDERS = tuple(payload_rule("feedback.recorded", "stakeholder_type")["enum"])
DIMENSIONS = tuple(payload_rule("feedback.recorded", "dimension")["enum"])
EVIDENCE = tuple(payload_rule("outcome.reported", "evidence")["enum"])


@dataclass
class DemoEvent:
    org_id: str
    event_id: str
    event_type: str
    schema_version: int
    occurred_at: datetime  # UTC
    payload: dict[str, Any]
    actor_ref: str | None = None
    late: bool = False

    def envelope(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "event_id": self.event_id, "org_id": self.org_id, "event_type": self.event_type,
            "schema_version": self.schema_version,
            "occurred_at": self.occurred_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        if self.actor_ref:
            record["actor_ref"] = self.actor_ref
        record["payload"] = self.payload
        return record


@dataclass
class _State:
    rng: random.Random
    orgs: list[DemoOrg]
    people: list[str]
    homes: dict[str, list[str]]  # person -> orgs they belong to over time
    members: dict[str, Bag] = field(default_factory=dict)
    initiatives: list[tuple[str, str, str]] = field(default_factory=list)  # (org, id, sector)
    own_initiatives: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    coalitions: dict[str, set[str]] = field(default_factory=dict)
    org_coalitions: dict[str, set[str]] = field(default_factory=dict)
    retractable: dict[str, list[str]] = field(default_factory=dict)
    funded: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # org -> initiatives with resources
    counters: dict[str, int] = field(default_factory=dict)

    def next_id(self, org_id: str, prefix: str) -> str:
        key = f"{org_id}/{prefix}"
        self.counters[key] = self.counters.get(key, 0) + 1
        return f"{prefix}-{self.counters[key]:07d}"


def _people(rng: random.Random, orgs: list[DemoOrg], count: int) -> tuple[list[str], dict[str, list[str]]]:
    people, homes = [], {}
    for index in range(count):
        # half by e-mail (pseudonymised on ingest), half by membership number
        person = f"person{index}@example.org" if index % 2 == 0 else f"m{index:06d}"
        people.append(person)
        spread = 1 if rng.random() < 0.7 else rng.choice((2, 2, 3))  # 30% belong to several orgs
        homes[person] = [o.org_id for o in rng.sample(orgs, min(spread, len(orgs)))]
    return people, homes


def _event(state: _State, org: DemoOrg, at: datetime) -> DemoEvent | None:
    rng = state.rng
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    own = state.own_initiatives.setdefault(org.org_id, [])
    members = state.members.setdefault(org.org_id, Bag())
    if not own and kind != "member.joined":
        kind = "initiative.launched"

    def make(event_type: str, payload: dict[str, Any], version: int = 1) -> DemoEvent:
        return DemoEvent(org.org_id, state.next_id(org.org_id, "ev"), event_type, version, at, payload,
                         actor_ref=rng.choice(state.people) if rng.random() < 0.2 else None)

    if kind == "member.joined":
        candidates = [p for p in rng.sample(state.people, min(20, len(state.people)))
                      if org.org_id in state.homes[p] and p not in members]
        if not candidates:
            return None
        person = candidates[0]
        members.add(person)
        return make(kind, {"person_ref": person, "role": rng.choice(ROLES)})
    if kind == "member.left":
        if not members:
            return None
        person = members.choice(rng)
        members.discard(person)
        return make(kind, {"person_ref": person})
    if kind == "initiative.launched":
        initiative_id = state.next_id(org.org_id, "ini")
        payload: dict[str, Any] = {"initiative_id": initiative_id, "title": f"{org.name} initiative {initiative_id}",
                                   "sector": org.sector if rng.random() < 0.8 else rng.choice(("culture", "digital")),
                                   "locality": org.locality}
        if state.initiatives and rng.random() < 0.3:
            parent = rng.choice(state.initiatives[-50:])
            payload["parent"] = {"org_id": parent[0], "initiative_id": parent[1]}
        state.initiatives.append((org.org_id, initiative_id, payload["sector"]))
        own.append(state.initiatives[-1])
        return make(kind, payload)
    if kind == "initiative.closed":
        target = rng.choice(own)
        return make(kind, {"initiative_id": target[1], "outcome": rng.choice(OUTCOMES)})
    if kind == "practice.replicated":
        source = rng.choice(state.initiatives)
        if source[0] == org.org_id:
            return None
        initiative_id = state.next_id(org.org_id, "rep")
        state.initiatives.append((org.org_id, initiative_id, source[2]))
        own.append(state.initiatives[-1])
        return make(kind, {"source": {"org_id": source[0], "initiative_id": source[1]},
                           "initiative_id": initiative_id, "locality": rng.choice(LOCALITIES)})
    if kind == "contribution.logged":
        target = rng.choice(own) if rng.random() < 0.75 else rng.choice(state.initiatives)
        person = members.choice(rng) if members and rng.random() < 0.7 else rng.choice(state.people)
        if target[0] == org.org_id and org.format == "ndjson" and rng.random() < 0.2:
            return make(kind, {"initiative_id": target[1], "person_ref": person,
                               "hours": round(rng.uniform(0.5, 8), 1)})
        contribution_kind = rng.choices(("time", "money", "in_kind", "space"), weights=(6, 2, 1, 1))[0]
        unit = {"time": "hour", "money": "eur", "in_kind": "eur", "space": "m2_day"}[contribution_kind]
        amount = {"hour": round(rng.uniform(0.5, 8), 1), "eur": round(rng.uniform(5, 500), 2),
                  "m2_day": float(rng.randint(10, 200))}[unit]
        payload = {"initiative": {"org_id": target[0], "initiative_id": target[1]}, "person_ref": person,
                   "kind": contribution_kind, "amount": amount, "unit": unit}
        if target[0] != org.org_id and rng.random() < 0.5:
            payload["contributor_org_id"] = org.org_id
        return make(kind, payload, version=2)
    if kind == "resource.committed":
        funded = rng.choice(own)
        if funded not in state.funded.setdefault(org.org_id, []):
            state.funded[org.org_id].append(funded)
        payload = {"initiative_id": funded[1], "source_type": rng.choice(SOURCE_TYPES),
                   "amount_eur": round(rng.uniform(100, 20000), 2)}
        if payload["source_type"] == "partner_org":
            payload["funder_org_id"] = rng.choice(state.orgs).org_id
        return make(kind, payload)
    if kind == "asset.shared":
        target = rng.choice(state.initiatives)
        payload = {"asset_id": state.next_id(org.org_id, "asset"), "asset_type": rng.choice(ASSET_TYPES),
                   "initiative": {"org_id": target[0], "initiative_id": target[1]}, "days": rng.randint(1, 30)}
        if rng.random() < 0.4:
            payload["value_eur"] = round(rng.uniform(0, 2000), 2)
        return make(kind, payload)
    if kind == "coalition":
        return _coalition_event(state, org, make)
    if kind == "feedback.recorded":
        target = rng.choice(state.initiatives)
        stakeholders = STAKEHOLDERS
        return make(kind, {"initiative": {"org_id": target[0], "initiative_id": target[1]},
                           "stakeholder_type": rng.choice(stakeholders),
                           "dimension": rng.choice(DIMENSIONS),
                           "score": rng.randint(1, 5)})
    if kind == "outcome.reported":  # the initiatives that had resources to work with report outcomes
        funded = state.funded.get(org.org_id)
        return make(kind, _outcome_payload(rng, rng.choice(funded), at)) if funded else None
    retractable = state.retractable.get(org.org_id) or []
    if not retractable:
        return None
    return make("event.retracted", {"event_id": retractable.pop(rng.randrange(len(retractable))),
                                    "reason": "recorded by mistake"})


def _outcome_payload(rng: random.Random, target: tuple[str, str, str], at: datetime) -> dict[str, Any]:
    """A report of one of the catalogue's outcomes (1 in 40 of one it does not
    hold) over the quarter or half-year before the report."""
    code = UNCATALOGUED if rng.random() < 0.025 else rng.choice(sorted(CATALOGUE))
    stakeholder, (fewest, most) = CATALOGUE.get(code, CATALOGUE["care_hours"])[10:]
    end = at.date().replace(day=1) - timedelta(days=1)
    start = (end - timedelta(days=rng.choice((89, 181)))).replace(day=1)
    payload: dict[str, Any] = {"initiative": {"org_id": target[0], "initiative_id": target[1]}, "outcome_code": code,
                               "stakeholder_type": stakeholder, "quantity": rng.randint(fewest, most),
                               "period_start": start.isoformat(), "period_end": end.isoformat()}
    if rng.random() < 0.6:
        payload["evidence"] = rng.choice(EVIDENCE)
    return payload


def _coalition_event(state: _State, org: DemoOrg, make: Any) -> DemoEvent | None:
    rng = state.rng
    mine = sorted(c for c in state.org_coalitions.get(org.org_id, ()) if c in state.coalitions)
    choice = rng.random()
    if not mine or (choice < 0.35 and len(mine) < 3):
        partners = rng.sample([o.org_id for o in state.orgs if o.org_id != org.org_id], k=min(2, len(state.orgs) - 1))
        coalition_id = f"coal-{org.org_id}-{state.next_id(org.org_id, 'c')}"
        state.coalitions[coalition_id] = {org.org_id, *partners}
        for member in state.coalitions[coalition_id]:
            state.org_coalitions.setdefault(member, set()).add(coalition_id)
        return make("coalition.formed", {"coalition_id": coalition_id, "purpose": "joint programme",
                                         "member_org_ids": sorted(state.coalitions[coalition_id])})
    coalition_id = rng.choice(mine)
    members = state.coalitions[coalition_id]
    outside = [o.org_id for o in state.orgs if o.org_id not in members]
    if choice < 0.6 and outside:
        joiner = rng.choice(outside)
        members.add(joiner)
        state.org_coalitions.setdefault(joiner, set()).add(coalition_id)
        return make("coalition.joined", {"coalition_id": coalition_id, "org_id": joiner})
    if choice < 0.8 and len(members) > 2:
        members.discard(org.org_id)
        state.org_coalitions[org.org_id].discard(coalition_id)
        return make("coalition.left", {"coalition_id": coalition_id, "org_id": org.org_id})
    for member in members:
        state.org_coalitions[member].discard(coalition_id)
    del state.coalitions[coalition_id]
    return make("coalition.dissolved", {"coalition_id": coalition_id})


def simulate(orgs: list[DemoOrg], events: int, seed: int, late_share: float = 0.03) -> list[DemoEvent]:
    """About `events` valid events over 2024-2025, in time order."""
    rng = random.Random(seed)
    people, homes = _people(rng, orgs, max(40, events // 25))
    state = _State(rng, orgs, people, homes)
    out: list[DemoEvent] = []
    offsets = sorted(rng.random() * SPAN_DAYS for _ in range(events))
    for offset in offsets:
        # office hours only, so naive local times in CSV feeds are never ambiguous
        day = START + timedelta(days=int(offset))
        at = day + timedelta(hours=8 + (offset % 1) * 10)
        org = orgs[rng.randrange(len(orgs))]
        event = _event(state, org, at.replace(microsecond=0))
        if event is None:
            continue
        event.late = rng.random() < late_share
        if event.event_type in ("contribution.logged", "feedback.recorded") and not event.late:
            state.retractable.setdefault(org.org_id, []).append(event.event_id)
        out.append(event)
    return out
