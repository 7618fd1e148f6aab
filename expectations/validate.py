"""Validate a bounded batch (a pandas DataFrame) against a suite and say what
failed: which table, which column, how many rows, a sample of keys."""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

SAMPLE_KEYS = 5
DOCS_LIST_ITEMS = 20  # values kept per expectation in the stored result: a failing 200k-row batch stays small


def _trimmed(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _trimmed(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_trimmed(v) for v in node[:DOCS_LIST_ITEMS]]
    return node


@dataclass
class ExpectationFailure:
    expectation: str
    column: str | None
    severity: str  # critical | warning | info
    unexpected_count: int
    sample_keys: list[str]
    # on a profile frame a row is a distinct value, and the values are the finding
    sample_values: list[str] = field(default_factory=list)
    profile: bool = False

    def describe(self, table: str) -> str:
        where = f"{table}.{self.column}" if self.column else table
        unit = "distinct value(s)" if self.profile else "row(s)"
        values = f" ({', '.join(self.sample_values)})" if self.sample_values else ""
        sample = f"; e.g. {', '.join(self.sample_keys)}" if self.sample_keys else ""
        return f"{where}: {self.expectation} failed for {self.unexpected_count} {unit}{values}{sample}"


@dataclass
class SuiteOutcome:
    suite: str
    table: str
    rows: int
    evaluated: int
    failures: list[ExpectationFailure] = field(default_factory=list)
    # the GX validation result and suite as JSON (lists trimmed), for Data Docs
    result_json: dict[str, Any] = field(default_factory=dict)
    suite_json: dict[str, Any] = field(default_factory=dict)
    # with validate_frame's split_by: the failures of each value of that column, as a frame of its rows
    # alone would give them (only the values with a failure are keys)
    failures_by: dict[Any, list[ExpectationFailure]] = field(default_factory=dict)

    @property
    def errors(self) -> list[ExpectationFailure]:
        return [f for f in self.failures if f.severity == "critical"]

    @property
    def warnings(self) -> list[ExpectationFailure]:
        return [f for f in self.failures if f.severity != "critical"]

    def message(self) -> str:
        if not self.failures:
            return f"{self.suite}: {self.evaluated} expectations passed on {self.rows} row(s) of {self.table}"
        return "; ".join(f.describe(self.table) for f in self.failures)


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds (messages show 1, not np.int64(1))."""
    return value.item() if hasattr(value, "item") and hasattr(value, "dtype") else value


def _context() -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def _failure(config: Any, entries: list[Any], count: int, key_columns: list[str], values: list[Any],
             profile: bool) -> ExpectationFailure:
    sample = ["/".join(str(entry.get(k)) for k in key_columns) if isinstance(entry, dict) else str(entry)
              for entry in entries[:SAMPLE_KEYS]]
    severity = getattr(config.severity, "value", str(config.severity)).lower()
    return ExpectationFailure(
        config.type, config.kwargs.get("column") or ",".join(config.kwargs.get("column_list", []) or []) or None,
        severity, count, sample, [repr(_plain(v)) for v in values[:SAMPLE_KEYS]] if profile else [], profile)


def validate_frame(suite_name: str, table: str, frame: pd.DataFrame, expectations: list[Any],
                   key_columns: list[str], profile: bool = False, split_by: str | None = None) -> SuiteOutcome:
    """Run the expectations on the frame; keys of failing rows are sampled
    from `key_columns`. A `profile` frame holds distinct values, not records:
    failures then name the values found. With `split_by` (a column, for
    row-wise expectations only), the failures are also said for each of its
    values, as validating that value's rows alone says them (failures_by):
    one validation stands for many small frames."""
    import great_expectations as gx

    context = _context()
    # the suite is stored once, whole: adding expectations one by one re-serialises it each time. A
    # suite takes ownership of its expectation objects, so each suite gets its own copies: the same
    # rules validate every batch of a table
    suite = context.suites.add(gx.ExpectationSuite(name=suite_name,
                                                   expectations=[copy.copy(e) for e in expectations]))
    source = context.data_sources.add_pandas(f"{suite_name}_source")
    batch_definition = source.add_dataframe_asset(name=table).add_batch_definition_whole_dataframe("batch")
    frame = frame.reset_index(drop=True)
    index_columns = [split_by, *key_columns] if split_by else key_columns
    result = batch_definition.get_batch(batch_parameters={"dataframe": frame}).validate(
        suite, result_format={"result_format": "COMPLETE", "unexpected_index_column_names": index_columns}
    )
    outcome = SuiteOutcome(suite_name, table, len(frame), len(result.results),
                           result_json=_trimmed(result.to_json_dict()), suite_json=suite.to_json_dict())
    groups = list(dict.fromkeys(frame[split_by].tolist())) if split_by else []
    for item in result.results:
        if item.success:
            continue
        config, details = item.expectation_config, item.result or {}
        entries = details.get("unexpected_index_list") or []
        outcome.failures.append(_failure(
            config, entries, int(details.get("unexpected_count") or (1 if not details else 0)),
            index_columns, details.get("partial_unexpected_list") or [], profile))
        if not split_by:
            continue
        if not entries:  # GX said no rows (an expectation that raised): every part fails with it
            for group in groups:
                outcome.failures_by.setdefault(group, []).append(_failure(
                    config, [], int(details.get("unexpected_count") or 1), key_columns, [], profile))
            continue
        column = config.kwargs["column"]
        for group in groups:
            mine = [entry for entry in entries if _plain(entry[split_by]) == group]
            if mine:
                outcome.failures_by.setdefault(group, []).append(_failure(
                    config, mine, len(mine), key_columns, [entry[column] for entry in mine], profile))
    return outcome
