"""Shared fixtures: a real DuckDB file in a temporary folder, real dbt (the
venv's `dbt` first on PATH), Dagster in-process. The dbt manifest is built
once per session when it is missing, as `make manifest` would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.core.settings import PEPPER_ENV, PROJECT_ROOT, REGISTRY_ENV, WAREHOUSE_ENV

VENV_BIN = Path(sys.executable).parent
os.environ["PATH"] = f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"
for variable, value in {"DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
                        "GX_ANALYTICS_ENABLED": "False", "DAGSTER_DISABLE_TELEMETRY": "true"}.items():
    os.environ.setdefault(variable, value)
MANIFEST = PROJECT_ROOT / "dbt_project" / "target" / "manifest.json"


def pytest_sessionstart(session: pytest.Session) -> None:
    if not MANIFEST.exists():
        subprocess.run(
            [str(VENV_BIN / "dagster-dbt"), "project", "prepare-and-package",
             "--file", str(PROJECT_ROOT / "orchestration" / "transform" / "project.py")],
            check=True, cwd=PROJECT_ROOT, capture_output=True,
        )


@pytest.fixture(autouse=True, scope="session")
def never_the_project_warehouse(tmp_path_factory: pytest.TempPathFactory):
    """A test that forgets the `warehouse` fixture writes into a throwaway
    file, never the project's own warehouse (one did once: six foreign events
    sat in the demo store until `make run` failed its spillover
    reconciliation on them)."""
    patch = pytest.MonkeyPatch()
    patch.setenv(WAREHOUSE_ENV, str(tmp_path_factory.mktemp("default-warehouse") / "coopmetrics.duckdb"))
    # and never into the project's own run history
    patch.setenv("DAGSTER_HOME", str(tmp_path_factory.mktemp("dagster-home")))
    yield
    patch.undo()


@pytest.fixture
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """COOPMETRICS_WAREHOUSE points at a fresh file in a temp dir, and
    DAGSTER_HOME at a fresh instance beside it."""
    path = tmp_path / "wh" / "coopmetrics.duckdb"
    monkeypatch.setenv(WAREHOUSE_ENV, str(path))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    monkeypatch.delenv(PEPPER_ENV, raising=False)
    return path


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write a registry (and optionally files) into a temp folder and point
    COOPMETRICS_REGISTRY at it."""

    def write(text: str, files: dict[str, bytes | str] | None = None) -> Path:
        root = tmp_path / "feeds"
        root.mkdir(exist_ok=True)
        for name, content in (files or {}).items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                target.write_text(content, encoding="utf-8")
            else:
                target.write_bytes(content)
        path = root / "registry.yml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv(REGISTRY_ENV, str(path))
        return path

    return write


@pytest.fixture(scope="session")
def marts(tmp_path_factory):
    """The hand-checked consortium's warehouse, marts and extracts built
    (see tests/hand_checked.py); COOPMETRICS_WAREHOUSE/REGISTRY point at it."""
    from tests.hand_checked import build_hand_checked

    db, patch = build_hand_checked(tmp_path_factory.mktemp("hand"))
    yield db
    patch.undo()
