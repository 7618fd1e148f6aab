"""The daily run of the whole pipeline."""

from dagster import DefaultScheduleStatus, ScheduleDefinition

from orchestration.automation.jobs import pipeline_job

daily_pipeline = ScheduleDefinition(
    name="daily_pipeline",
    job=pipeline_job,
    cron_schedule="0 5 * * *",  # 05:00 UTC: after the organisations' nightly exports
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Ingest every feed, rebuild and check the marts, publish the extracts, every day at 05:00 UTC.",
)
