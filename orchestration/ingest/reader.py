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
import pyarrow.compute as pc

DEFAULT_CHUNK_BYTES = 64 * 1024 * 1024
FINGERPRINT_BYTES = 64 * 1024


@dataclass(frozen=True)
class LineBatch:
    lines: pa.Table  # line_no: int64 (1-based), raw: binary; blank lines left out
    byte_end: int  # offset just after the last byte consumed
    last_line: int  # line number of the last line consumed


def _batch(body: bytes, first_line: int, byte_end: int) -> LineBatch:
    parts = body.replace(b"\r\n", b"\n").split(b"\n")
    if parts and parts[-1] == b"":
        parts.pop()  # the newline that ends the last line opens no new line
    raw = pa.array(parts, type=pa.binary())
    line_no = pa.array(np.arange(first_line, first_line + len(parts), dtype=np.int64))
    table = pa.table({"line_no": line_no, "raw": raw})
    table = table.filter(pc.greater(pc.binary_length(raw), 0))
    return LineBatch(table, byte_end, first_line + len(parts) - 1)


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
