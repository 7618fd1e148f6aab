"""What the intermediate models and marts were last built from, so that a
run with nothing new rebuilds only what moves with the clock.

Every model is a projection of three inputs: the event store (append-only,
so its highest event_seq and its count name its content), the registry,
and the project's code (dbt models and macros, suites, schemas, this
package, the pinned libraries). While none of them moves, a rebuild gives every table again,
except the models that measure up to the as-of instant itself (open
memberships, coalitions' ages, the month holding as_of, the build's own
record): `clock_models` reads them off the dbt manifest. The registry's
impact catalogue is followed on its own (its digest in raw.impact_settings):
when only it moved, only `catalogue_models` are rebuilt."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import duckdb

from orchestration.core.quality_schema import ensure_quality_schema
from orchestration.core.registry import read_registry_document
from orchestration.core.settings import PROJECT_ROOT, registry_path
from orchestration.core.warehouse import run_sql, sql_text
from orchestration.transform.migrations import migrate

SQL = Path(__file__).parent / "sql"
# the code a model's content or a check's verdict depends on, the pinned versions of what runs it included
# (the dbt target folder is left out: it is built)
CODE = ("requirements.lock", "dbt_project/dbt_project.yml", "dbt_project/profiles.yml", "dbt_project/models/**/*",
        "dbt_project/macros/**/*", "dbt_project/tests/**/*", "expectations/**/*.py", "sources/schemas/**/*",
        "orchestration/**/*.py", "orchestration/**/*.sql", "orchestration/**/*.json")
AS_OF_MACRO = "macro.coopmetrics.as_of"
CATALOGUE_TABLES = ("outcome_catalogue", "impact_settings")


@dataclass(frozen=True)
class BuildInputs:
    max_event_seq: int
    events: int
    digest: str  # of the code and the registry


def registry_digest() -> str:
    """sha256 of what the registry says, but its impact catalogue (whose own
    digest each build records: a change to it alone rebuilds only the models
    that read it)."""
    document = {key: value for key, value in read_registry_document(registry_path()).items() if key != "impact"}
    return hashlib.sha256(json.dumps(document, sort_keys=True, default=str).encode()).hexdigest()


def inputs_digest() -> str:
    digest = hashlib.sha256()
    files = sorted({path for pattern in CODE for path in PROJECT_ROOT.glob(pattern) if path.is_file()})
    for path in files:
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(registry_digest().encode())
    return digest.hexdigest()


def catalogue_digest(con: duckdb.DuckDBPyConnection) -> str | None:
    return run_sql(con, sql_text("catalogue_digest.sql", SQL))[0][0]


def current_inputs(con: duckdb.DuckDBPyConnection, digest: str | None = None) -> BuildInputs:
    """The store's position now, and the digest of the code and registry (`digest`, hashed if not given)."""
    max_event_seq, events = run_sql(con, sql_text("store_position.sql", SQL))[0]
    return BuildInputs(max_event_seq, events, digest or inputs_digest())


def _ensure(con: duckdb.DuckDBPyConnection) -> None:
    ensure_quality_schema(con)  # the check results the latest build is judged with
    migrate(con)


def _latest(con: duckdb.DuckDBPyConnection) -> tuple | None:
    if not _has_builds(con):
        return None
    rows = run_sql(con, sql_text("latest_build.sql", SQL))
    return rows[0] if rows else None


def build_started(con: duckdb.DuckDBPyConnection, run_id: str, whole: bool, built_from: int) -> None:
    _ensure(con)
    run_sql(con, sql_text("build_started.sql", SQL), {"run_id": run_id, "whole": whole, "built_from": built_from})


def build_finished(con: duckdb.DuckDBPyConnection, run_id: str, whole: bool, as_of: str | None,
                   rebuilt_catalogue: bool = False, digest: str | None = None) -> None:
    """The build is current when it measured at the clock (no as_of given)
    and either rebuilt every model or left the inputs of a current build
    as they were (then what it did not rebuild is what it would have built);
    the impact catalogue may have moved when it rebuilt every model that
    reads it (`rebuilt_catalogue`). It covers the store on the same terms
    with an as_of after every ingestion: then the tables kept by touched
    keys hold every stored event. `digest` is the code the build ran, as
    hashed when it was planned: code changed during the build is not
    taken for what it built."""
    inputs = current_inputs(con, digest)
    catalogue = catalogue_digest(con)
    previous = run_sql(con, sql_text("previous_build.sql", SQL))
    same_inputs = bool(previous) and previous[0][2:5] == (inputs.max_event_seq, inputs.events, inputs.digest)
    same_catalogue = rebuilt_catalogue or (bool(previous) and previous[0][5] == catalogue)
    run_sql(con, sql_text("build_finished.sql", SQL), {
        "run_id": run_id, "max_event_seq": inputs.max_event_seq, "events": inputs.events,
        "inputs_digest": inputs.digest, "catalogue_digest": catalogue,
        "is_current": as_of is None and (whole or (same_inputs and same_catalogue and previous[0][0])),
        "covers_store": as_of_covers_store(con, as_of) and (whole or (same_inputs and previous[0][1]))})


