"""Partner extracts: Parquet files with a verifiable manifest."""
