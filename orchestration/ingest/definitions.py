"""Ingest's part of the code location: the event store, a partition a feed
of the registry."""

from dagster import Definitions

from orchestration.core.registry import load_registry
from orchestration.ingest.assets import build_ingest_assets


def ingest_definitions() -> Definitions:
    return Definitions(assets=[build_ingest_assets(load_registry())])
