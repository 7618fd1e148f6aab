"""Any record the schemas accept builds every mart, check, extract and
report: records generated from the JSON Schemas themselves
(hypothesis-jsonschema), at their boundaries (the largest and smallest
amounts, the longest identifiers and texts, offsets of +-23:59, years from
1900), run through the whole pipeline. A record the schemas accept but the
marts cannot represent (a day that is not in the calendar, a time after
ingestion) is quarantined at ingest with its reason, never stored."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta

import duckdb
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator

from orchestration.core.schemas import envelope_schema, load_event_schemas
from orchestration.extracts.manifest import verify_extract
from orchestration.pipeline_run import run_pipeline

pytestmark = pytest.mark.property

ORGS = ["org-a", "org-b"]
SCHEMAS = load_event_schemas()
# the facts join when their references come from a few ids; the schema's own values stay possible
POOLS = {"org_id": ORGS + ["outsider"], "initiative_id": ["i1", "i2", "i3"], "coalition_id": ["c1", "c2"],
         "person_ref": ["p1", "Alice@Example.it", " bob@example.org ", "p2"], "contributor_org_id": ORGS,
         "funder_org_id": ORGS, "event_id": [f"{n:04d}" for n in range(1, 40)],
         "outcome_code": ["at-the-bounds", "ordinary"]}
# a catalogue at the registry's bounds: the largest proxy, the longest duration, deflators near 1, no discounting
IMPACT = {"discount_rate": 0.0, "outcomes": [
    {"code": "at-the-bounds", "label": "bounds", "unit": "unit", "proxy_eur": 1_000_000_000, "proxy_source": "test",
     "price_year": 2999, "deadweight": 0.0, "displacement": 0.0, "attribution": 0.0, "drop_off": 0.0,
     "duration_years": 30},
    {"code": "ordinary", "label": "ordinary", "unit": "person", "proxy_eur": 0.000001, "proxy_source": "test",
     "price_year": 1900, "deadweight": 0.999, "displacement": 0.5, "attribution": 0.25, "drop_off": 0.999,
     "duration_years": 1}]}
REASONS_OF_VALID_RECORDS = {"bad_timestamp", "retraction_invalid"}


# a date rule (format and pattern together) is drawn from its edges and the calendar's traps: generating
# strings for the pattern and filtering them by the format would discard nearly all of them
DATES = ["1900-01-01", "2999-12-31", "2024-02-29", "2025-01-01", "2025-06-30", "2025-06-29"]


def pooled(schema: dict, name: str | None = None) -> dict:
    """The schema with each known reference either one of a few ids or any value its rule allows."""
    if schema.get("format") == "date":
        return {"enum": DATES}
    if name in POOLS and schema.get("type") == "string":
        return {"anyOf": [{"enum": POOLS[name]}, schema]} if name != "event_id" else {"enum": POOLS[name]}
    out = copy.deepcopy(schema)
    for key, child in schema.get("properties", {}).items():
        out["properties"][key] = pooled(child, key)
    if "items" in schema:
        out["items"] = {"anyOf": [{"enum": ORGS}, schema["items"]]}
    return out


PAYLOADS = st.one_of([st.tuples(st.just(key), from_schema(pooled(s.schema))) for key, s in sorted(SCHEMAS.items())])
NOW = datetime.now(UTC)


@st.composite
def occurred_at(draw) -> str:
    """RFC 3339 with an offset within +-23:59, T and Z in either case, from 1900 to tomorrow."""
    instant = draw(st.datetimes(min_value=datetime(1900, 1, 2), max_value=NOW.replace(tzinfo=None)))
    minutes = draw(st.integers(-(23 * 60 + 59), 23 * 60 + 59))
    local = instant + timedelta(minutes=minutes)
    if local.year < 1900:
        local = datetime(1900, 1, 1, 23, 59)
    fraction = draw(st.sampled_from(["", f".{local.microsecond:06d}", ".5", ".123456789"]))
    sign = "+" if minutes >= 0 else "-"
    zone = "Z" if minutes == 0 and draw(st.booleans()) else f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    text = local.strftime("%Y-%m-%dT%H:%M:%S") + fraction + zone
    return text.lower() if draw(st.booleans()) else text


@st.composite
def records(draw, org_id: str) -> list[dict]:
    out = []
    for n, ((event_type, version), payload) in enumerate(draw(st.lists(PAYLOADS, min_size=30, max_size=60)), 1):
        record = {"event_id": f"{n:04d}", "org_id": org_id, "event_type": event_type, "schema_version": version,
                  "occurred_at": draw(st.one_of(occurred_at(), from_schema(envelope_schema()["properties"]
                                                                            ["occurred_at"]))),
                  "payload": payload}
        if draw(st.booleans()):
            record["actor_ref"] = draw(st.sampled_from(POOLS["person_ref"]))
        out.append(record)
    return out


def accepted_by_the_schemas(record: dict) -> bool:
    schema = {"allOf": [envelope_schema(), {"properties": {"payload": SCHEMAS[
        (record["event_type"], record["schema_version"])].schema}}]}
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).is_valid(record)


def in_the_calendar(text: str) -> bool:
    """Whether the time exists and is not after ingestion plus a day: what SQL checks beyond the schema."""
    con = duckdb.connect()
    value = con.execute("SELECT try_cast(upper(?) AS TIMESTAMPTZ)", [text]).fetchall()[0][0]
    return value is not None and value <= NOW + timedelta(days=1)


@settings(max_examples=3, deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(feeds=st.tuples(records("org-a"), records("org-b")))
def test_every_record_the_schemas_accept_builds_the_whole_pipeline(tmp_path_factory, monkeypatch, feeds):
    root = tmp_path_factory.mktemp("property")
    registry = {"feeds": [], "partners": [{"name": "funder", "k": 5}, {"name": "org-a", "org_id": "org-a", "k": 5}],
                "impact": IMPACT}
    for org_id, batch in zip(ORGS, feeds, strict=True):
        assert all(accepted_by_the_schemas(r) for r in batch)
        folder = root / org_id
        folder.mkdir()
        (folder / "events.ndjson").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch),
                                              encoding="utf-8")
        registry["feeds"].append({"org_id": org_id, "name": org_id, "sector": "social_care", "locality": "Trento",
                                  "format": "ndjson", "landing": str(folder / "*.ndjson"), "demo": True})
    (root / "registry.yml").write_text(yaml.safe_dump(registry))
    warehouse = root / "wh" / "coopmetrics.duckdb"
    monkeypatch.setenv("COOPMETRICS_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("COOPMETRICS_REGISTRY", str(root / "registry.yml"))
    monkeypatch.setenv("DAGSTER_HOME", str(root / "dagster_home"))

    result = run_pipeline()

    assert result.success and not result.failed_steps, result.checks_failed + result.failed_steps
    assert all("(WARN)" in check for check in result.checks_failed), result.checks_failed
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        reasons = dict(con.execute("SELECT reason, count(*) FROM raw.quarantine GROUP BY reason").fetchall())
        assert set(reasons) <= REASONS_OF_VALID_RECORDS, con.execute(
            "SELECT reason, message FROM raw.quarantine WHERE reason NOT IN ('bad_timestamp', 'retraction_invalid') "
            "LIMIT 5").fetchall()
        stored = con.execute("SELECT count(*) FROM raw.events").fetchall()[0][0]
        timely = sum(in_the_calendar(r["occurred_at"]) for batch in feeds for r in batch)
        assert stored == timely - reasons.get("retraction_invalid", 0)
        assert con.execute("SELECT count(*) FROM raw.quarantine WHERE reason = 'bad_timestamp'").fetchall() == [
            (sum(len(b) for b in feeds) - timely,)]
        marts = [name for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts'").fetchall()]
        assert len(marts) >= 12
        for mart in marts:  # every mart reads whole, every value of it
            con.execute(f'SELECT * FROM marts."{mart}"').fetchall()
    finally:
        con.close()
    for partner in ("funder", "org-a"):
        assert verify_extract(warehouse.parent / "extracts" / partner).ok
    assert (warehouse.parent / "extracts" / "funder" / "report.html").stat().st_size > 10_000
