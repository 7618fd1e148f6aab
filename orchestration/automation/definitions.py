"""When runs happen: the pipeline job, the daily schedule, a sensor a feed
and the Data Docs sensors."""

from dagster import Definitions

from orchestration.automation.jobs import pipeline_job
from orchestration.automation.schedules import daily_pipeline
from orchestration.automation.sensors import QUALITY_DOCS_SENSORS, build_feed_sensors


def automation_definitions() -> Definitions:
    return Definitions(jobs=[pipeline_job], schedules=[daily_pipeline],
                       sensors=[*build_feed_sensors(), *QUALITY_DOCS_SENSORS])
