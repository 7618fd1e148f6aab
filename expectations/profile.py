"""A column suite turned into the suite of a profile: the same rules, read
from a few representative values of each column instead of every row.

For each rule on a column X, the profile holds values of X for which the
rule holds exactly when it holds for every row:
- in set: X's distinct values;
- between: X's least and greatest values;
- value lengths between: X's shortest and longest values;
- a pattern that is one character class with a length range (`^[...]{m,n}$`,
  `^[...]*$`): each distinct character of X (the column `X__characters`,
  checked against the class alone) and X's shortest and longest values
  (checked against the whole pattern: the length range); any other
  pattern: X's distinct values;
- not null: X's count of NULLs (the column `X__nulls`), which must be 0.
So the verdict of every rule is the one it has on the rows. A failure
counts representatives, not rows, and names them with a record holding
each (KEY columns): for a range, the extreme beyond it, not every value
beyond it."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

_ONE_CLASS = re.compile(r"^\^(\[[^\]]+\])(?:\{(\d+),(\d+)\}|(\*))\$$")
NULLS, CHARACTERS = "__nulls", "__characters"


def per_character(pattern: str) -> tuple[str, int, int | None] | None:
    """`^[class]{m,n}$` or `^[class]*$` as (a regex one character must
    match, m, n or None); None for any other pattern."""
    match = _ONE_CLASS.match(pattern)
    if not match:
        return None
    if match.group(4):
        return f"^{match.group(1)}$", 0, None
    return f"^{match.group(1)}$", int(match.group(2)), int(match.group(3))


@dataclass
class ColumnProfile:
    """What the profile must hold of one column."""
    distinct: bool = False  # every distinct value
    extremes: bool = False  # least and greatest
    lengths: bool = False  # shortest and longest
    nulls: bool = False  # the count of NULLs
    characters: bool = False  # every distinct character
    rules: list[Any] = field(default_factory=list)


def _kind(expectation: Any) -> str:
    return expectation.expectation_type


def profile_plan(expectations: list[Any]) -> dict[str, ColumnProfile]:
    """Column -> the representatives its rules need."""
    plan: dict[str, ColumnProfile] = {}
    for expectation in expectations:
        column = expectation.column
        wanted = plan.setdefault(column, ColumnProfile())
        kind = _kind(expectation)
        if kind == "expect_column_values_to_not_be_null":
            wanted.nulls = True
        elif kind == "expect_column_values_to_be_in_set":
            wanted.distinct = True
        elif kind == "expect_column_values_to_be_between":
            wanted.extremes = True
        elif kind == "expect_column_value_lengths_to_be_between":
            wanted.lengths = True
        elif kind in ("expect_column_values_to_match_regex", "expect_column_values_to_not_match_regex"):
            shape = per_character(expectation.regex) if kind.endswith("_to_match_regex") else None
            if shape is None or kind.startswith("expect_column_values_to_not"):
                wanted.distinct = True
            else:
                wanted.characters = wanted.lengths = True
        else:
            raise ValueError(f"{kind} on {column} has no profile form")
        wanted.rules.append(expectation)
    return plan


def profile_expectations(expectations: list[Any]) -> list[Any]:
    """The suite of the profile: each rule on its representatives (copies;
    a not-null rule becomes 'X__nulls between 0 and 0', a per-character
    pattern also applies to X__characters)."""
    import great_expectations as gx

    out = []
    for expectation in expectations:
        kind, column = _kind(expectation), expectation.column
        severity = {"severity": expectation.severity}
        if kind == "expect_column_values_to_not_be_null":
            out.append(gx.expectations.ExpectColumnValuesToBeBetween(column=column + NULLS, min_value=0, max_value=0,
                                                                     **severity))
            continue
        out.append(copy.copy(expectation))
        if kind == "expect_column_values_to_match_regex" and per_character(expectation.regex):
            shape = per_character(expectation.regex)
            out.append(gx.expectations.ExpectColumnValuesToMatchRegex(column=column + CHARACTERS, regex=shape[0],
                                                                      **severity))
    return out
