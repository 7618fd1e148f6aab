"""mart_consortium_monthly on a tiny consortium written here, values worked
out by hand."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.runner import run_pipeline

pytestmark = pytest.mark.slow

REGISTRY = """
feeds:
  - org_id: alpha
    name: Alpha
    sector: agriculture
    locality: Bologna
    format: ndjson
    landing: "alpha/*.ndjson"
    demo: true
  - org_id: beta
    name: Beta
    sector: housing
    locality: Napoli
    format: csv
    landing: "beta/*.csv"
    demo: true
    csv:
      delimiter: ";"
      timezone: Europe/Rome
      columns: {event_id: id, event_type: tipo, schema_version: v, occurred_at: quando, payload: dati}
      event_type_labels: {avvio_iniziativa: initiative.launched, adesione: member.joined}
partners:
  - name: funder
"""

ALPHA = "\n".join([
    '{"event_id":"a1","org_id":"alpha","event_type":"initiative.launched","schema_version":1,'
    '"occurred_at":"2025-01-10T09:00:00Z","payload":{"initiative_id":"i1","title":"Orto","sector":"agri",'
    '"locality":"Bologna"}}',
    '{"event_id":"a2","org_id":"alpha","event_type":"member.joined","schema_version":1,'
    '"occurred_at":"2025-03-02T09:00:00+01:00","payload":{"person_ref":"p1","role":"member"}}',
    '{"event_id":"a3","org_id":"alpha","event_type":"initiative.launched","schema_version":1,'
    '"occurred_at":"2025-03-05T09:00:00Z","payload":{"initiative_id":"i2","title":"Forno","sector":"food",'
    '"locality":"Bologna"}}',
    '{"event_id":"a4","org_id":"alpha","event_type":"event.retracted","schema_version":1,'
    '"occurred_at":"2025-04-01T09:00:00Z","payload":{"event_id":"a3","reason":"duplicate launch"}}',
]) + "\n"

# Naive Rome time 2025-02-01 00:30 is 2025-01-31 23:30 UTC: a January event.
BETA = (
    "id;tipo;v;quando;dati\n"
    'b1;adesione;1;2025-02-01 00:30:00;"{""person_ref"": ""p9"", ""role"": ""worker""}"\n'
    'b2;avvio_iniziativa;1;2025-03-20 10:00:00;"{""initiative_id"": ""j1"", ""title"": ""Casa"", '
    '""sector"": ""housing"", ""locality"": ""Napoli"", ""parent"": {""org_id"": ""alpha"", ""initiative_id"": ""i1""}}"\n'
)


def test_consortium_monthly_by_hand(warehouse, registry):
    registry(REGISTRY, {"alpha/log.ndjson": ALPHA, "beta/export.csv": BETA})
    result = run_pipeline()
    assert result.success, result.checks_failed + result.failed_steps
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute("SELECT month::VARCHAR, orgs_active, initiatives_launched "
                       "FROM marts.mart_consortium_monthly ORDER BY month").fetchall()
    con.close()
    # January: a1 (alpha) and b1 (beta, 23:30 UTC on 31 Jan); February: nothing
    # (still in the spine); March: a2 (alpha) and b2 (beta) - a3 is retracted, and
    # the retraction a4 (April) counts nowhere, so April is not a month at all.
    assert rows == [
        ("2025-01-01", 2, 1),
        ("2025-02-01", 0, 0),
        ("2025-03-01", 2, 1),
    ]
