"""The pipeline job: every asset and check, in dependency order."""

from dagster import AssetSelection, define_asset_job

PIPELINE_JOB = "coopmetrics_pipeline"

pipeline_job = define_asset_job(
    PIPELINE_JOB,
    selection=AssetSelection.all(),
    description="Ingest every feed, build and test the marts, publish the partner extracts.",
)
