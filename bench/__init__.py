"""Benchmarks: `make bench`. Figures are ratios against a bare DuckDB
baseline measured in the same run, never timed assertions in tests."""
