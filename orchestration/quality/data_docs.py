"""GX Data Docs (static HTML) rendered from quality.validation_results.

The suites validate in ephemeral GX contexts (fast, nothing on disk while a
run holds the warehouse); every result is kept in the warehouse, and this
module renders the most recent runs into `<warehouse dir>/quality/data_docs`
after a run, so the HTML is always a projection of the warehouse."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from orchestration.core.resources import Warehouse
from orchestration.core.settings import quality_dir
from orchestration.core.warehouse import run_sql, sql_text
from orchestration.quality.offline_docs import make_offline

SQL = Path(__file__).parent / "sql"
RECENT_RUNS = 10  # runs shown; older results stay queryable in quality.validation_results
SITE = "coopmetrics_quality"
RENDERED = "rendered_runs.json"  # the runs whose pages a finished rendering left in the site
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _safe(label: str) -> str:
    """A batch label (a file path, a table) as one path segment of the site."""
    return _UNSAFE.sub("_", label).strip("_")[-120:] or "batch"


def build_data_docs(warehouse: Warehouse, runs: int = RECENT_RUNS) -> Path | None:
    """Render the validations of the last `runs` runs; returns index.html,
    or None when nothing was validated yet."""
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    con = warehouse.connect(read_only=True)
    try:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'quality'").fetchall()}
        if "validation_results" not in tables:
            return None
        rows = run_sql(con, sql_text("recent_validations.sql", SQL), {"runs": runs})
    finally:
        con.close()
    if not rows:
        return None
    site = quality_dir(warehouse.file) / "data_docs"
    rendered = _rendered_runs(site)
    context = gx.get_context(mode="ephemeral")
    context.add_data_docs_site(site_name=SITE, site_config={
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    })
    store = context.validation_results_store
    new: list = []  # the results (and their suites) without a page yet
    suites_seen: set[str] = set()
    for run_id, run_at, suite, batch, result_json, suite_json in rows:
        suite_identifier = ExpectationSuiteIdentifier(name=suite)
        if suite not in suites_seen:
            stored = json.loads(suite_json)
            context.suites.add(gx.ExpectationSuite(
                name=suite, expectations=stored.get("expectations", []), meta=stored.get("meta") or {}))
            suites_seen.add(suite)
            new.append(suite_identifier)
        identifier = ValidationResultIdentifier(
            expectation_suite_identifier=suite_identifier,
            run_id=RunIdentifier(run_name=run_id, run_time=run_at),
            batch_identifier=_safe(batch),
        )
        # the stored JSON is the store's own serialised form: parsed only for a page that is rendered
        store.store_backend.set(store.key_to_tuple(identifier), result_json)
        if rendered is None or run_id not in rendered:
            new.append(identifier)
    # only the new results' pages are rendered; the index is rebuilt whole, and GX removes the pages
    # of results that left the window
    context.build_data_docs(site_names=[SITE], resource_identifiers=None if rendered is None else new)
    make_offline(site)
    (site / RENDERED).write_text(json.dumps(sorted({row[0] for row in rows})), encoding="utf-8")
    return site / "index.html"


def _rendered_runs(site: Path) -> set[str] | None:
    """The runs whose results have their pages in the site, or None when
    the site is to be rendered whole (none yet, or one left by a rendering
    that did not finish)."""
    marker = site / RENDERED
    if not marker.is_file():
        shutil.rmtree(site, ignore_errors=True)
        return None
    runs = set(json.loads(marker.read_text(encoding="utf-8")))
    marker.unlink()  # until this rendering has finished
    return runs
