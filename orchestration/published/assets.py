"""The readers' catalog as an asset: swapped in after the marts and the lake in every run."""

from dagster import AssetExecutionContext, AssetsDefinition, MaterializeResult, MetadataValue, asset

from orchestration.core.asset_keys import LAKE_KEY, PUBLISHED_KEY
from orchestration.core.resources import Warehouse
from orchestration.core.settings import lake_dir, published_catalog
from orchestration.published.catalog import GENERATIONS, publish


def build_published_asset(dbt_assets: AssetsDefinition) -> AssetsDefinition:
    marts = [key for key in dbt_assets.keys if key.path[0] == "marts"]

    @asset(key=PUBLISHED_KEY, deps=[*marts, LAKE_KEY], group_name="published", owners=["team:data-engineering"],
           kinds={"duckdb", "parquet"},
           description="What analysts and notebooks open (read_only=True): published/coopmetrics.duckdb, views "
                       "over this run's marts as Parquet and over the lake's event store, ledger and quarantine. "
                       "Swapped in whole at the end of each run, so a reader never holds a run up and never sees "
                       f"half of one; the last {GENERATIONS} generations are kept.")
    def published(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
        con = warehouse.connect(read_only=True)
        try:
            done = publish(con, published_catalog(warehouse.file), lake_dir(warehouse.file),
                           context.run_id or "manual")
        finally:
            con.close()
        if done.removed:
            context.log.info(f"removed {len(done.removed)} older generation(s): {', '.join(done.removed)}")
        return MaterializeResult(metadata={
            "catalog": MetadataValue.path(str(done.catalog)), "generation": done.generation,
            "marts": len(done.marts), "lake_tables": ", ".join(done.lake_tables) or "none yet"})

    return published
