"""The daily run of the whole pipeline: every feed partition in one run."""

from dagster import DefaultScheduleStatus, RunRequest, ScheduleEvaluationContext, schedule

from orchestration.automation.jobs import pipeline_job
from orchestration.core.registry import load_registry


def all_feeds_tags() -> dict[str, str]:
    """Run tags selecting every feed partition (the ingest asset backfills a range in one run)."""
    feeds = load_registry().feed_ids
    return {"dagster/asset_partition_range_start": feeds[0], "dagster/asset_partition_range_end": feeds[-1]}


@schedule(
    name="daily_pipeline",
    job=pipeline_job,
    cron_schedule="0 5 * * *",  # 05:00 UTC: after the organisations' nightly exports
    execution_timezone="UTC",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Ingest every feed, rebuild and check the marts, publish the extracts, every day at 05:00 UTC.",
)
def daily_pipeline(context: ScheduleEvaluationContext) -> RunRequest:
    return RunRequest(run_key=context.scheduled_execution_time.isoformat(), tags=all_feeds_tags())
