"""The warehouse as readers see it: a catalog of views over Parquet that each run swaps in whole."""

from pathlib import Path

SQL_DIR = Path(__file__).parent / "sql"
