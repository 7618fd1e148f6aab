"""`coopmetrics`: run the pipeline, make demo data, cut and verify extracts,
see the state of the warehouse, query it read-only."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from orchestration import reader_commands as commands
from orchestration.core.settings import extracts_dir, warehouse_path
from orchestration.reader_commands import EXIT_FAILED, EXIT_OK


def _checked_as_of(args: argparse.Namespace) -> str | None:
    """--as-of parsed and judged before any work; its UTC form for dbt."""
    from orchestration.asof import check_as_of, parse_as_of

    if args.as_of is None:
        return None
    as_of = parse_as_of(args.as_of)
    warning = check_as_of(as_of, warehouse_path(), force=args.force_as_of)
    if warning:
        print(f"coopmetrics: warning: {warning}", file=sys.stderr)
    return as_of.dbt_value


def _checked_feeds(feeds: list[str] | None) -> list[str] | None:
    from orchestration.core.registry import load_registry

    if feeds is None:
        return None
    registered = load_registry().feed_ids
    unknown = [f for f in feeds if f not in registered]
    if unknown:
        raise ValueError(f"unknown feed(s) {', '.join(unknown)}; registered: {', '.join(registered)}")
    return feeds


def _cmd_run(args: argparse.Namespace) -> int:
    from orchestration.pipeline_run import print_summary, run_pipeline

    feeds, as_of = _checked_feeds(args.feeds), _checked_as_of(args)
    result = run_pipeline(as_of=as_of, feeds=feeds, full_refresh=args.full_refresh, verbose=args.verbose)
    print_summary(result)
    return EXIT_OK if result.ok else EXIT_FAILED


def _cmd_demo(args: argparse.Namespace) -> int:
    if args.bulk:
        from orchestration.demo.bulk import generate_bulk_demo as generate
    else:
        from orchestration.demo.generate import generate_demo as generate

    summary = generate(Path(args.out), orgs=args.orgs, events=args.events, seed=args.seed,
                       defect_share=args.defects, per_file=args.per_file)
    print(f"demo consortium: {summary.organisations} organisations, {summary.events} events, "
          f"{summary.defects} deliberate defects")
    print(f"registry: {summary.registry}")
    print(f"use it with: COOPMETRICS_REGISTRY={summary.registry} coopmetrics run")
    return EXIT_OK


def _cmd_extract(args: argparse.Namespace) -> int:
    from orchestration.core.asset_keys import extract_key
    from orchestration.definitions import build_definitions
    from orchestration.extracts.plan import partner
    from orchestration.pipeline_run import print_summary, run_pipeline
    from orchestration.scratch import historical_warehouse

    chosen = partner(args.partner)  # clear error for an unknown or invalid name
    as_of = _checked_as_of(args)
    graph = build_definitions().resolve_asset_graph()
    keys = [k for k in graph.get_all_asset_keys() if k.path[0] in ("staging", "intermediate", "marts")]
    keys.append(extract_key(chosen.name))
    if as_of is None:
        print(f"rebuilding the marts and publishing the extract of {chosen.name} ...")
        result = run_pipeline(asset_selection=keys, verbose=args.verbose)
        folder = extracts_dir() / chosen.name
        print_summary(result)
    else:
        # the analysts' marts are never rewound: a historical extract is cut from a copy
        with historical_warehouse(warehouse_path(), as_of) as scratch:
            print(f"rebuilding the marts as of {as_of} in {scratch} and publishing the extract of {chosen.name} ...")
            result = run_pipeline(as_of=as_of, asset_selection=keys, warehouse=scratch, verbose=args.verbose)
            folder = extracts_dir(scratch) / chosen.name
            print_summary(result, scratch)
    if result.success:
        print(f"extract: {folder}")
    return EXIT_OK if result.success else EXIT_FAILED


def _cmd_verify(args: argparse.Namespace) -> int:
    from orchestration.extracts.manifest import verify_extract

    result = verify_extract(Path(args.folder), Path(args.public_key) if args.public_key else None)
    if result.ok:
        print(f"OK: {result.files} file(s) match {Path(args.folder) / 'manifest.json'}; its Ed25519 signature "
              f"checked with {result.key}" + (f", made with {result.signed_with}" if result.signed_with else ""))
        return EXIT_OK
    for problem in result.problems:
        print(f"MISMATCH: {problem}", file=sys.stderr)
    return EXIT_FAILED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coopmetrics", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    parser.set_defaults(command_names=sub.choices)

    run = sub.add_parser("run", help="ingest every feed, build the marts, check, publish extracts")
    run.add_argument("--as-of", help="rebuild the marts as known at this instant: events ingested by then "
                                     "(ISO 8601 with a zone, e.g. 2025-06-30T00:00:00Z)")
    run.add_argument("--force-as-of", action="store_true",
                     help="build even when the as-of leaves no event to count (before the first ingestion)")
    run.add_argument("--feeds", type=lambda s: s.split(","), help="comma-separated feed ids (a feed's id is "
                     "its org_id unless the registry gives one; default: all)")
    run.add_argument("--full-refresh", action="store_true", help="rebuild incremental models from all events")
    run.add_argument("--verbose", action="store_true", help="Dagster's log and every dbt model and test line")
    run.set_defaults(func=_cmd_run)

    demo = sub.add_parser("demo", help="write a deterministic demo consortium (feeds and registry)")
    demo.add_argument("--orgs", type=int, default=6, help="organisations (feeds), in NDJSON, CSV and Parquet")
    demo.add_argument("--events", type=int, default=300, help="events in all, late deliveries included")
    demo.add_argument("--seed", type=int, default=7, help="the same seed writes the same files, byte for byte")
    demo.add_argument("--defects", type=float, default=0.01, help="share of deliberately bad records")
    demo.add_argument("--per-file", type=int, default=50_000, help="records per landing file")
    demo.add_argument("--bulk", action="store_true",
                      help="millions of events in seconds: the simulated consortium at 2%% of the size, filled "
                           "column-wise with contributions, resources, assets and feedback (what make bench uses)")
    demo.add_argument("--out", required=True, help="folder for registry.yml and landing/")
    demo.set_defaults(func=_cmd_demo)

    extract = sub.add_parser("extract", help="rebuild the marts (as of a time) and publish one partner's extract")
    extract.add_argument("--partner", required=True, help="a partner declared in the registry")
    extract.add_argument("--as-of", help="the marts as known at this instant (ISO 8601 with a zone), built in a "
                                         "copy of the warehouse under <warehouse dir>/as-of/; default now")
    extract.add_argument("--verbose", action="store_true", help="Dagster's log and every dbt line")
    extract.add_argument("--force-as-of", action="store_true",
                         help="build even when the as-of leaves no event to count")
    extract.set_defaults(func=_cmd_extract)

    verify = sub.add_parser("verify-extract", help="check an extract folder against its manifest")
    verify.add_argument("folder", help="an extract folder: its manifest.json and the files it lists")
    verify.add_argument("--public-key", help="the consortium's public key (PEM); default: signing_key.pub.pem "
                                             "beside the folder")
    verify.set_defaults(func=_cmd_verify)

    status = sub.add_parser("status", help="last runs, ledger totals and failing checks")
    status.set_defaults(func=commands.status)

    report = sub.add_parser("report", help="render the consortium report (static HTML, charts, readable offline)")
    report.add_argument("--out", help="where to write it; default <warehouse dir>/report/index.html")
    report.set_defaults(func=commands.report)

    social = sub.add_parser("social-report", help="write the social report sheets (bilancio sociale) of a year: "
                                                  "a printable page per organisation and one consolidated")
    social.add_argument("--year", type=int, required=True, help="the calendar year, e.g. 2025")
    social.add_argument("--org", help="only this organisation's sheet")
    social.add_argument("--out", help="where to write them; default <warehouse dir>/social_report/<year>/")
    social.set_defaults(func=commands.social_report)

    docs = sub.add_parser("quality-docs", help="render the GX Data Docs (HTML) of the latest runs")
    docs.add_argument("--runs", type=int, default=10, help="how many recent runs to show")
    docs.set_defaults(func=commands.quality_docs)

    sql = sub.add_parser("sql", help="run one SELECT on a read-only connection and print a table")
    sql.add_argument("query", help="one SELECT, e.g. \"select * from marts.mart_consortium_monthly\"")
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table",
                     help="a table for reading (the default), CSV with a header, or JSON lines (one object a row)")
    sql.add_argument("--max-rows", type=int, default=None,
                     help="rows printed at most (0: all; default 200 for a table, all for csv and json); "
                          "a cut is said on stderr")
    sql.set_defaults(func=commands.sql)

    generate = sub.add_parser("generate-dbt", help="write the dbt files made from sources/schemas (typed staging "
                                                   "models, the contract macro, the payload docs)")
    generate.add_argument("--check", action="store_true", help="write nothing; exit 1 naming the stale files")
    generate.set_defaults(func=commands.generate_dbt)

    types = sub.add_parser("column-types", help="write the dbt models' column types (the definitions' column "
                                                "schemas) from the warehouse, after a full build")
    types.add_argument("--check", action="store_true", help="write nothing; exit 1 naming the models that moved")
    types.set_defaults(func=commands.column_types)
    return parser


def _unknown_command(parser: argparse.ArgumentParser, argv: list[str]) -> str | None:
    """For a mistyped command, the message naming the nearest one."""
    word = next((a for a in argv if not a.startswith("-")), None)
    names = list(parser.get_default("command_names"))
    if word is None or word in names:
        return None
    nearest = difflib.get_close_matches(word, names, n=1, cutoff=0.5)
    hint = f"did you mean '{nearest[0]}'? " if nearest else ""
    return f"coopmetrics: unknown command '{word}': {hint}(commands: {', '.join(names)})"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    unknown = _unknown_command(parser, sys.argv[1:] if argv is None else argv)
    if unknown:
        print(unknown, file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    if argv is None:  # the command itself, not a call from Python: its children (dbt) die with it
        from orchestration.core.processes import die_with_children

        die_with_children()
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except (ValueError, RuntimeError, OSError) as exc:
        print(f"coopmetrics: {exc}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        if argv is None:  # an interrupted run returns: what its children left must not outlive it
            from orchestration.core.processes import end_descendants

            end_descendants(spare_trackers=True)


if __name__ == "__main__":
    sys.exit(main())
