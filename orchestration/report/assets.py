"""The consortium report as an asset: rendered after the marts in every run."""

from dagster import AssetExecutionContext, AssetsDefinition, MaterializeResult, MetadataValue, asset
from dagster_dbt import get_asset_key_for_model

from orchestration.core.asset_keys import REPORT_KEY, SOCIAL_REPORT_KEY
from orchestration.core.registry import load_registry
from orchestration.core.resources import Warehouse
from orchestration.core.settings import report_path, social_report_dir
from orchestration.report.build import HEADLINES, consortium_report
from orchestration.report.community import COMMUNITY_TABLES
from orchestration.report.impact import IMPACT_TABLES
from orchestration.report.social_sheet import MART as SOCIAL_MART
from orchestration.report.social_sheet import latest_complete_year, sheets_k, write_sheets

CHART_CACHE = "chart_cache"  # beside the report: the SVGs of its charts, by their specification's digest


def build_report_asset(dbt_assets: AssetsDefinition) -> AssetsDefinition:
    marts = [get_asset_key_for_model([dbt_assets], mart) for mart in sorted(
        {*HEADLINES, *IMPACT_TABLES, *COMMUNITY_TABLES, "dim_initiatives", "mart_build_info"})]

    @asset(key=REPORT_KEY, deps=marts, group_name="report", owners=["team:data-engineering"], kinds={"html"},
           description="The consortium report: static HTML with charts of shared value, spillovers, resource mix, "
                       "coalitions, boundary spanners, feedback, the five functions, health and the impact account, "
                       "readable offline (orchestration/report/).")
    def consortium(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
        con = warehouse.connect(read_only=True)
        try:
            path = report_path(warehouse.file)
            consortium_report(con, path, chart_cache=path.parent / CHART_CACHE)
        finally:
            con.close()
        return MaterializeResult(metadata={"path": MetadataValue.path(str(path)), "bytes": path.stat().st_size})

    return consortium


def build_social_report_asset(dbt_assets: AssetsDefinition) -> AssetsDefinition:
    marts = [get_asset_key_for_model([dbt_assets], m) for m in (SOCIAL_MART, "mart_build_info")]

    @asset(key=SOCIAL_REPORT_KEY, deps=marts, group_name="report", owners=["team:data-engineering"], kinds={"html"},
           description="The social report sheets (bilancio sociale) of the latest complete year: a printable page "
                       "per organisation and one consolidated for the consortium "
                       "(orchestration/report/social_sheet.py).")
    def social(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
        con = warehouse.connect(read_only=True)
        try:
            con.execute("SET search_path = 'marts'")
            as_of = con.execute("SELECT strftime(as_of, '%Y-%m-%dT%H:%M:%SZ') FROM mart_build_info").fetchall()[0][0]
            year = latest_complete_year(con, as_of)
            registry = load_registry()
            names = {feed.org_id: feed.name for feed in registry.organisations()}
            written = [] if year is None else write_sheets(
                con, year, social_report_dir(warehouse.file) / str(year), sheets_k(registry.partners), names=names)
        finally:
            con.close()
        return MaterializeResult(metadata={"year": year, "sheets": len(written), "folder": MetadataValue.path(
            str(social_report_dir(warehouse.file) / str(year))) if year else "no complete year yet"})

    return social
