"""The warehouse as a Dagster resource. A run holds the warehouse's writer
lock from the moment its resources are set up until they are torn down, so
every run takes it however it was launched (orchestration/core/locking.py)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, InitResourceContext
from pydantic import Field, PrivateAttr

from orchestration.core.locking import warehouse_lock
from orchestration.core.settings import WAREHOUSE_ENV, warehouse_path
from orchestration.core.warehouse import connect


class Warehouse(ConfigurableResource):
    """The DuckDB warehouse file; defaults to COOPMETRICS_WAREHOUSE."""

    path: str | None = Field(
        default=None,
        description=f"DuckDB file; by default ${WAREHOUSE_ENV} as it is when the run starts "
                    "(relative paths are taken from the project root).",
    )
    _held: ExitStack | None = PrivateAttr(default=None)

    @property
    def file(self) -> Path:
        return Path(self.path).resolve() if self.path else warehouse_path()

    def setup_for_execution(self, context: InitResourceContext) -> None:
        held = ExitStack()
        held.enter_context(warehouse_lock(self.file, holder=f"Dagster run {context.run_id}"))
        self._held = held

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._held is not None:
            self._held.close()
            self._held = None

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        return connect(self.file, read_only=read_only)
