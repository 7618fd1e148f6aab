"""The partitioned Parquet copy of the event store as an asset, kept up to
date after each ingest: each materialisation writes only what is new."""

import pyarrow as pa
from dagster import AssetExecutionContext, MaterializeResult, MetadataValue, asset

from orchestration.core.asset_keys import EVENTS_KEY, LAKE_KEY
from orchestration.core.resources import Warehouse
from orchestration.core.settings import lake_dir
from orchestration.lake.export import MANIFEST, export_lake


@asset(key=LAKE_KEY, deps=[EVENTS_KEY], group_name="lake", owners=["team:data-engineering"], kinds={"parquet"},
       description="The event store, its ingest ledger and its quarantine as Parquet partitioned by organisation "
                   "and month (Hive layout, UTC timestamps), beside the warehouse in lake/: what Spark reads when "
                   "the project outgrows one machine. Incremental: new files only; _lake.json lists them.")
def lake_events(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    root = lake_dir(warehouse.file)
    con = warehouse.connect(read_only=True)
    try:
        export = export_lake(con, root)
    finally:
        con.close()
        pa.default_memory_pool().release_unused()  # the writer's buffers, before the next stage
    if export.removed:
        context.log.warning(f"removed {len(export.removed)} file(s) a stopped export had left in {root}")
    return MaterializeResult(metadata={
        "path": MetadataValue.path(str(root)), "manifest": MetadataValue.path(str(root / MANIFEST)),
        "events_written": export.events, "ledger_rows_written": export.ledger_rows,
        "quarantined_written": export.quarantined, "files_written": len(export.files)})
