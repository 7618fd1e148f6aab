"""Connections to the warehouse, transactions, and the SQL files every layer
keeps beside its code: this module loads them, binds parameters by name and
prepares each session (UTC, bounded memory, the event-store tables, the
pseudonym macros)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb

from orchestration.core.pseudonyms import DEMO_PEPPER, set_pepper
from orchestration.core.settings import published_catalog

CORE_SQL = Path(__file__).parent / "sql"
MEMORY_ENV = "COOPMETRICS_DUCKDB_MEMORY"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@lru_cache(maxsize=64)
def sql_text(name: str, folder: Path) -> str:
    return (folder / name).read_text(encoding="utf-8")


def sql_identifier(name: str) -> str:
    """A table or column name from config or the catalogue, checked before it
    is spliced into SQL (values are always bound parameters instead)."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return name


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None) -> list[tuple]:
    """Execute one statement binding only the named parameters it uses."""
    wanted = set(_PARAM.findall(_COMMENT.sub("", sql)))
    bound = {k: v for k, v in (params or {}).items() if k in wanted}
    missing = wanted - set(bound)
    if missing:
        raise KeyError(f"SQL needs parameter(s) {sorted(missing)}")
    return con.execute(sql, bound).fetchall() if bound else con.execute(sql).fetchall()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction: committed when the block ends, rolled back if it raises."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()


def run_script(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None, *,
               folder: Path) -> None:
    """Run every statement of <folder>/<name> (statements end with ';' at a line end)."""
    for statement in re.split(r";\s*\n", sql_text(name, folder)):
        if statement.strip() and not all(line.strip().startswith("--") or not line.strip()
                                          for line in statement.splitlines()):
            run_sql(con, statement, params)


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A session on the warehouse in UTC; a writable one also makes sure the
    event store exists and loads the session macros."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise RuntimeError(f"the warehouse {path} is held open by {_holder(str(exc))} (DuckDB allows one writer "
                               "and no reader beside it): close it; analysts and notebooks open "
                               f"{published_catalog(path)} instead, which no run waits for"
                               ) from None
        raise
    con.execute("SET TimeZone = 'UTC'")
    # bounded memory: DuckDB spills and evicts past this (default 1GB; see .env.example): dbt's
    # session (COOPMETRICS_DBT_MEMORY) and the validation workers share the run's 2 GB
    con.execute("SET memory_limit = $limit", {"limit": os.environ.get(MEMORY_ENV, "1GB")})
    if not read_only:
        run_script(con, "store_schema.sql", folder=CORE_SQL)
        run_script(con, "macros.sql", folder=CORE_SQL)
        set_pepper(con, DEMO_PEPPER)
    return con


def _holder(error: str) -> str:
    """Who holds the file, from DuckDB's message: its PID and command line."""
    found = re.search(r"\(PID (\d+)\)", error)
    if not found:
        return "another process"
    try:
        command = Path(f"/proc/{found.group(1)}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        command = ""
    return f"process {found.group(1)}" + (f" ({command[:200]})" if command else "")


# A reader sees the warehouse and nothing else: no file of the machine (read_csv, read_blob, glob,
# COPY), no extension loaded, and no way to switch that back on from SQL.
READER_CONFIG = {"enable_external_access": False, "autoload_known_extensions": False, "lock_configuration": True}


def connect_reader(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True, config=READER_CONFIG)
