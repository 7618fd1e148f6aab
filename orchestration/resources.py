"""The warehouse as a Dagster resource."""

from __future__ import annotations

from pathlib import Path

import duckdb
from dagster import ConfigurableResource
from pydantic import Field

from orchestration.ingest.store import connect
from orchestration.settings import WAREHOUSE_ENV, warehouse_path


class Warehouse(ConfigurableResource):
    """The DuckDB warehouse file; defaults to COOPMETRICS_WAREHOUSE."""

    path: str | None = Field(
        default=None,
        description=f"DuckDB file; by default ${WAREHOUSE_ENV} as it is when the run starts "
                    "(relative paths are taken from the project root).",
    )

    @property
    def file(self) -> Path:
        return Path(self.path).resolve() if self.path else warehouse_path()

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        return connect(self.file, read_only=read_only)
