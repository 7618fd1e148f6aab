"""A sheet or snapshot mapping the schemas cannot take is refused when the
registry is read, naming the file and line, before any work; several feeds
of one organisation are told apart by their feed ids."""

from __future__ import annotations

import pytest
import yaml

from orchestration.core.registry import RegistryError, load_registry
from orchestration.demo.spreadsheet_org import REGISTRY_FEEDS

FEED = """feeds:
- feed_id: sole-activity
  org_id: sole
  name: Sole
  sector: social_care
  locality: Trento
  format: xlsx
  landing: sole/*.xlsx
  timezone: Europe/Rome
  sheets:
  - sheet: Ore
    event_type: contribution.logged
    schema_version: 2
    event_id: {from: [Data, Volontario]}
    occurred_at: {column: Data}
    payload:
      initiative: {org_id: {value: sole}, initiative_id: {column: Progetto}}
      person_ref: {column: Volontario}
      kind: {value: time}
      amount: {column: Ore, type: decimal, decimal: ","}
      unit: {value: hour}
"""


def _load(tmp_path, text: str):
    path = tmp_path / "registry.yml"
    path.write_text(text)
    return load_registry(path)


def test_the_spec_example_and_the_demo_feeds_are_accepted(tmp_path):
    registry = _load(tmp_path, FEED)
    (feed,) = registry.feeds
    assert (feed.feed_id, feed.kind, feed.sheets[0].columns) == (
        "sole-activity", "tabular", ["Data", "Progetto", "Volontario", "Ore"])
    demo = _load(tmp_path, yaml.safe_dump({"feeds": REGISTRY_FEEDS}))
    assert [(f.feed_id, f.kind) for f in demo.feeds] == [
        ("sole-activity", "tabular"), ("sole-members", "snapshot"), ("sole-initiatives", "snapshot")]
    assert demo.org_ids == ["coop-sole"]


@pytest.mark.parametrize(("change", "message"), [
    (("amount: {column: Ore, type: decimal", "amounts: {column: Ore, type: decimal"),
     r"registry.yml: line 20: feeds\[0\].sheets\[0\].payload.amounts: contribution.logged has no payload field "
     r"'amounts'"),
    (("amount: {column: Ore, type: decimal", "amount: {column: Ore, type: boolean"),
     r"line 20: .*payload.amount: a boolean cannot be contribution.logged.amount, which is a number"),
    (("      unit: {value: hour}\n", ""), r"line 17: .*contribution.logged needs payload field\(s\) unit, not mapped"),
    (("kind: {value: time}", "kind: {value: hours}"), r"line 19: .*payload.kind: 'hours' is not one of time"),
    (("schema_version: 2", "schema_version: 7"), r"line 13: .*contribution.logged v7 is not a registered event"),
    (("    occurred_at: {column: Data}", "    occurred_at: {column: Data}\n    ocurred: 1"),
     r"sheets\[0\]: unknown key\(s\) ocurred; .*\(.*registry.yml: line 16\)"),
    (("amount: {column: Ore, type: decimal", "amount: {column: Ore, type: money"),
     r"line 20: .*payload.amount: type must be one of text, integer, decimal, date, boolean"),
    (("format: xlsx", "format: ndjson"), r"an ndjson feed is an event log"),
    (("timezone: Europe/Rome", "timezone: Europe/Trento"), r"unknown timezone 'Europe/Trento'"),
])
def test_a_mapping_the_schemas_cannot_take_is_refused_with_file_and_line(tmp_path, change, message):
    old, new = change
    assert old in FEED
    with pytest.raises(RegistryError, match=message):
        _load(tmp_path, FEED.replace(old, new))


def test_feeds_of_one_organisation_need_ids_and_must_agree(tmp_path):
    second = FEED.split("\n", 1)[1].replace("feed_id: sole-activity", "feed_id: sole-activity")
    with pytest.raises(RegistryError, match=r"feed id\(s\) registered twice: sole-activity"):
        _load(tmp_path, FEED + second)
    other = second.replace("feed_id: sole-activity", "feed_id: sole-more").replace("locality: Trento",
                                                                                   "locality: Rovereto")
    with pytest.raises(RegistryError, match=r"feeds sole-activity and sole-more of sole disagree on its locality"):
        _load(tmp_path, FEED + other)
    registry = _load(tmp_path, FEED + second.replace("feed_id: sole-activity", "feed_id: sole-more"))
    assert (registry.feed_ids, registry.org_ids) == (["sole-activity", "sole-more"], ["sole"])


def test_a_snapshot_register_is_read_strictly(tmp_path):
    snapshot = {"register": "soci", "sheet": "Soci", "key": ["Email"], "snapshot_at": {"file_name": "(.*)"},
                "columns": {"person": "Email", "role": "Qualifica", "joined_on": "Ammissione"}}
    feed = {"feed_id": "m", "org_id": "sole", "name": "S", "sector": "s", "locality": "l", "format": "ods",
            "landing": "s/*.ods", "snapshot": snapshot}
    with pytest.raises(RegistryError, match="register must be one of members, initiatives, got 'soci'"):
        _load(tmp_path, yaml.safe_dump({"feeds": [feed]}))
    snapshot["register"] = "members"
    snapshot["labels"] = {"role": {"socio": "boss"}}
    with pytest.raises(RegistryError, match="labels.role: boss not one of member, worker, volunteer, beneficiary"):
        _load(tmp_path, yaml.safe_dump({"feeds": [feed]}))
    del snapshot["labels"]
    snapshot["columns"] = {"person": "Email", "joined_on": "Ammissione"}
    with pytest.raises(RegistryError, match="missing role"):
        _load(tmp_path, yaml.safe_dump({"feeds": [feed]}))
