"""The commands that read the warehouse while runs may write it (`status`,
`sql`, `report`, `quality-docs`), each under the readers' shared lock, and
`generate-dbt`, which writes the dbt files made from the schemas, and
`column-types`, which writes the models' column types from the warehouse."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from orchestration.core.locking import reader_lock
from orchestration.core.settings import WAREHOUSE_ENV, warehouse_path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class NoWarehouse(RuntimeError):
    """There is no warehouse to read yet."""


@contextmanager
def reading_warehouse() -> Iterator[Path]:
    """The warehouse, held with the readers' shared lock: waits while a run
    writes, and a run waits for it."""

    path = warehouse_path()
    if not path.exists():
        raise NoWarehouse(f"no warehouse at {path} (run `make run`, or set {WAREHOUSE_ENV})")
    with reader_lock(path):
        yield path


def status(args: argparse.Namespace) -> int:
    from orchestration.quality.status import status_report

    with reading_warehouse() as path:
        print(status_report(path))
    return EXIT_OK


def sql(args: argparse.Namespace) -> int:
    import duckdb

    from orchestration.queries import NotReadOnly, format_rows, read_only_query

    try:
        with reading_warehouse() as path:
            columns, rows = read_only_query(path, args.query)
    except NotReadOnly as exc:
        print(f"coopmetrics: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except duckdb.Error as exc:
        print(f"coopmetrics: {exc}", file=sys.stderr)
        return EXIT_FAILED
    limit = args.max_rows if args.max_rows is not None else (200 if args.format == "table" else 0)
    shown = rows[:limit] if limit else rows
    print(format_rows(args.format, columns, shown))
    if len(shown) < len(rows):
        print(f"coopmetrics: {len(shown)} of {len(rows)} rows shown; --max-rows 0 shows every row",
              file=sys.stderr)
    return EXIT_OK


def report(args: argparse.Namespace) -> int:
    from orchestration.core.settings import report_path
    from orchestration.core.warehouse import connect_reader
    from orchestration.report.build import consortium_report

    with reading_warehouse() as path:
        con = connect_reader(path)
        try:
            written = consortium_report(con, Path(args.out) if args.out else report_path(path))
        finally:
            con.close()
    print(f"consortium report: {written} (each partner's is report.html in its extract)")
    return EXIT_OK


def social_report(args: argparse.Namespace) -> int:
    from orchestration.core.registry import load_registry
    from orchestration.core.settings import social_report_dir
    from orchestration.core.warehouse import connect_reader
    from orchestration.report.social_sheet import sheets_k, write_sheets

    registry = load_registry()
    if args.org and args.org not in registry.org_ids:
        print(f"coopmetrics: {args.org!r} is not an organisation of {registry.path}; known: "
              f"{', '.join(registry.org_ids)}", file=sys.stderr)
        return EXIT_USAGE
    with reading_warehouse() as path:
        con = connect_reader(path)
        try:
            con.execute("SET search_path = 'marts'")
            out = Path(args.out) if args.out else social_report_dir(path) / str(args.year)
            written = write_sheets(con, args.year, out, sheets_k(registry.partners), args.org,
                                   {feed.org_id: feed.name for feed in registry.organisations()})
        finally:
            con.close()
    if not written:
        print(f"coopmetrics: the warehouse holds no social report figures for {args.year}"
              f"{' of ' + args.org if args.org else ''}", file=sys.stderr)
        return EXIT_USAGE
    for page in written:
        print(f"social report {args.year}: {page}")
    print("print each page to PDF from a browser for A4 sheets")
    return EXIT_OK


def quality_docs(args: argparse.Namespace) -> int:
    from orchestration.core.resources import Warehouse
    from orchestration.quality.data_docs import build_data_docs

    with reading_warehouse():
        index = build_data_docs(Warehouse(), runs=args.runs)
    if index is None:
        print("coopmetrics: no great-expectations validation recorded yet: run the pipeline first", file=sys.stderr)
        return EXIT_FAILED
    print(f"GX Data Docs of the last {args.runs} run(s): {index}")
    return EXIT_OK


def generate_dbt(args: argparse.Namespace) -> int:
    from orchestration.core.settings import PROJECT_ROOT
    from orchestration.transform.generated import stale_files, write_generated

    stale = stale_files() if args.check else write_generated()
    for path in stale:
        print(f"{'stale' if args.check else 'wrote'}: {path.relative_to(PROJECT_ROOT)}")
    if args.check and stale:
        print("coopmetrics: the files above differ from sources/schemas and the marts' yml: run "
              "`coopmetrics generate-dbt`",
              file=sys.stderr)
        return EXIT_FAILED
    if not stale:
        print("the generated files match sources/schemas and the marts' yml")
    return EXIT_OK


def column_types(args: argparse.Namespace) -> int:
    import contextlib
    import json

    import duckdb

    from orchestration.core.settings import PROJECT_ROOT
    from orchestration.transform.column_types import COLUMN_TYPES_FILE, check_or_write
    from orchestration.transform.project import dbt_project

    manifest = json.loads(Path(dbt_project.manifest_path).read_text())
    with reading_warehouse() as path, contextlib.closing(duckdb.connect(str(path), read_only=True)) as con:
        lines = check_or_write(con, manifest, write=not args.check)
    for line in lines:
        print(line)
    name = COLUMN_TYPES_FILE.relative_to(PROJECT_ROOT)
    if args.check and lines:
        print(f"coopmetrics: {name} differs from the warehouse: run `coopmetrics column-types`", file=sys.stderr)
        return EXIT_FAILED
    print(f"wrote {name}" if lines else f"{name} matches the warehouse's column types")
    return EXIT_OK
