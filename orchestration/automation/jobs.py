"""The pipeline job: every asset and check, in dependency order."""

from dagster import AssetSelection, define_asset_job

PIPELINE_JOB = "coopmetrics_pipeline"
# the run queue lets one run with this tag in progress at a time (orchestration/instance/dagster.yaml)
WAREHOUSE_TAG = {"coopmetrics/warehouse": "writer"}

pipeline_job = define_asset_job(
    PIPELINE_JOB,
    selection=AssetSelection.all(),
    description="Ingest every feed, build and test the marts, publish the partner extracts.",
    tags=WAREHOUSE_TAG,
)
