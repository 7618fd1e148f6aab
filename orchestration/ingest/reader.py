"""Read landing files in bounded batches of whole lines.

A file is read from a byte offset (so a grown file yields only its new
lines) in blocks of `chunk_bytes`, cut at the last newline; memory stays
bounded by the block size whatever the file's size. Each batch is an Arrow
table of (line_no, raw bytes) that DuckDB parses and validates in one pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

DEFAULT_CHUNK_BYTES = 128 * 1024 * 1024
FINGERPRINT_BYTES = 64 * 1024
SCAN_CHUNK_ROWS = 32 * 1024


@dataclass(frozen=True)
class LineBatch:
    lines: pa.Table  # line_no: int64 (1-based), raw: binary; blank lines left out
    byte_end: int  # offset just after the last byte consumed
    last_line: int  # line number of the last line consumed


def _batch(body: bytes, first_line: int, byte_end: int) -> LineBatch:
    """Split `body` at its newlines without copying it: the Arrow array's
    offsets point into the block (a Python split of a 64 MB block took 1.0 s,
    this takes about 0.05 s). A line keeps its '\\r' and '\\n' out;
    blank lines are left out."""
    if not body:
        return LineBatch(pa.table({"line_no": pa.array([], pa.int64()), "raw": pa.array([], pa.large_binary())}),
                         byte_end, first_line - 1)
    data = np.frombuffer(body, dtype=np.uint8)
    newlines = np.flatnonzero(data == 10)
    ends = newlines if len(body) and body[-1:] == b"\n" else np.append(newlines, len(body))
    starts = np.concatenate(([0], newlines + 1))[: len(ends)]
    # a line ending "\r\n" ends before its '\r'
    crlf = (ends > starts) & (ends < len(body)) & (data[np.maximum(ends - 1, 0)] == 13)
    stops = ends - crlf
    count = len(ends)
    line_no = np.arange(first_line, first_line + count, dtype=np.int64)
    keep = stops > starts
    starts, stops, line_no = starts[keep], stops[keep], line_no[keep]
    # each kept line is [start, stop): interleave as offsets of a value and a gap
    offsets = np.empty(2 * len(starts), dtype=np.int64)
    offsets[0::2], offsets[1::2] = starts, stops
    raw_with_gaps = pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), len(offsets) - 1 if len(offsets) else 0,
        [None, pa.py_buffer(offsets if len(offsets) else np.zeros(1, dtype=np.int64)), pa.py_buffer(body)])
    raw = raw_with_gaps.take(pa.array(np.arange(0, len(offsets) - 1, 2, dtype=np.int64))) if len(offsets) else \
        pa.array([], type=pa.large_binary())
    table = pa.table({"line_no": pa.array(line_no), "raw": raw})
    # zero-copy slices: DuckDB scans an Arrow table's record batches in
    # parallel, one chunk would keep the parse on one core
    table = pa.Table.from_batches(table.to_batches(max_chunksize=SCAN_CHUNK_ROWS), table.schema)
    return LineBatch(table, byte_end, first_line + count - 1)


def read_line_batches(
    path: Path, start_offset: int = 0, start_line: int = 0, chunk_bytes: int = DEFAULT_CHUNK_BYTES
) -> Iterator[LineBatch]:
    """Batches of the lines after `start_offset`; `start_line` is the number
    of lines before it. A last line without a newline is read as a line."""
    with path.open("rb") as handle:
        handle.seek(start_offset)
        carry = b""
        offset, line = start_offset, start_line
        while True:
            block = handle.read(chunk_bytes)
            if not block:
                if carry:
                    yield _batch(carry, line + 1, offset + len(carry))
                return
            data = carry + block
            cut = data.rfind(b"\n")
            if cut < 0:
                carry = data
                continue
            body, carry = data[: cut + 1], data[cut + 1 :]
            batch = _batch(body, line + 1, offset + len(body))
            offset, line = batch.byte_end, batch.last_line
            yield batch


def first_line(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.readline().rstrip(b"\r\n")


def prefix_fingerprint(path: Path, end: int) -> str:
    """sha256 of the size and the last 64 KiB before `end`: cheap, and enough
    to tell an appended file from a rewritten one."""
    with path.open("rb") as handle:
        start = max(0, end - FINGERPRINT_BYTES)
        handle.seek(start)
        tail = handle.read(end - start)
    return hashlib.sha256(str(end).encode() + b":" + tail).hexdigest()
