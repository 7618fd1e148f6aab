"""What a run read of a file, as a digest: SHA-256 of the file's bytes from
its start to where the run stopped (raw.ingest_ledger.prefix_sha256,
written `sha256:<hex>`). A file whose size and mtime are those the ledger
recorded is skipped without being opened; when either moved, the bytes read
before are hashed again and compared, so a file changed anywhere (not only
near its end) is never taken for one that only grew.

One digest walks a file once, from its start: it checks the part read
before, then goes on to each new segment's end, reading only what it has
not hashed yet (just read by the parser, so from the page cache)."""

from __future__ import annotations

import errno
import hashlib
from pathlib import Path

from orchestration.ingest.reader import prefix_fingerprint

PREFIX = "sha256:"
BLOCK = 1 << 20


class PrefixDigest:
    """SHA-256 of a file's first bytes, extended as far as asked."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._hash = hashlib.sha256()
        self._done = 0

    def up_to(self, end: int) -> str:
        """The digest of bytes [0, end); `end` never moves back."""
        if end < self._done:
            raise ValueError(f"{self.path}: digest asked back to {end} after {self._done}")
        with self.path.open("rb") as handle:
            handle.seek(self._done)
            while self._done < end:
                block = handle.read(min(BLOCK, end - self._done))
                if not block:
                    break  # the file is shorter than end: the digest is of what is there
                self._hash.update(block)
                self._done += len(block)
        return PREFIX + self._hash.copy().hexdigest()

    def same_prefix(self, end: int, recorded: str | None) -> bool:
        """Whether bytes [0, end) are those the ledger recorded. A digest of
        the earlier kind (the size and last 64 KiB) is checked as it was made."""
        if recorded is None:
            return False
        if not recorded.startswith(PREFIX):
            return prefix_fingerprint(self.path, end) == recorded
        return self.up_to(end) == recorded


def unreadable_mark(why: str) -> str:
    """What stands for a file's digest when it cannot be read: why, so a
    file that stays unreadable for the same reason is reported once."""
    return "unreadable:" + hashlib.sha256(why.encode()).hexdigest()


def os_error_text(exc: OSError | RuntimeError) -> str:
    """The OS error in words, with its code: 'Permission denied (EACCES)'."""
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"{exc.strerror} ({errno.errorcode.get(exc.errno, exc.errno)})"
    return str(exc)
