"""The landing-batch suite: what a resolved batch of one file must satisfy
before it is appended to the event store (which is append-only: what gets in
cannot be taken out, so this is the last gate).

It owns the record rules that must hold on anything about to be stored:
the feed's own organisation, a type/version pair that has a schema, an
identifier of the schema's shape, a content hash, and pseudonymisation done
(no at-sign left); a batch breaking one is unsafe to append and is
quarantined, that feed's batch alone. It also warns (never rejects) when a
file's quarantined share is above its feed's `warn_quarantined_share`: each
record is judged on its own, so the valid records of a messy file are
stored. Types, versions and the identifier pattern come from
sources/schemas.

The suite reads the batch's profile (ingest/sql/landing_profile.sql), not
every record: the distinct values of each checked column, the distinct
characters and lengths of the identifier-like ones, each with the first line
it occurs on. Every record rule below holds for all records exactly when it
holds for every profile row, so nothing is sampled away, and GX validates a
frame of tens of rows, not one of a row per record. The rules are judged on
the ingest path without GX; GX validates the same profile afterwards, when
the event-store suite's step records the verdict for the Data Docs."""

from __future__ import annotations

import re
from typing import Any

from expectations.profile_rules import ProfileRule
from orchestration.core.registry import Feed
from orchestration.core.schemas import envelope_schema, load_event_schemas

KEY_COLUMNS = ["source_line"]
# Below this many records in a file its share says little: one bad line of three is not
# corruption (the profile has no share for such a file).
MIN_RECORDS_FOR_SHARE = 20
CONTENT_HASH_LENGTH = 64  # sha256 in hex
AT_SIGNS = "[@\uFF20\uFE6B]"
_CHARACTER_CLASS = re.compile(r"^\^(\[[^\]]+\])\{(\d+),(\d+)\}\$$")


def character_rule(pattern: str) -> tuple[str, int, int]:
    """`^[class]{m,n}$` as (a regex one character must match, m, n): a value
    matches the pattern exactly when each of its characters matches the
    class and its length is between m and n."""
    match = _CHARACTER_CLASS.match(pattern)
    if not match:
        raise ValueError(f"{pattern!r} is not one character class with a length range")
    return f"^{match.group(1)}$", int(match.group(2)), int(match.group(3))


def landing_rules(feed: Feed) -> list[ProfileRule]:
    """Rules for the profile of one batch (the profile covers the records to
    be stored or counted as duplicates, quarantined ones are already on their
    way to raw.quarantine; and the quarantined share of each file of the
    batch with at least MIN_RECORDS_FOR_SHARE records). Judged on the ingest
    path without GX (profile_rules.judge); GX validates the same profile when
    it records the verdict (landing_expectations)."""
    schemas = load_event_schemas()
    id_character, id_min, id_max = character_rule(envelope_schema()["properties"]["event_id"]["pattern"])
    return [
        ProfileRule("in_set", "org_id", value_set=(feed.org_id,)),
        ProfileRule("in_set", "type_version", value_set=tuple(f"{t}/v{v}" for t, v in sorted(schemas))),
        ProfileRule("match_regex", "event_id_character", regex=id_character),
        ProfileRule("between", "event_id_length", min_value=id_min, max_value=id_max),
        ProfileRule("between", "content_hash_length", min_value=CONTENT_HASH_LENGTH, max_value=CONTENT_HASH_LENGTH),
        # pseudonymisation happened: no e-mail address (no at-sign, plain, full-width or small) is about
        # to be stored
        ProfileRule("not_match_regex", "actor_ref_character", regex=AT_SIGNS),
        ProfileRule("not_match_regex", "person_ref_character", regex=AT_SIGNS),
        ProfileRule("between", "quarantined_share", severity="warning", min_value=0,
                    max_value=feed.warn_quarantined_share),
    ]


def landing_expectations(feed: Feed) -> list[Any]:
    """The landing rules as GX expectations."""
    return [rule.expectation() for rule in landing_rules(feed)]
