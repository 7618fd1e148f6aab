"""The Dagster code location: it only assembles what the modules define."""

from dagster import Definitions, colored_console_logger, in_process_executor

from orchestration.automation.jobs import pipeline_job
from orchestration.automation.schedules import daily_pipeline
from orchestration.automation.sensors import QUALITY_DOCS_SENSORS, build_feed_sensors
from orchestration.core.registry import load_registry
from orchestration.core.resources import Warehouse
from orchestration.core.settings import dbt_executable
from orchestration.extracts.assets import build_extract_assets
from orchestration.ingest.assets import build_ingest_assets
from orchestration.progress import stage_lines
from orchestration.quality.event_store import event_store_suite
from orchestration.quality.feed_freshness import feed_volume, feeds_fresh
from orchestration.quality.reconcile import RECONCILIATIONS
from orchestration.quality.table_suites import build_table_suite_checks
from orchestration.report.assets import build_report_asset
from orchestration.transform.assets import PinnedDbtCliResource, dbt_models, dbt_staging
from orchestration.transform.project import dbt_project


def build_definitions() -> Definitions:
    return Definitions(
        assets=[build_ingest_assets(load_registry()), dbt_staging, dbt_models, *build_extract_assets(dbt_models),
                build_report_asset(dbt_models)],
        asset_checks=[event_store_suite, *build_table_suite_checks(dbt_staging, dbt_models), feeds_fresh,
                      feed_volume, *RECONCILIATIONS],
        jobs=[pipeline_job],
        schedules=[daily_pipeline],
        sensors=[*build_feed_sensors(), *QUALITY_DOCS_SENSORS],
        resources={
            "warehouse": Warehouse(),
            "dbt": PinnedDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
        },
        # one writer per DuckDB file: every step runs in the run's own process
        executor=in_process_executor,
        loggers={"console": colored_console_logger, "stage_lines": stage_lines},
    )


defs = build_definitions()
