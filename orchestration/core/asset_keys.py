"""The asset keys layers name each other by, so that a check or a job
refers to an asset without importing the layer that defines it. dbt's
models are keyed `<schema>/<model>` by dagster-dbt; `mart_key` spells that
key for the marts the checks reconcile."""

from dagster import AssetKey

EVENTS_KEY = AssetKey(["raw", "events"])
ORGANISATIONS_KEY = AssetKey(["raw", "organisations"])
# the registry's impact catalogue: a change to it alone rebuilds only what reads these
CATALOGUE_KEYS = (AssetKey(["raw", "outcome_catalogue"]), AssetKey(["raw", "impact_settings"]))
# what the ingest step materialises, all at once
STORE_KEYS = (EVENTS_KEY, ORGANISATIONS_KEY, *CATALOGUE_KEYS)
REPORT_KEY = AssetKey(["report", "consortium"])
SOCIAL_REPORT_KEY = AssetKey(["report", "social"])
EXTRACTS_PREFIX = "extracts"


def mart_key(model: str) -> AssetKey:
    return AssetKey(["marts", model])


def extract_key(partner_name: str) -> AssetKey:
    return AssetKey([EXTRACTS_PREFIX, partner_name])
LAKE_KEY = AssetKey(["lake", "events"])
PUBLISHED_KEY = AssetKey(["published", "catalog"])
# the metadata of an output a dbt step yields for a model it kept, and of a check result it restates
KEPT_METADATA = "coopmetrics/kept"
RESTATED_METADATA = "coopmetrics/checked_by_run"
