"""`coopmetrics`: run the pipeline, make demo data, cut and verify extracts,
see the state of the warehouse, query it read-only."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from orchestration.settings import WAREHOUSE_ENV, extracts_dir, warehouse_path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _cmd_run(args: argparse.Namespace) -> int:
    from orchestration.runner import print_summary, run_pipeline

    result = run_pipeline(as_of=args.as_of, feeds=args.feeds, full_refresh=args.full_refresh)
    print_summary(result)
    return EXIT_OK if result.ok else EXIT_FAILED


def _cmd_demo(args: argparse.Namespace) -> int:
    from orchestration.demo.generate import generate_demo

    summary = generate_demo(Path(args.out), orgs=args.orgs, events=args.events, seed=args.seed,
                            defect_share=args.defects, per_file=args.per_file)
    print(f"demo consortium: {summary.organisations} organisations, {summary.events} events, "
          f"{summary.defects} deliberate defects")
    print(f"registry: {summary.registry}")
    print(f"use it with: COOPMETRICS_REGISTRY={summary.registry} coopmetrics run")
    return EXIT_OK


def _cmd_extract(args: argparse.Namespace) -> int:
    from dagster import AssetKey

    from orchestration.definitions import build_definitions
    from orchestration.extracts.plan import partner
    from orchestration.runner import print_summary, run_pipeline

    chosen = partner(args.partner)  # clear error for an unknown or invalid name
    graph = build_definitions().resolve_asset_graph()
    keys = [k for k in graph.get_all_asset_keys() if k.path[0] == "marts" or k.path[0] == "staging"
            or k.path[0] == "intermediate"] + [AssetKey(["extracts", chosen.name])]
    print(f"rebuilding the marts as of {args.as_of or 'now'} and publishing the extract of {chosen.name} ...")
    result = run_pipeline(as_of=args.as_of, asset_selection=keys)
    print_summary(result)
    if result.success:
        print(f"extract: {extracts_dir() / chosen.name}")
    return EXIT_OK if result.success else EXIT_FAILED


def _cmd_verify(args: argparse.Namespace) -> int:
    from orchestration.extracts.manifest import verify_extract

    result = verify_extract(Path(args.folder))
    if result.ok:
        print(f"OK: {result.files} file(s) match {Path(args.folder) / 'manifest.json'}")
        return EXIT_OK
    for problem in result.problems:
        print(f"MISMATCH: {problem}", file=sys.stderr)
    return EXIT_FAILED


def _warehouse_or_exit() -> Path | None:
    path = warehouse_path()
    if not path.exists():
        print(f"coopmetrics: no warehouse at {path} (run `make run`, or set {WAREHOUSE_ENV})", file=sys.stderr)
        return None
    return path


def _cmd_status(args: argparse.Namespace) -> int:
    from orchestration.locking import reader_lock
    from orchestration.status import status_report

    path = _warehouse_or_exit()
    if path is None:
        return EXIT_FAILED
    with reader_lock(path):
        print(status_report(path))
    return EXIT_OK


def _cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    from orchestration.locking import reader_lock
    from orchestration.status import NotReadOnly, format_table, read_only_query

    path = _warehouse_or_exit()
    if path is None:
        return EXIT_FAILED
    try:
        with reader_lock(path):  # waits while a run writes; a run waits for it
            columns, rows = read_only_query(path, args.query)
    except NotReadOnly as exc:
        print(f"coopmetrics: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except duckdb.Error as exc:
        print(f"coopmetrics: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(format_table(columns, rows))
    return EXIT_OK


def _cmd_quality_docs(args: argparse.Namespace) -> int:
    from orchestration.locking import reader_lock
    from orchestration.quality.data_docs import build_data_docs
    from orchestration.resources import Warehouse

    path = _warehouse_or_exit()
    if path is None:
        return EXIT_FAILED
    with reader_lock(path):
        index = build_data_docs(Warehouse(), runs=args.runs)
    if index is None:
        print("coopmetrics: no great-expectations validation recorded yet: run the pipeline first", file=sys.stderr)
        return EXIT_FAILED
    print(f"GX Data Docs of the last {args.runs} run(s): {index}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coopmetrics", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="ingest every feed, build the marts, check, publish extracts")
    run.add_argument("--as-of", help="rebuild the marts as known at this instant (ISO 8601 UTC)")
    run.add_argument("--feeds", type=lambda s: s.split(","), help="comma-separated org_ids (default: all)")
    run.add_argument("--full-refresh", action="store_true", help="rebuild incremental models from all events")
    run.set_defaults(func=_cmd_run)

    demo = sub.add_parser("demo", help="write a deterministic demo consortium (feeds and registry)")
    demo.add_argument("--orgs", type=int, default=6)
    demo.add_argument("--events", type=int, default=300)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--defects", type=float, default=0.01, help="share of deliberately bad records")
    demo.add_argument("--per-file", type=int, default=50_000, help="records per landing file")
    demo.add_argument("--out", required=True, help="folder for registry.yml and landing/")
    demo.set_defaults(func=_cmd_demo)

    extract = sub.add_parser("extract", help="rebuild the marts (as of a time) and publish one partner's extract")
    extract.add_argument("--partner", required=True, help="a partner declared in the registry")
    extract.add_argument("--as-of", help="the marts as known at this instant (ISO 8601 UTC); default now")
    extract.set_defaults(func=_cmd_extract)

    verify = sub.add_parser("verify-extract", help="check an extract folder against its manifest")
    verify.add_argument("folder")
    verify.set_defaults(func=_cmd_verify)

    status = sub.add_parser("status", help="last runs, ledger totals and failing checks")
    status.set_defaults(func=_cmd_status)

    docs = sub.add_parser("quality-docs", help="render the GX Data Docs (HTML) of the latest runs")
    docs.add_argument("--runs", type=int, default=10, help="how many recent runs to show")
    docs.set_defaults(func=_cmd_quality_docs)

    sql = sub.add_parser("sql", help="run one SELECT on a read-only connection and print a table")
    sql.add_argument("query")
    sql.set_defaults(func=_cmd_sql)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if argv is None:  # the command itself, not a call from Python: its children (dbt) die with it
        from orchestration.processes import die_with_children

        die_with_children()
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except (ValueError, RuntimeError, OSError) as exc:
        print(f"coopmetrics: {exc}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
