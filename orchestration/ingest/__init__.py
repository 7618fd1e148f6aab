"""Ingest: landed files to the append-only event store."""

from pathlib import Path

SQL_DIR = Path(__file__).parent / "sql"
