"""The build bookkeeping's schema, migrated by numbered steps
(orchestration/transform/migrations.py) on real DuckDB files: a new
warehouse and one of each earlier layout end in the same tables with every
row kept, each step runs once, and a step that fails leaves nothing of
itself and is not entered."""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.transform import migrations
from orchestration.transform.migrations import applied_versions, migrate, migration_steps

COLUMNS = ["run_id", "started_at", "finished_at", "whole", "max_event_seq", "events", "inputs_digest", "is_current",
           "covers_store", "built_from", "catalogue_digest"]
OLDEST = """
    CREATE SCHEMA quality;
    CREATE TABLE quality.model_builds (run_id VARCHAR NOT NULL, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP,
        whole BOOLEAN NOT NULL, max_event_seq BIGINT, events BIGINT, inputs_digest VARCHAR,
        is_current BOOLEAN NOT NULL);
    INSERT INTO quality.model_builds VALUES
        ('r1', TIMESTAMP '2026-01-01 10:00:00', TIMESTAMP '2026-01-01 10:05:00', TRUE, 40, 40, 'd1', TRUE),
        ('r2', TIMESTAMP '2026-01-02 10:00:00', NULL, FALSE, NULL, NULL, NULL, FALSE);
"""
LATEST_BEFORE = OLDEST + """
    ALTER TABLE quality.model_builds ADD COLUMN covers_store BOOLEAN;
    ALTER TABLE quality.model_builds ADD COLUMN built_from BIGINT;
    ALTER TABLE quality.model_builds ADD COLUMN catalogue_digest VARCHAR;
    UPDATE quality.model_builds SET covers_store = TRUE, built_from = 12, catalogue_digest = 'c1' WHERE run_id = 'r1';
    CREATE TABLE quality.key_tests (checked_through BIGINT NOT NULL);
    INSERT INTO quality.key_tests VALUES (40);
    CREATE TABLE quality.incremental_models (built_through BIGINT NOT NULL);
    INSERT INTO quality.incremental_models VALUES (0);
"""


def tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {f"{s}.{t}" for s, t in con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables").fetchall()}


@pytest.fixture
def con(tmp_path: Path):
    with contextlib.closing(duckdb.connect(str(tmp_path / "wh.duckdb"))) as connection:
        yield connection


def test_a_new_warehouse_gets_every_step_once(con):
    assert migrate(con) == [name for _, name in migration_steps()]
    assert [c[0] for c in con.execute("DESCRIBE builds.model_builds").fetchall()] == COLUMNS
    assert tables(con) == {"builds.model_builds", "builds.migrations"}  # nothing left in quality
    assert migrate(con) == [] and applied_versions(con) == {1, 2}


@pytest.mark.parametrize("layout", [OLDEST, LATEST_BEFORE], ids=["oldest", "latest before"])
def test_the_rows_of_an_earlier_layout_move_to_the_builds_schema(con, layout):
    con.execute(layout)
    migrate(con)
    assert tables(con) == {"builds.model_builds", "builds.migrations"}
    rows = con.execute("SELECT * FROM builds.model_builds ORDER BY started_at").fetchall()
    first = ("r1", datetime(2026, 1, 1, 10), datetime(2026, 1, 1, 10, 5), True, 40, 40, "d1", True)
    moved = (True, 12, "c1") if layout is LATEST_BEFORE else (None, None, None)
    assert rows == [first + moved, ("r2", datetime(2026, 1, 2, 10), None, False, None, None, None, False,
                                    None, None, None)]


def test_a_failing_step_leaves_nothing_of_itself_and_is_tried_again(con, tmp_path, monkeypatch):
    steps = tmp_path / "migrations"
    steps.mkdir()
    (steps / "0001_first.sql").write_text("CREATE SCHEMA IF NOT EXISTS builds;\nCREATE TABLE builds.a (x INTEGER);\n")
    (steps / "0002_broken.sql").write_text("CREATE TABLE builds.b (x INTEGER);\nSELECT * FROM builds.nowhere;\n")
    monkeypatch.setattr(migrations, "MIGRATIONS", steps)
    with pytest.raises(duckdb.Error, match="nowhere"):
        migrate(con)
    assert applied_versions(con) == {1} and "builds.b" not in tables(con)  # rolled back, not entered
    mended = tmp_path / "mended"  # the step put right (a folder of its own: a process reads a step file once)
    mended.mkdir()
    (mended / "0001_first.sql").write_text((steps / "0001_first.sql").read_text())
    (mended / "0002_broken.sql").write_text("CREATE TABLE builds.b (x INTEGER);\n")
    monkeypatch.setattr(migrations, "MIGRATIONS", mended)
    assert migrate(con) == ["0002_broken.sql"] and "builds.b" in tables(con)


def test_steps_are_numbered_without_a_gap(tmp_path, monkeypatch):
    (tmp_path / "0001_a.sql").write_text("SELECT 1;\n")
    (tmp_path / "0003_c.sql").write_text("SELECT 1;\n")
    monkeypatch.setattr(migrations, "MIGRATIONS", tmp_path)
    with pytest.raises(ValueError, match="without a gap"):
        migration_steps()
