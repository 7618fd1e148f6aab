"""A suite's rules declared once, as data. Each rule is judged on the rows of
a profile (a few tens of distinct values, not the records) in plain Python
where GX must not be loaded (the ingest path: importing it takes seconds),
and becomes the GX expectation that validates the same profile afterwards,
so the Data Docs show the verdict. A rule reads the profile as GX's pandas
engine does: a NULL is not judged, a regex is searched (not matched whole),
bounds are inclusive; the failures name the same values and keys, in the
suite's order (a test holds the two to the same failures)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from expectations.validate import SAMPLE_KEYS, ExpectationFailure, SuiteOutcome

_GX_CLASSES = {"in_set": "ExpectColumnValuesToBeInSet", "match_regex": "ExpectColumnValuesToMatchRegex",
               "not_match_regex": "ExpectColumnValuesToNotMatchRegex", "between": "ExpectColumnValuesToBeBetween"}


@dataclass(frozen=True)
class ProfileRule:
    kind: str  # in_set | match_regex | not_match_regex | between
    column: str
    severity: str = "critical"  # critical rejects; warning is said
    value_set: tuple[Any, ...] = ()
    regex: str = ""
    min_value: float | None = None
    max_value: float | None = None

    @property
    def expectation_type(self) -> str:
        """GX's name of the expectation (expect_column_values_to_be_in_set)."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", _GX_CLASSES[self.kind]).lower()

    def holds(self, value: Any) -> bool:
        if self.kind == "in_set":
            return value in self.value_set
        if self.kind in ("match_regex", "not_match_regex"):
            return (re.search(self.regex, str(value)) is not None) == (self.kind == "match_regex")
        return ((self.min_value is None or value >= self.min_value)
                and (self.max_value is None or value <= self.max_value))

    def expectation(self) -> Any:
        """The GX expectation of the rule (importing GX)."""
        import great_expectations as gx

        arguments: dict[str, Any] = {"column": self.column, "severity": self.severity}
        if self.kind == "in_set":
            arguments["value_set"] = list(self.value_set)
        elif self.kind == "between":
            arguments.update(min_value=self.min_value, max_value=self.max_value)
        else:
            arguments["regex"] = self.regex
        return getattr(gx.expectations, _GX_CLASSES[self.kind])(**arguments)


def judge(suite: str, table: str, rows: list[dict[str, Any]], rules: list[ProfileRule],
          key_columns: list[str]) -> SuiteOutcome:
    """The rules on a profile's rows: the outcome GX's validation of the same frame gives (without its
    JSON, which GX writes when it records the verdict)."""
    outcome = SuiteOutcome(suite, table, len(rows), len(rules))
    for rule in rules:
        broken = [row for row in rows if row[rule.column] is not None and not rule.holds(row[rule.column])]
        if broken:
            outcome.failures.append(ExpectationFailure(
                rule.expectation_type, rule.column, rule.severity, len(broken),
                ["/".join(str(row[k]) for k in key_columns) for row in broken[:SAMPLE_KEYS]],
                [repr(row[rule.column]) for row in broken[:SAMPLE_KEYS]], profile=True))
    return outcome
