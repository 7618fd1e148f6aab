"""The schemas bound every number to what the marts hold: an amount of 1e13
once failed a DECIMAL(18, 6) cast in the staging suites, and one of 1e-30
was read as 0 and failed the bound check, for every organisation's marts
and for good. Such records are invalid_payload at ingest, with the rule."""

from __future__ import annotations

import pytest

from tests.ingest_helpers import Harness, envelope, lines


def contribution(event_id: str, amount: float) -> dict:
    return envelope(event_id, event_type="contribution.logged", version=2, payload={
        "initiative": {"org_id": "alpha", "initiative_id": "i1"}, "person_ref": "p1", "kind": "money",
        "amount": amount, "unit": "eur"})


@pytest.mark.parametrize(("amount", "message"), [
    (1e13, "payload.amount: must be <= 1000000000"),
    (1e-30, "payload.amount: must be >= 1e-06"),
    (0, "payload.amount: must be >= 1e-06"),
])
def test_an_amount_the_marts_cannot_hold_is_invalid_payload(tmp_path, amount, message):
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", lines(contribution("bad", amount), contribution("max", 1e9),
                                          contribution("min", 0.000001)))
    (outcome,) = harness.ingest()
    assert (outcome.stored, outcome.quarantined) == (2, 1)
    assert harness.quarantine() == [(1, "invalid_payload", message)]


def test_days_of_a_shared_asset_are_at_most_a_century(tmp_path):
    harness = Harness(tmp_path)
    harness.write("alpha/a.ndjson", lines(envelope("a1", event_type="asset.shared", payload={
        "asset_id": "room", "asset_type": "space", "initiative": {"org_id": "alpha", "initiative_id": "i1"},
        "days": 36526})))
    harness.ingest()
    assert harness.quarantine() == [(1, "invalid_payload", "payload.days: must be <= 36525")]
