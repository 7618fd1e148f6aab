"""Partner extracts on the hand-checked consortium: each partner gets what
docs/metrics.md gives it and nothing of another organisation, people counts below
k are suppressed, files are reproducible byte for byte, and a partner can
verify the folder alone."""

from __future__ import annotations

import dataclasses
import json
import shutil

import duckdb
import pyarrow.parquet as pq
import pytest

from orchestration.cli import main as cli
from orchestration.extracts import plan
from orchestration.extracts.manifest import verify_extract
from orchestration.extracts.plan import MartExtract, PartnerError, load_partners, partner
from orchestration.extracts.publish import ExtractRejected, publish_extract, publish_extracts, validate_file

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hand_checked")]
CONSORTIUM = {"mart_consortium_monthly", "mart_coalitions", "mart_org_spillovers", "mart_consortium_health",
              "mart_social_report"}
ORGANISATION = {"mart_shared_value", "mart_resource_mix", "mart_spillovers", "mart_boundary_spanners",
                "mart_community_functions", "mart_initiative_health"}
# the impact account: an organisation's own rows, every organisation's for a partner from outside
ACCOUNT = {"dim_outcomes", "mart_impact", "mart_impact_org_year", "mart_impact_sensitivity", "mart_impact_outcomes"}


def tables(folder):
    manifest = json.loads((folder / "manifest.json").read_text())
    return {entry["path"].split("/")[0]: pq.read_table(folder / entry["path"]) for entry in manifest["files"]
            if entry["path"].endswith(".parquet")}


def test_an_organisation_gets_consortium_marts_and_only_its_own_rows(marts):
    folder = marts.parent / "extracts" / "alfa"
    got = tables(folder)
    assert set(got) == CONSORTIUM | ORGANISATION | ACCOUNT
    for mart in ORGANISATION:
        assert set(got[mart].column("org_id").to_pylist()) == {"alfa"}, mart
    # the hand-checked consortium: alfa has 4 shared-value rows, 2 resource quarters,
    # 5 initiatives and 3 boundary-spanner quarters; the five functions in each quarter holding an event
    # (2025 Q1 and Q2, beta's B11 in April), and a1 the only initiative with contributions, all in Q1
    assert {m: got[m].num_rows for m in ORGANISATION} == {
        "mart_shared_value": 4, "mart_resource_mix": 2, "mart_spillovers": 5, "mart_boundary_spanners": 3,
        "mart_community_functions": 2, "mart_initiative_health": 1}
    for table in got.values():
        assert "person_ref" not in table.column_names


def test_counts_of_people_below_k_are_suppressed(marts):
    alfa = tables(marts.parent / "extracts" / "alfa")  # k = 2
    shared = alfa["mart_shared_value"].select(["month", "contributors", "suppressed"]).to_pylist()
    # contributors 2, 2, 1, 0 by hand: the last two fall below k = 2
    assert [(str(r["month"]), r["contributors"], r["suppressed"]) for r in shared] == [
        ("2025-01-01", 2, False), ("2025-02-01", 2, False), ("2025-03-01", None, True), ("2025-04-01", None, True)]
    spanners = alfa["mart_boundary_spanners"].to_pylist()
    # Q1: 3 active, 1 spanner (suppressed, and with it the share); Q2, Q3: 1 and 1
    assert [(r["people_active"], r["boundary_spanners"], r["boundary_spanner_share"], r["suppressed"])
            for r in spanners] == [(3, None, None, True), (None, None, None, True), (None, None, None, True)]
    funder = tables(marts.parent / "extracts" / "funder")  # k = 5: active members 2, 3, 2, 2, 2
    assert set(funder) == CONSORTIUM | ACCOUNT
    monthly = funder["mart_consortium_monthly"].to_pylist()
    assert [(r["active_members"], r["suppressed"]) for r in monthly] == [(None, True)] * 5


