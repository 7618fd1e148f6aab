"""The Dagster code location: each layer's definitions, merged."""

from dagster import Definitions

from orchestration.automation.definitions import automation_definitions
from orchestration.core.definitions import core_definitions
from orchestration.extracts.definitions import extracts_definitions
from orchestration.ingest.definitions import ingest_definitions
from orchestration.lake.definitions import lake_definitions
from orchestration.published.definitions import published_definitions
from orchestration.quality.definitions import quality_definitions
from orchestration.report.definitions import report_definitions
from orchestration.transform.definitions import transform_definitions


def build_definitions() -> Definitions:
    return Definitions.merge(core_definitions(), ingest_definitions(), lake_definitions(), transform_definitions(),
                             quality_definitions(), report_definitions(), extracts_definitions(),
                             published_definitions(), automation_definitions())


defs = build_definitions()
