"""The checks of every stage: the event-store suite, the marts suites on
the dbt models, freshness and volume of the feeds, the
reconciliations."""

from dagster import Definitions

from orchestration.quality.event_store import event_store_suite
from orchestration.quality.feed_freshness import feed_volume, feeds_fresh
from orchestration.quality.reconcile import RECONCILIATIONS
from orchestration.quality.table_suites import build_table_suite_checks
from orchestration.transform.assets import dbt_models


def quality_definitions() -> Definitions:
    return Definitions(asset_checks=[event_store_suite, *build_table_suite_checks(dbt_models),
                                     feeds_fresh, feed_volume, *RECONCILIATIONS])
