"""The consortium report as an asset: rendered after the marts in every run."""

from dagster import AssetExecutionContext, AssetsDefinition, MaterializeResult, MetadataValue, asset
from dagster_dbt import get_asset_key_for_model

from orchestration.core.asset_keys import REPORT_KEY
from orchestration.core.resources import Warehouse
from orchestration.core.settings import report_path
from orchestration.report.build import HEADLINES, consortium_report
from orchestration.report.impact import IMPACT_TABLES

CHART_CACHE = "chart_cache"  # beside the report: the SVGs of its charts, by their specification's digest


def build_report_asset(dbt_assets: AssetsDefinition) -> AssetsDefinition:
    marts = [get_asset_key_for_model([dbt_assets], mart) for mart in sorted(
        {*HEADLINES, *IMPACT_TABLES, "dim_initiatives", "mart_build_info"})]

    @asset(key=REPORT_KEY, deps=marts, group_name="report", owners=["team:data-engineering"], kinds={"html"},
           description="The consortium report: static HTML with charts of shared value, spillovers, resource mix, "
                       "coalitions, boundary spanners, feedback and the impact account, readable offline "
                       "(orchestration/report/).")
    def consortium(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
        con = warehouse.connect(read_only=True)
        try:
            path = report_path(warehouse.file)
            consortium_report(con, path, chart_cache=path.parent / CHART_CACHE)
        finally:
            con.close()
        return MaterializeResult(metadata={"path": MetadataValue.path(str(path)), "bytes": path.stat().st_size})

    return consortium