def as_of_covers_store(con: duckdb.DuckDBPyConnection, as_of: str | None) -> bool:
    if as_of is None:
        return True
    instant = datetime.fromisoformat(as_of.replace(" ", "T"))
    if instant.tzinfo is not None:  # the store's times are UTC without a zone
        instant = instant.astimezone(UTC).replace(tzinfo=None)
    return bool(run_sql(con, sql_text("as_of_covers_store.sql", SQL), {"as_of": instant})[0][0])


def settled_build(con: duckdb.DuckDBPyConnection, catalogue: bool = True, digest: str | None = None) -> str | None:
    """The run whose marts stand for the store as it is now (nothing was
    appended, no code or registry changed, no ERROR check failed since),
    or None when the models must all be built again. With catalogue=False
    the impact catalogue may have changed since: then only the models that
    read it (catalogue_models) need building again. `digest`: the code's,
    as the step hashed it when it planned (hashed now if not given)."""
    latest = _latest(con)
    if latest is None:
        return None
    run_id, is_current, max_event_seq, events, built_digest, _, built_catalogue, failed_since = latest
    if not is_current or failed_since:
        return None
    if catalogue and built_catalogue != catalogue_digest(con):
        return None
    return run_id if current_inputs(con, digest) == BuildInputs(max_event_seq, events, built_digest) else None


def keys_checked_through(con: duckdb.DuckDBPyConnection, full_refresh: bool, digest: str | None = None) -> int:
    """The event_seq up to which a build's key tests may take the rows as
    tested (the dbt var keys_checked_through): the store as the latest
    current build of this code (`digest`, inputs_digest() if not given)
    left it; a full refresh rebuilds every row, so 0."""
    _ensure(con)
    if full_refresh:
        return 0
    return run_sql(con, sql_text("keys_checked_through.sql", SQL), {"inputs_digest": digest or inputs_digest()})[0][0]


def built_through(con: duckdb.DuckDBPyConnection, full_refresh: bool, as_of: str | None,
                  digest: str | None = None) -> int:
    """The event_seq through which the tables kept by touched keys hold
    every event (the dbt var built_through), 0 to build them whole."""
    _ensure(con)
    if full_refresh or not as_of_covers_store(con, as_of):
        return 0
    return run_sql(con, sql_text("built_through.sql", SQL), {"inputs_digest": digest or inputs_digest()})[0][0]


def touched_keys_plan(con: duckdb.DuckDBPyConnection) -> str | None:
    """What the latest build did with the tables kept by touched keys, in a line."""
    latest = _latest(con)
    if latest is None:
        return None
    _, _, max_event_seq, _, _, built_from, _, _ = latest
    if built_from is None:  # started, the models step never armed it
        return None
    if not built_from:
        return "the tables kept by touched keys were built whole"
    return (f"the tables kept by touched keys computed again only the rows moved by the events after "
            f"event_seq {built_from:,} (up to {max_event_seq:,})")


def _has_builds(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse has build bookkeeping and check results yet (a reader never creates them)."""
    return run_sql(con, sql_text("has_builds.sql", SQL))[0][0]


def read_manifest(manifest_path: Path) -> dict:
    """dbt's manifest, parsed once while the file stays as it is (a dbt step reads it for the clock's
    models, the catalogue's and the order of what it keeps)."""
    stat = Path(manifest_path).stat()
    return _parsed_manifest(str(manifest_path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=2)
def _parsed_manifest(path: str, mtime_ns: int, size: int) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def catalogue_models(manifest_path: Path) -> list[str]:
    """The models that read the impact catalogue (the dbt sources
    raw.outcome_catalogue and raw.impact_settings), directly or through
    another model: what a change to the catalogue alone rebuilds."""
    manifest = read_manifest(manifest_path)
    children, nodes = manifest["child_map"], manifest["nodes"]
    pending = [key for key, source in manifest["sources"].items() if source["source_name"] == "raw"
               and source["name"] in CATALOGUE_TABLES]
    seen: set[str] = set()
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in seen and child in nodes and nodes[child]["resource_type"] == "model":
                seen.add(child)
                pending.append(child)
    return sorted(nodes[key]["name"] for key in seen)


def clock_models(manifest_path: Path) -> list[str]:
    """The models that read the as-of instant to measure up to it. Staging
    reads it only as the knowledge watermark (events ingested by then),
    which nothing but a new ingest can move."""
    nodes = read_manifest(manifest_path)["nodes"].values()
    return sorted(n["name"] for n in nodes if n["resource_type"] == "model" and n["fqn"][1] != "staging"
                  and AS_OF_MACRO in n["depends_on"]["macros"])
