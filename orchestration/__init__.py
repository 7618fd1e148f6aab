"""coopmetrics: the Dagster code location of the consortium data pipeline."""
