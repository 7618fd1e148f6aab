"""The paths a feed's landing glob matches, each judged on its own: a file
to read; a path refused because its link or resolved location leads outside
the feed's folder; or a path that cannot be read as a file (a link loop or a
link to nothing, a FIFO, a device, a socket), reported with why and never
opened, so that one path's trouble never stops its feed."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import NamedTuple

_FILE_KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device",
               stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}


class Landed(NamedTuple):
    files: list[Path]
    refused: dict[Path, str]  # path -> why it is never read (it leads outside the feed's folder)
    unreadable: dict[Path, str]  # path -> why it cannot be read as a file (quarantined whole)


def scan_landing(root: Path, glob: str, folder: Path) -> Landed:
    folder = folder.resolve()
    landed = Landed([], {}, {})
    for path in sorted(root.glob(glob)):
        try:
            resolved = path.resolve(strict=True)
            mode = resolved.stat().st_mode
        except FileNotFoundError as exc:
            if path.is_symlink():
                landed.unreadable[path] = f"is a link to nothing ({exc.strerror})"
            continue  # otherwise gone since it was listed
        except (OSError, RuntimeError) as exc:  # Python 3.11 reports a link loop as a RuntimeError
            why = exc.strerror if isinstance(exc, OSError) else str(exc)
            landed.unreadable[path] = f"cannot be resolved: {why}"
            continue
        if not resolved.is_relative_to(folder):
            landed.refused[path] = f"leads outside the feed's folder {folder} (to {resolved}): refused"
        elif stat.S_ISREG(mode):
            landed.files.append(path)
        elif not stat.S_ISDIR(mode):
            kind = _FILE_KINDS.get(stat.S_IFMT(mode), "not a regular file")
            landed.unreadable[path] = f"is {kind}, not a regular file: never opened"
    return landed
