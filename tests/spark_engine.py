"""The same dbt project on local Spark (dbt-spark session mode), and a
cell-by-cell comparison of its marts with DuckDB's.

dbt-spark lives in its own venv (`make spark-venv`): installed beside
great-expectations it breaks `import great_expectations`. Spark reads the
lake export of the event store; its catalogue and tables live in a folder of
the test's own. The marts Spark writes are Parquet tables under
`<spark dir>/warehouse/<schema>.db/<table>/`, which DuckDB reads directly,
so both engines' results meet in one SQL comparison."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.core.marts import mart_contracts
from orchestration.core.settings import DBT_PROJECT_DIR, PROJECT_ROOT

SPARK_DBT = PROJECT_ROOT / ".venv-spark" / "bin" / "dbt"
RATIO_TOLERANCE = 1e-9


def spark_dbt_build(lake: Path, spark_dir: Path, as_of: str) -> str:
    """`dbt build --target spark` (models and data tests) on the lake; the output on success."""
    assert SPARK_DBT.exists(), f"{SPARK_DBT} is missing: `make test-spark` installs it"
    args = [str(SPARK_DBT), "build", "--target", "spark", "--target-path", str(spark_dir / "dbt_target"),
            "--log-path", str(spark_dir / "logs"),
            "--vars", json.dumps({"lake_path": str(lake), "as_of": as_of})]
    env = {**os.environ, "COOPMETRICS_SPARK_DIR": str(spark_dir), "DO_NOT_TRACK": "1"}
    done = subprocess.run(args, cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    return done.stdout


@dataclass
class MartDifference:
    mart: str
    duckdb_rows: int
    spark_rows: int
    only_in_duckdb: int = 0
    only_in_spark: int = 0
    cells: dict[str, list[tuple]] = field(default_factory=dict)  # column -> (grain..., duckdb, spark) examples

    @property
    def equal(self) -> bool:
        return not (self.only_in_duckdb or self.only_in_spark or self.cells) and self.duckdb_rows == self.spark_rows


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _same(column: str, data_type: str) -> str:
    left, right = f"d.{_quoted(column)}", f"s.{_quoted(column)}"
    if data_type in ("DOUBLE", "FLOAT", "REAL"):
        # ratios agree to 1e-9; NULL only matches NULL
        return (f"(({left} IS NULL AND {right} IS NULL) OR abs({left} - {right}) <= {RATIO_TOLERANCE})")
    # money is DECIMAL(38, 2) on both: equal to the cent; everything else exactly
    return f"{left} IS NOT DISTINCT FROM {right}"


def compare_mart(con: duckdb.DuckDBPyConnection, mart: str, spark_table: Path) -> MartDifference:
    columns = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = 'duck' AND table_schema = 'marts' AND table_name = ? ORDER BY ordinal_position",
        [mart]).fetchall()
    types = dict(columns)
    casts = ", ".join(f"CAST({_quoted(c)} AS {t}) AS {_quoted(c)}" for c, t in columns)
    assert spark_table.is_dir(), f"Spark built no table {mart} (looked in {spark_table})"
    files = sorted(str(p) for p in spark_table.glob("*.parquet"))
    spark_rows = f"SELECT {casts} FROM read_parquet({files!r})" if files else \
        f"SELECT {casts} FROM duck.marts.{_quoted(mart)} WHERE false"
    con.execute(f"CREATE OR REPLACE TEMP VIEW spark_side AS {spark_rows}")
    contract = mart_contracts().get(mart)
    grain = list(contract.grain) if contract and contract.grain else \
        [c for c, t in columns if t not in ("DOUBLE", "FLOAT", "REAL")]
    on = " AND ".join(f"d.{_quoted(c)} IS NOT DISTINCT FROM s.{_quoted(c)}" for c in grain)
    joined = (f"FROM (SELECT *, true AS in_d FROM duck.marts.{_quoted(mart)}) AS d "
              f"FULL OUTER JOIN (SELECT *, true AS in_s FROM spark_side) AS s ON {on}")
    difference = MartDifference(
        mart, con.execute(f"SELECT count(*) FROM duck.marts.{_quoted(mart)}").fetchone()[0],
        con.execute("SELECT count(*) FROM spark_side").fetchone()[0])
    difference.only_in_duckdb, difference.only_in_spark = con.execute(
        f"SELECT count(*) FILTER (WHERE s.in_s IS NULL), count(*) FILTER (WHERE d.in_d IS NULL) {joined}").fetchone()
    keys = ", ".join(f"d.{_quoted(c)}" for c in grain)
    for column in (c for c, _ in columns if c not in grain):
        examples = con.execute(
            f"SELECT {keys}, d.{_quoted(column)}, s.{_quoted(column)} {joined} "
            f"WHERE d.in_d AND s.in_s AND NOT {_same(column, types[column])} LIMIT 3").fetchall()
        if examples:
            difference.cells[column] = examples
    return difference


def compare_marts(duckdb_warehouse: Path, spark_dir: Path) -> list[MartDifference]:
    """Every table of DuckDB's marts schema against Spark's table of that name."""
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"ATTACH '{duckdb_warehouse}' AS duck (READ_ONLY)")
        marts = [name for (name,) in con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_catalog = 'duck' AND table_schema = 'marts' ORDER BY table_name").fetchall()]
        return [compare_mart(con, mart, spark_dir / "warehouse" / "marts.db" / mart) for mart in marts]
    finally:
        con.close()
