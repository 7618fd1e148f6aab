"""The GX Data Docs are rendered a run at a time: a rendering adds the pages
of the runs that entered the window and GX drops those of the runs that
left it; a page already rendered is left as it was. Real GX validations,
kept in a real DuckDB file, through a window of two runs."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import great_expectations as gx
import pandas as pd

from expectations.validate import validate_frame
from orchestration.core.check_results import record_validations
from orchestration.core.resources import Warehouse
from orchestration.core.warehouse import connect
from orchestration.quality.data_docs import RENDERED, build_data_docs
from orchestration.quality.offline_docs import SPEC


def _record(warehouse: Path, run_id: str, shares: list[float]) -> None:
    rule = gx.expectations.ExpectColumnValuesToBeBetween(column="share", min_value=0, max_value=1)
    outcome = validate_frame("shares_suite", "marts.shares", pd.DataFrame({"id": range(len(shares)), "share": shares}),
                             [rule], ["id"])
    with contextlib.closing(connect(warehouse)) as con:
        record_validations(con, run_id, "marts", ["marts", "shares"], [(f"marts.shares {run_id}", outcome)])
    time.sleep(0.01)  # the runs are told apart by when they were validated


def _pages(site: Path) -> dict[str, int]:
    """Each validation page (named after its run) and its inode: a page written again is a new file."""
    return {page.parent.parent.name: page.stat().st_ino for page in (site / "validations").rglob("*.html")}


def test_each_rendering_adds_the_new_runs_pages_and_drops_those_that_left_the_window(warehouse):
    _record(warehouse, "run-1", [0.1, 0.2])
    _record(warehouse, "run-2", [0.3, 1.5])  # fails: 1.5 is not a share
    _record(warehouse, "run-3", [0.4])
    index = build_data_docs(Warehouse(), runs=2)
    site = index.parent
    first = _pages(site)
    assert set(first) == {"run-2", "run-3"}
    assert (site / RENDERED).read_text() == '["run-2", "run-3"]'

    _record(warehouse, "run-4", [0.5])
    build_data_docs(Warehouse(), runs=2)
    second = _pages(site)
    assert set(second) == {"run-3", "run-4"}
    assert second["run-3"] == first["run-3"]  # left as it was
    listed = index.read_text()
    assert "run-4" in listed and "run-3" in listed and "run-2" not in listed
    # the new page reads offline too: its assets point into the site
    new_page = next(p for p in (site / "validations").rglob("*.html") if p.parent.parent.name == "run-4")
    assert not [url for url in SPEC["urls"] if url in new_page.read_text()]

    # a rendering that never finished (no record of its runs) is redone whole, to the same pages
    (site / RENDERED).unlink()
    build_data_docs(Warehouse(), runs=2)
    third = _pages(site)
    assert set(third) == {"run-3", "run-4"} and third["run-3"] != second["run-3"]
