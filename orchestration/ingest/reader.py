"""Read landing files in bounded batches of whole lines.

A file is read from a byte offset (so a grown file yields only its new
lines) in blocks of `chunk_bytes`, cut at the last newline; memory stays
bounded by the block size and the line limit whatever the file holds. Each batch is an Arrow
table of (line_no, raw bytes) that DuckDB parses and validates in one pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from orchestration.core.registry import DEFAULT_MAX_LINE_BYTES

# a batch: fixed costs (planning, the landing suite) are paid once a batch, so batches are large;
# the peak memory they cost is in the bench's table
DEFAULT_CHUNK_BYTES = 64 * 1024 * 1024
FINGERPRINT_BYTES = 64 * 1024
SCAN_CHUNK_ROWS = 32 * 1024
PREFIX_BYTES = 256  # what is kept of a line longer than its feed's limit, to recognise it by
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class LineBatch:
    # line_no: int64 (1-based), raw: binary, line_bytes: int64, the length of a line longer than the
    # limit (raw then holds only its first PREFIX_BYTES), NULL otherwise; blank lines left out
    lines: pa.Table
    byte_end: int  # offset just after the last byte consumed
    last_line: int  # line number of the last line consumed


LINES_SCHEMA = pa.schema([("line_no", pa.int64()), ("raw", pa.large_binary()), ("line_bytes", pa.int64())])


def _empty_batch(byte_end: int, last_line: int) -> LineBatch:
    return LineBatch(LINES_SCHEMA.empty_table(), byte_end, last_line)


def _batch(body: bytes | np.ndarray, first_line: int, byte_end: int, max_line_bytes: int) -> LineBatch:
    """Split `body` at its newlines without a Python object a line: Arrow
    offsets point into the block, and one `take` gathers the lines (a
    Python split makes an object a line, several times slower).
    A line keeps its '\\r' and '\\n' out; blank lines are left out; a line
    longer than `max_line_bytes` keeps its first PREFIX_BYTES and its length."""
    data = body if isinstance(body, np.ndarray) else np.frombuffer(body, dtype=np.uint8)
    if not len(data):
        return _empty_batch(byte_end, first_line - 1)
    newlines = np.flatnonzero(data == 10)
    ends = newlines if data[-1] == 10 else np.append(newlines, len(data))
    starts = np.concatenate(([0], newlines + 1))[: len(ends)]
    # a line ending "\r\n" ends before its '\r'
    crlf = (ends > starts) & (ends < len(data)) & (data[np.maximum(ends - 1, 0)] == 13)
    stops = ends - crlf
    last_line = first_line + len(ends) - 1
    line_no = np.arange(first_line, last_line + 1, dtype=np.int64)
    keep = stops > starts
    starts, stops, line_no = starts[keep], stops[keep], line_no[keep]
    if not len(starts):
        return _empty_batch(byte_end, last_line)
    lengths = stops - starts
    too_long = lengths > max_line_bytes
    stops = np.where(too_long, starts + PREFIX_BYTES, stops)
    # value 2k is line k, [start, stop); value 2k+1 the newline bytes between two lines
    offsets = np.empty(2 * len(starts), dtype=np.int64)
    offsets[0::2], offsets[1::2] = starts, stops
    lines_and_gaps = pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), len(offsets) - 1, [None, pa.py_buffer(offsets), pa.py_buffer(data)])
    raw = lines_and_gaps.take(pa.array(np.arange(0, len(offsets) - 1, 2, dtype=np.int64)))
    table = pa.table({"line_no": pa.array(line_no), "raw": raw,
                      "line_bytes": pa.array(lengths, mask=~too_long)}, schema=LINES_SCHEMA)
    # zero-copy slices: DuckDB scans an Arrow table's record batches in
    # parallel, one chunk would keep the parse on one core
    table = pa.Table.from_batches(table.to_batches(max_chunksize=SCAN_CHUNK_ROWS), table.schema)
    return LineBatch(table, byte_end, last_line)


def _too_long_line(line_no: int, prefix: bytes, length: int, byte_end: int) -> LineBatch:
    table = pa.table({"line_no": [line_no], "raw": [prefix[:PREFIX_BYTES]], "line_bytes": [length]},
                     schema=LINES_SCHEMA)
    return LineBatch(table, byte_end, line_no)


def read_line_batches(path: Path, start_offset: int = 0, start_line: int = 0,
                      chunk_bytes: int = DEFAULT_CHUNK_BYTES, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES,
                      complete: bool = True) -> Iterator[LineBatch]:
    """Batches of the lines after `start_offset`; `start_line` is the number
    of lines before it. Memory stays within about two blocks whatever the
    file holds: a line longer than `max_line_bytes` is never held whole (it
    is skipped to its newline, keeping its first bytes and its length). A
    last line without its newline is read only when the file is `complete`;
    otherwise it is left for a later read (byte_end stops before it). A
    byte-order mark at the start of the file is not part of line 1."""
    with path.open("rb") as handle:
        offset, line = start_offset, start_line  # offset: the first byte not yet consumed
        if offset == 0 and handle.read(len(BOM)) == BOM:
            offset = len(BOM)
        handle.seek(offset)
        carry = b""  # the unfinished last line of the previous block, shorter than the limit
        skipping: tuple[bytes, int] | None = None  # first bytes and length so far of an overlong line
        while True:
            # the carried line, then the next block read in place (np.empty: zero-filling a block-sized
            # bytearray cost more than splitting it)
            data = np.empty(len(carry) + chunk_bytes, dtype=np.uint8)
            data[: len(carry)] = np.frombuffer(carry, dtype=np.uint8)
            got = handle.readinto(memoryview(data)[len(carry) :])
            if not got:
                if complete and skipping:
                    yield _too_long_line(line + 1, skipping[0], skipping[1], offset + skipping[1])
                elif complete and carry:
                    yield _batch(carry, line + 1, offset + len(carry), max_line_bytes)
                return
            data = data[: len(carry) + got]
            if skipping:
                found = np.flatnonzero(data == 10)
                end = int(found[0]) if len(found) else len(data)
                prefix = skipping[0] + data[: max(0, PREFIX_BYTES - len(skipping[0]))][:end].tobytes()
                if not len(found):
                    skipping, carry = (prefix, skipping[1] + len(data)), b""
                    continue
                newline = end
                length = skipping[1] + newline
                yield _too_long_line(line + 1, prefix, length, offset + length + 1)
                offset, line, skipping = offset + length + 1, line + 1, None
                data = data[newline + 1 :]
            cut = _last_newline(data)
            if cut >= 0:
                body, rest = data[: cut + 1], data[cut + 1 :]
                batch = _batch(body, line + 1, offset + len(body), max_line_bytes)
                offset, line = batch.byte_end, batch.last_line
                yield batch
            else:
                rest = data
            if len(rest) > max_line_bytes:
                skipping, carry = (rest[:PREFIX_BYTES].tobytes(), len(rest)), b""
            else:
                carry = rest.tobytes()


def _last_newline(data: np.ndarray) -> int:
    """Position of the last '\\n' in data, -1 when there is none; looks at
    the last 64 KiB first, since lines are short."""
    for start in (max(0, len(data) - 65536), 0):
        found = np.flatnonzero(data[start:] == 10)
        if len(found):
            return start + int(found[-1])
        if start == 0:
            break
    return -1


def first_line(path: Path, max_bytes: int = DEFAULT_MAX_LINE_BYTES) -> bytes | None:
    """The file's first line (a CSV header), or None when it is longer than
    `max_bytes`: never more than that is read."""
    with path.open("rb") as handle:
        line = handle.readline(max_bytes + 1)
    if len(line) > max_bytes:
        return None
    return line.removeprefix(BOM).rstrip(b"\r\n")


def prefix_fingerprint(path: Path, end: int) -> str:
    """sha256 of the size and the last 64 KiB before `end`: cheap, and enough
    to tell an appended file from a rewritten one."""
    with path.open("rb") as handle:
        start = max(0, end - FINGERPRINT_BYTES)
        handle.seek(start)
        tail = handle.read(end - start)
    return hashlib.sha256(str(end).encode() + b":" + tail).hexdigest()
