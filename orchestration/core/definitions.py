"""What every run shares, whatever it materialises: the warehouse resource,
the in-process executor (one writer per DuckDB file, so every step runs in
the run's own process) and the loggers (a line per stage, or Dagster's own
with --verbose)."""

from dagster import Definitions, colored_console_logger, in_process_executor

from orchestration.core.progress import stage_lines
from orchestration.core.resources import Warehouse


def core_definitions() -> Definitions:
    return Definitions(
        resources={"warehouse": Warehouse()},
        executor=in_process_executor,
        loggers={"console": colored_console_logger, "stage_lines": stage_lines},
    )
