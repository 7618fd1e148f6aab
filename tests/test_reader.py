"""The line reader against the plainest reference: bytes.split, line by line."""

from __future__ import annotations

import random

from orchestration.ingest.reader import read_line_batches


def reference(body: bytes) -> tuple[list[tuple[int, bytes]], int]:
    """(line number, bytes) of each non-blank line, a "\\r" before its "\\n"
    left out, and the number of the last line."""
    parts = body.split(b"\n")
    ended = [True] * (len(parts) - 1) + [False]
    if parts[-1] == b"":
        parts.pop()  # the newline that ends the last line opens no new line
        ended.pop()
    lines = [(n, p[:-1] if end and p.endswith(b"\r") else p)
             for n, (p, end) in enumerate(zip(parts, ended, strict=True), start=1)]
    return [(n, p) for n, p in lines if p], len(parts)


def lines_of(batches) -> list[tuple[int, bytes]]:
    return [(n, r) for b in batches
            for n, r in zip(b.lines.column("line_no").to_pylist(), b.lines.column("raw").to_pylist(), strict=True)]


def test_lines_and_their_numbers_match_a_plain_split_whatever_the_block_size(tmp_path):
    rng = random.Random(7)
    pieces = [b"", b'{"a": 1}', b"x\r", b"\r", b"abc", b"\xff\xfe", b'{"t": "caf\xc3\xa9"}']
    for trial in range(300):
        body = b"\n".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) + rng.choice([b"", b"\n", b"\r\n"])
        path = tmp_path / f"f{trial}.ndjson"
        path.write_bytes(body)
        expected, last = reference(body)
        for chunk in (3, 7, 64, 1 << 20):  # blocks cut mid-line, mid-"\r\n", or the whole file
            batches = list(read_line_batches(path, chunk_bytes=chunk))
            assert lines_of(batches) == expected, (body, chunk)
            assert (batches[-1].last_line if batches else 0) == last, (body, chunk)
            assert (batches[-1].byte_end if batches else 0) == len(body)


def test_a_grown_file_is_read_from_where_the_last_read_ended(tmp_path):
    path = tmp_path / "grow.ndjson"
    path.write_bytes(b'{"n": 1}\n{"n": 2}\n')
    first = list(read_line_batches(path))
    with path.open("ab") as handle:
        handle.write(b'{"n": 3}\n\n{"n": 4}')
    rest = list(read_line_batches(path, first[-1].byte_end, first[-1].last_line))
    assert lines_of(rest) == [(3, b'{"n": 3}'), (5, b'{"n": 4}')]
    assert rest[-1].last_line == 5 and rest[-1].byte_end == path.stat().st_size
