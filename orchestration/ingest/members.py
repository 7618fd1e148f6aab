"""I-JSON (RFC 7493): a record whose objects repeat a member name is not a
record. orjson keeps the last of repeated names and DuckDB's JSON reader the
first, so such a record would be validated as one thing and stored as
another; it is refused as `malformed_record` before either reads it.

The check costs no second parse on the fast path. Outside strings JSON has
no quote, and inside a string a quote is always escaped, so a JSON text
holds exactly two unescaped quotes a string token (member names and string
values alike). A repeated name drops a member from the parsed object, and
with it at least its name; so the raw text and the parsed object written
out again (orjson, in C: cheaper than walking it in Python) differ in their
unescaped quotes exactly when a name repeats. Only then is the record
parsed again, by the standard library with a hook on each object's pairs, to
name the member and where it stands."""

from __future__ import annotations

import json
from typing import Any

import orjson

NAME_SHOWN = 64  # characters of a repeated name a message shows
_dumps = orjson.dumps


def _string_tokens(value: Any) -> int:
    """Member names and string values in a parsed record, at any depth
    (iterative: a record may nest as deep as the parser allows)."""
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            count += len(item)
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        elif kind is str:
            count += 1
    return count


def _quoted(raw: bytes | str) -> int:
    """Unescaped quotes of the raw text: every quote, less those an escape
    consumes. Removing the escaped backslashes first, left to right, pairs
    them as a JSON reader does, so what is left before a quote escapes it."""
    if isinstance(raw, bytes):
        quote, backslash = b'"', b"\\"
    else:
        quote, backslash = '"', "\\"
    quotes = raw.count(quote)
    if backslash in raw:
        quotes -= raw.replace(backslash + backslash, raw[:0]).count(backslash + quote)
    return quotes


def members_unique(raw: bytes | str, record: Any) -> bool:
    """Whether `record`, parsed from `raw`, kept every member `raw` spells."""
    try:
        written = _dumps(record)
    except orjson.JSONEncodeError:
        return _quoted(raw) == 2 * _string_tokens(record)
    # no escape in the raw text: no escaped quote in either (the common case, without a call more)
    if type(raw) is bytes:
        if b"\\" not in raw:
            return raw.count(b'"') == written.count(b'"')
    elif "\\" not in raw:
        return raw.count('"') == written.count(b'"')
    return _quoted(raw) == _quoted(written)


class _Object(dict):
    """A parsed object that remembers the first name its text repeated."""

    repeated: str | None = None


def _pairs(items: list[tuple[str, Any]]) -> _Object:
    seen = _Object()
    for name, value in items:
        if name in seen and seen.repeated is None:
            seen.repeated = name
        seen[name] = value
    return seen


def repeated_member(raw: bytes | str) -> str:
    """The message for a record with a repeated member name: the first one
    repeated (top down, in reading order) and the object it stands in."""
    try:
        tree = json.loads(raw, object_pairs_hook=_pairs)
    except (ValueError, RecursionError):
        return f"{_RULE}"
    stack: list[tuple[Any, list[str]]] = [(tree, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, _Object) and node.repeated is not None:
            where = f"in {'.'.join(path)}" if path else "at the top of the record"
            return f"member name {_shown(node.repeated)} appears twice {where} ({_RULE_NAME})"
        children = node.items() if isinstance(node, dict) else (("[]", v) for v in node) if isinstance(
            node, list) else ()
        stack.extend(reversed([(value, [*path, _shown(name, quoted=False)]) for name, value in children]))
    return _RULE


_RULE_NAME = "I-JSON, RFC 7493: member names are unique"
_RULE = f"a member name appears twice in one object ({_RULE_NAME})"


def _shown(name: str, quoted: bool = True) -> str:
    """A name as a message shows it: at most NAME_SHOWN characters."""
    cut = name[:NAME_SHOWN] + ("…" if len(name) > NAME_SHOWN else "")
    return json.dumps(cut, ensure_ascii=False) if quoted else cut
