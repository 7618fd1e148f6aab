"""Where things are. Every path is anchored on the project root, never on the
current directory, and one environment variable names the warehouse for
Dagster, dbt and the CLI alike."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WAREHOUSE_ENV = "COOPMETRICS_WAREHOUSE"
REGISTRY_ENV = "COOPMETRICS_REGISTRY"
PEPPER_ENV = "COOPMETRICS_PEPPER"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse" / "coopmetrics.duckdb"
DEFAULT_REGISTRY = PROJECT_ROOT / "sources" / "registry.yml"
SCHEMAS_DIR = PROJECT_ROOT / "sources" / "schemas"
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
# a file a CLI run appends one JSON line a stage to (name, seconds, figures): what the bench reads
STAGE_LOG_ENV = "COOPMETRICS_STAGE_LOG"
DAGSTER_HOME_ENV = "DAGSTER_HOME"
DEFAULT_DAGSTER_HOME = PROJECT_ROOT / ".dagster_home"
INSTANCE_YAML = PROJECT_ROOT / "orchestration" / "instance" / "dagster.yaml"


def _anchored(value: str | None, default: Path) -> Path:
    if not value:
        return default
    path = Path(value).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def warehouse_path() -> Path:
    """The DuckDB file named by COOPMETRICS_WAREHOUSE (relative paths are
    taken from the project root)."""
    return _anchored(os.environ.get(WAREHOUSE_ENV), DEFAULT_WAREHOUSE)


def dagster_home() -> Path:
    """Where Dagster keeps run history: DAGSTER_HOME, else `.dagster_home`
    under the project (what `make dev` shows), made with the project's
    instance settings (one run at a time on the warehouse, no telemetry)."""
    import shutil

    home = _anchored(os.environ.get(DAGSTER_HOME_ENV), DEFAULT_DAGSTER_HOME)
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copyfile(INSTANCE_YAML, home / "dagster.yaml")
    return home


def registry_path() -> Path:
    return _anchored(os.environ.get(REGISTRY_ENV), DEFAULT_REGISTRY)


def extracts_dir(warehouse: Path | None = None) -> Path:
    """Extracts live beside the warehouse file they were cut from."""
    return (warehouse or warehouse_path()).parent / "extracts"


def report_path(warehouse: Path | None = None) -> Path:
    """The consortium report lives beside the warehouse it reads."""
    return (warehouse or warehouse_path()).parent / "report" / "index.html"


def social_report_dir(warehouse: Path | None = None) -> Path:
    """The social report sheets (one folder a year) live beside the warehouse they read."""
    return (warehouse or warehouse_path()).parent / "social_report"


def quality_dir(warehouse: Path | None = None) -> Path:
    """GX Data Docs live beside the warehouse they describe."""
    return (warehouse or warehouse_path()).parent / "quality"


def dbt_executable() -> str:
    """The pinned dbt installed beside this Python (the venv's), so the CLI
    works without an activated venv and never picks another dbt from PATH;
    PATH only when there is none beside it. It is dbt's command line through
    our launcher (orchestration/transform/dbt_launcher.py), which answers
    `--version` without importing dbt."""
    import shutil
    import sys

    beside = Path(sys.executable).parent / "coopmetrics-dbt"
    return str(beside) if beside.exists() else (shutil.which("coopmetrics-dbt") or str(beside))


def lake_dir(warehouse: Path | None = None) -> Path:
    """The event store as partitioned Parquet lives beside the warehouse file."""
    return (warehouse or warehouse_path()).parent / "lake"


def published_catalog(warehouse: Path | None = None) -> Path:
    """The readers' catalog (orchestration/published): what analysts and notebooks open."""
    return (warehouse or warehouse_path()).parent / "published" / "coopmetrics.duckdb"