def test_extracts_are_reproducible_byte_for_byte(marts, tmp_path):
    con = duckdb.connect(str(marts))
    try:
        # the suite ran when the fixture published; bytes are what is compared here
        first = publish_extract(con, partner("alfa"), tmp_path / "one", validate=False)
        second = publish_extract(con, partner("alfa"), tmp_path / "two", validate=False)
    finally:
        con.close()

    def files(folder):
        return {f["path"]: f["sha256"] for f in json.loads((folder / "manifest.json").read_text())["files"]}

    assert files(first) == files(second) == files(marts.parent / "extracts" / "alfa")
    manifest = json.loads((first / "manifest.json").read_text())
    assert manifest["as_of"] == "2025-07-01T00:00:00.000000Z"
    assert {"pipeline_version", "generated_at", "small_cell_threshold_k"} <= set(manifest)


def test_an_extract_whose_rows_did_not_change_is_not_republished(marts, tmp_path):
    root = tmp_path / "extracts"
    con = duckdb.connect(str(marts))
    try:
        publish_extracts(con, [partner("alfa"), partner("funder")], root, validate=False)
        release = (root / "current").resolve()
        before = {name: (root / name / "manifest.json").read_bytes() for name in ("alfa", "funder")}
        unchanged: set[str] = set()
        publish_extracts(con, [partner("alfa"), partner("funder")], root, validate=False, unchanged=unchanged)
        assert unchanged == {"alfa", "funder"}
        # nothing published: the same release, the same manifests (generated_at included), no release left over
        assert (root / "current").resolve() == release
        assert {name: (root / name / "manifest.json").read_bytes() for name in before} == before
        assert list((root / ".releases").iterdir()) == [release]

        # funder's threshold changes: funder is republished, alfa is carried over as it was
        unchanged.clear()
        funder = partner("funder")
        publish_extracts(con, [partner("alfa"), dataclasses.replace(funder, k=funder.k + 1)], root,
                         validate=False, unchanged=unchanged)
    finally:
        con.close()
    assert unchanged == {"alfa"}
    assert (root / "current").resolve() != release
    assert (root / "alfa" / "manifest.json").read_bytes() == before["alfa"]
    assert json.loads((root / "funder" / "manifest.json").read_text())["small_cell_threshold_k"] == funder.k + 1
    assert verify_extract(root / "alfa").ok and verify_extract(root / "funder").ok


def test_publication_under_a_linked_folder_keeps_the_release_in_force(marts, tmp_path):
    # the extracts folder reached through a symbolic link: the release in force is one the link names
    (tmp_path / "real").mkdir()
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    root = tmp_path / "linked" / "extracts"
    con = duckdb.connect(str(marts))
    try:
        publish_extracts(con, [partner("alfa")], root, validate=False)
        publish_extracts(con, [partner("funder")], root, validate=False)
    finally:
        con.close()
    assert verify_extract(root / "alfa").ok and verify_extract(root / "funder").ok
    assert len(list((root / ".releases").iterdir())) == 1


