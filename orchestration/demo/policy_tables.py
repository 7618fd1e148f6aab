"""The institutional tables of the demo consortium (the community manager as
policy maker): a few tables convened by public bodies, which organisations
join, and some leave and join again. Drawn with their own random stream and
appended after the simulated feed, so the rest of the demo stays as it is."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from orchestration.demo.consortium import DemoOrg
from orchestration.demo.defects import Record
from orchestration.demo.simulate import SPAN_DAYS, START, DemoEvent

# table_id -> (convened_by, level, topic)
TABLES = {
    "tavolo-welfare-bologna": ("Comune di Bologna", "municipal", "welfare di comunità"),
    "tavolo-abitare-napoli": ("Città metropolitana di Napoli", "metropolitan", "abitare sociale"),
    "tavolo-energia-regione": ("Regione Emilia-Romagna", "regional", "comunità energetiche"),
    "consulta-terzo-settore": ("Ministero del Lavoro e delle Politiche Sociali", "national",
                               "riforma del terzo settore"),
    "rete-economia-sociale-ue": ("Commissione europea", "european", "piano d'azione per l'economia sociale"),
}


def _at(rng: random.Random, after_days: float) -> datetime:
    """An office-hours instant (naive local times in CSV feeds are never ambiguous)."""
    day = START + timedelta(days=int(rng.uniform(after_days, SPAN_DAYS)))
    return day + timedelta(hours=rng.randint(9, 16), minutes=rng.randint(0, 59))


def _record(org_id: str, serial: int, event_type: str, payload: dict, at: datetime) -> Record:
    event = DemoEvent(org_id, f"tab-{serial:07d}", event_type, 1, at, payload)
    return Record(org_id, at, False, envelope=event.envelope())


def policy_table_records(orgs: list[DemoOrg], seed: int) -> list[Record]:
    """Each organisation joins one or two tables; half of them leave one
    later, and half of those join it again."""
    rng = random.Random(seed + 2)
    records = []
    for org in orgs:
        seats: list[tuple[str, dict, datetime]] = []
        for table_id in rng.sample(sorted(TABLES), k=rng.choice((1, 2))):
            convened_by, level, topic = TABLES[table_id]
            joining = {"table_id": table_id, "convened_by": convened_by, "level": level, "topic": topic}
            joined = _at(rng, 0)
            seats.append(("policy.table_joined", joining, joined))
            if rng.random() < 0.5 and joined < START + timedelta(days=SPAN_DAYS - 60):
                left = joined + timedelta(days=rng.randint(30, 55))
                seats.append(("policy.table_left", {"table_id": table_id}, left))
                if rng.random() < 0.5:
                    seats.append(("policy.table_joined", joining, left + timedelta(days=rng.randint(1, 5))))
        records += [_record(org.org_id, n, *seat) for n, seat in enumerate(seats, 1)]
    return records
