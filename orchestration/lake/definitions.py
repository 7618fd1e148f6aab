"""The lake's part of the code location: the event store as partitioned Parquet."""

from dagster import Definitions

from orchestration.lake.assets import lake_events


def lake_definitions() -> Definitions:
    return Definitions(assets=[lake_events])
