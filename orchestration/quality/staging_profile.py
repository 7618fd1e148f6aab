"""The staging suite on a profile of what arrived: a typed staging model's
rows since its suite last passed are read once into a temporary table, and
the suite (expectations/staging.py, turned into its profile form by
expectations/profile.py) validates their representative values, a few rows
a column whatever the number of events. DuckDB reduces the rows; GX
judges the reduction."""

import duckdb

from expectations.profile import CHARACTERS, NULLS, profile_expectations, profile_plan
from expectations.staging import KEY_COLUMNS
from expectations.validate import SuiteOutcome, validate_frame
from orchestration.core.warehouse import run_sql, sql_identifier, sql_text
from orchestration.quality.event_store import QUALITY_SQL


def _part(name: str, column: str, alias: str | None = None) -> str:
    text = sql_text(name, QUALITY_SQL).replace("{{ rule_column }}", sql_identifier(column))
    return text.replace("{{ alias }}", sql_identifier(alias)) if alias else text


def profile_query(rules: list) -> str:
    """One query: every column's representatives, UNION ALL BY NAME."""
    parts = []
    for column, wanted in profile_plan(rules).items():
        if column in KEY_COLUMNS:
            raise ValueError(f"{column} is a rule column and the profile's key: rename it (expectations/staging.py)")
        if wanted.distinct:
            parts.append(_part("profile_distinct.sql", column))
        if wanted.extremes or wanted.lengths:
            parts.append(_part("profile_extremes.sql", column))
        if wanted.characters:
            parts.append(_part("profile_characters.sql", column, column + CHARACTERS))
        if wanted.nulls:
            parts.append(_part("profile_nulls.sql", column, column + NULLS))
    return "\nUNION ALL BY NAME\n".join(f"({part})" for part in parts)


def validate_staging_profile(con: duckdb.DuckDBPyConnection, suite: str, relation: str, rules: list,
                             watermark: str) -> list[SuiteOutcome]:
    """Validate the model's new rows through their profile; the watermark
    moves to the last row read when the suite found no ERROR."""
    columns = ", ".join(sql_identifier(c) for c in profile_plan(rules))
    source = sql_text("profile_source.sql", QUALITY_SQL).replace("{{ relation }}", sql_identifier(relation))
    run_sql(con, source.replace("{{ columns }}", columns), {"check_name": watermark})
    try:
        rows, high = con.execute("SELECT count(*), max(event_seq) FROM profile_source").fetchall()[0]
        if not rows:
            return []
        frame = con.execute(profile_query(rules)).fetch_df()
    finally:
        con.execute("DROP TABLE IF EXISTS profile_source")
    outcome = validate_frame(f"{suite}.{relation}", f"staging.{relation}", frame, profile_expectations(rules),
                             KEY_COLUMNS, profile=True)
    outcome.rows = rows  # the rows the profile stands for
    if not outcome.errors:
        run_sql(con, sql_text("advance_watermark.sql", QUALITY_SQL),
                {"check_name": watermark, "validated_through": high})
    return [outcome]