def test_verification_catches_tampering(marts, tmp_path, capsys):
    folder = tmp_path / "alfa"
    shutil.copytree(marts.parent / "extracts" / "alfa", folder)
    shutil.copy(marts.parent / "extracts" / "signing_key.pub.pem", tmp_path)
    assert verify_extract(folder).ok
    assert cli(["verify-extract", str(folder)]) == 0
    # it says what was checked, with which key, and that a demo key is for demo data only
    assert capsys.readouterr().out.strip().endswith(
        f"its Ed25519 signature checked with {tmp_path / 'signing_key.pub.pem'}, "
        "made with the published demo key (demo data only)")

    target = folder / "mart_resource_mix" / "mart_resource_mix.parquet"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    (folder / "stray.parquet").write_bytes(b"x")
    (folder / "notes.txt").write_text("added by someone")
    assert cli(["verify-extract", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "mart_resource_mix/mart_resource_mix.parquet: sha256" in err
    assert "stray.parquet: present but not in the manifest" in err
    assert "notes.txt: present but not in the manifest" in err


def test_an_edited_manifest_is_caught_by_its_signature(marts, tmp_path, capsys):
    folder = tmp_path / "funder"
    shutil.copytree(marts.parent / "extracts" / "funder", folder)
    manifest = folder / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"small_cell_threshold_k": 5', '"small_cell_threshold_k": 1'))
    key = marts.parent / "extracts" / "signing_key.pub.pem"
    assert cli(["verify-extract", str(folder), "--public-key", str(key)]) == 1
    assert "manifest.json: its signature does not match" in capsys.readouterr().err
    assert "no public key" in verify_extract(folder).problems[0]  # none beside the copy, none given


@pytest.mark.parametrize("name, message", [
    ("../alfa", "invalid partner name"), ("alfa/../../etc", "invalid partner name"),
    ("Alfa", "invalid partner name"), ("nobody", "unknown partner 'nobody'; declared partners: alfa, funder"),
])
def test_partner_names_are_validated(marts, name, message, capsys):
    with pytest.raises(PartnerError, match=message.replace("(", r"\(")):
        partner(name)
    assert cli(["extract", "--partner", name]) == 1
    assert message in capsys.readouterr().err


def test_a_failed_publication_leaves_every_previous_extract_in_place(marts, tmp_path, monkeypatch):
    root = tmp_path / "extracts"
    con = duckdb.connect(str(marts))
    try:
        published = publish_extracts(con, [partner("alfa"), partner("funder")], root)
        before = {name: (folder / "manifest.json").read_text() for name, folder in published.items()}
        # a release interrupted before: files no link points at
        (root / ".releases" / "killed" / "alfa").mkdir(parents=True)
        monkeypatch.setattr(plan, "PLAN", plan.PLAN + (MartExtract("mart_missing", "consortium"),))
        # alfa is written whole before funder fails: neither is published
        with pytest.raises(RuntimeError, match="marts.mart_missing does not exist"):
            publish_extracts(con, [partner("alfa"), load_partners()["funder"]], root)
        assert {name: (folder / "manifest.json").read_text() for name, folder in published.items()} == before
        assert len(list((root / ".releases").iterdir())) == 2  # the one in force, and the killed one
        monkeypatch.undo()
        # the next publication (of alfa alone) carries funder over and removes what was left behind
        publish_extract(con, partner("alfa"), root)
    finally:
        con.close()
    assert (root / "funder" / "manifest.json").read_text() == before["funder"]
    assert verify_extract(root / "alfa").ok and verify_extract(root / "funder").ok
    assert sorted(p.name for p in root.iterdir()) == [".releases", "alfa", "current", "funder", "signing_key.pub.pem"]
    assert len(list((root / ".releases").iterdir())) == 1


def test_the_extract_suite_refuses_a_leaking_file(marts, tmp_path):
    con = duckdb.connect(str(marts), read_only=True)
    everyone = con.execute("SELECT * FROM marts.mart_boundary_spanners ORDER BY ALL").to_arrow_table()
    con.close()
    path = tmp_path / "leak.parquet"
    pq.write_table(everyone, path)  # every organisation's rows, nothing suppressed
    item = next(i for i in plan.PLAN if i.mart == "mart_boundary_spanners")
    with pytest.raises(ExtractRejected) as rejected:
        validate_file(path, item, partner("alfa"), mart_rows=3)
    message = str(rejected.value)
    # 9 rows where alfa may see 3; 6 rows of beta and gamma; below k = 2: people_active is 1 in
    # every row but alfa's first quarter (3), boundary_spanners is 0 or 1 in all 9
    assert "expect_table_row_count_to_equal failed" in message
    assert "extract alfa/mart_boundary_spanners.org_id: expect_column_values_to_be_in_set failed for 6 row(s)" \
        in message
    assert "mart_boundary_spanners.people_active: expect_column_values_to_be_between failed for 8 row(s)" in message
    assert "mart_boundary_spanners.boundary_spanners: expect_column_values_to_be_between failed for 9 row(s)" \
        in message
