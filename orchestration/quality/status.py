"""`coopmetrics status`: the event store, the ledger's conservation (the
same judgement as the ledger_conservation check), what the latest build of
the models stands for, the last runs and the failing checks, read through
the reader connection."""

from __future__ import annotations

from pathlib import Path

from orchestration.core.settings import dagster_home
from orchestration.core.warehouse import connect_reader, run_sql, sql_text
from orchestration.quality.run_history import run_history

SQL = Path(__file__).parent / "sql"


def cell(value: object) -> str:
    """A value as one line of a table: its line breaks (a comment, a message) shown as \\n, so every row
    stays one line."""
    if value is None:
        return "NULL"
    return str(value).replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def format_table(columns: list[str], rows: list[tuple]) -> str:
    shown = [[cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in shown]) for i, c in enumerate(columns)]

    def line(cells: list[str]) -> str:
        return "  ".join(text.ljust(width) for text, width in zip(cells, widths, strict=True))

    out = [line(columns), line(["-" * w for w in widths])] + [line(r) for r in shown]
    return "\n".join(out) + f"\n({len(rows)} rows)"


def status_report(path: Path) -> str:
    con = connect_reader(path)
    try:
        totals = run_sql(con, sql_text("status_totals.sql", SQL))[0]
        feeds = con.execute(sql_text("status_feeds.sql", SQL))
        feed_columns, feed_rows = [d[0] for d in feeds.description], feeds.fetchall()
        has_quality = run_sql(con, "SELECT count(*) FROM information_schema.tables "
                                   "WHERE table_schema = 'quality' AND table_name = 'check_results'")[0][0]
        failing = run_sql(con, sql_text("status_failing_checks.sql", SQL)) if has_quality else []
        has_builds = run_sql(con, "SELECT count(*) FROM information_schema.tables "
                                  "WHERE table_schema = 'builds' AND table_name = 'model_builds'")[0][0]
        build = run_sql(con, sql_text("status_models.sql", SQL)) if has_builds else []
        run_columns, run_rows = run_history(con, dagster_home(), bool(has_builds))
        # the same judgement as the ledger_conservation check: per run, and the ledger against the tables
        runs_off, stored_off, quarantined_off, sample = run_sql(con, sql_text("reconcile_conservation.sql", SQL))[0]
    finally:
        con.close()
    events, orgs, quarantined, files_quarantined, read, stored, duplicates, ledger_quarantined = totals
    conserved = "conserved"
    if read != stored + duplicates + ledger_quarantined or runs_off or stored_off or quarantined_off:
        conserved = (f"NOT CONSERVED: {runs_off} run(s) off (e.g. {sample or '-'}), ledger vs raw.events "
                     f"{stored_off:+d}, vs raw.quarantine {quarantined_off:+d}")
    lines = [
        f"warehouse: {path}",
        f"event store: {events} events from {orgs} organisations; quarantine: {quarantined} records, "
        f"{files_quarantined} whole files",
        f"ledger: records read {read} = stored {stored} + duplicates {duplicates} + quarantined "
        f"{ledger_quarantined} ({conserved})",
        models_line(build[0] if build else None),
        "",
        "feeds:",
        format_table(feed_columns, feed_rows),
        "",
        "last runs (every run the Dagster instance holds, newest first):",
        format_table(run_columns, run_rows),
        "",
        "failing checks (latest result of each):" if failing else "failing checks: none",
    ]
    lines += [f"  {stage} {asset} {check}: {status} - {message}" for stage, asset, check, status, message in failing]
    return "\n".join(lines)


def models_line(build: tuple | None) -> str:
    """What the latest build of the models stands for, and what the next run will rebuild."""
    if build is None:
        return "models: never built"
    run_id, finished_at, whole, max_event_seq, events, is_current, covers_store, events_now = build
    if finished_at is None:
        return f"models: the latest build (run {run_id}) did not finish; the next run rebuilds every model"
    if not is_current:
        return (f"models: built by run {run_id} not at the clock (--as-of, or a part of them after one); the "
                "next run rebuilds every model")
    part = "every model" if whole else "the models that move with the clock"
    touched = f", the tables kept by touched keys from event_seq {max_event_seq}" if covers_store else ""
    behind = (f"; {events_now - events} event(s) stored since, the next run rebuilds every model{touched}"
              if events_now != events else "")
    return f"models: current, {part} built by run {run_id} at {finished_at} on {events} events{behind}"
