"""The event store as partitioned Parquet, for engines beyond one machine."""

from pathlib import Path

SQL_DIR = Path(__file__).parent / "sql"
