"""Publication is all partners or none.

Every extract folder of one publication lives in a release
(`extracts/.releases/<id>/<partner>/`); `extracts/current` is a symbolic
link to the release in force, and `extracts/<partner>` a link to
`current/<partner>`. Publishing writes a whole new release (partners it did
not rebuild are carried over from the current one as hard links), then
replaces `current` in one rename: a reader sees the old release or the new
one, for every partner at once, never a mix. Whatever a killed publication
left behind (releases no link points at, half-written folders) is removed
by the next publication."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

RELEASES = ".releases"
CURRENT = "current"
_LEFTOVERS = (".staging-*", ".retired-*", ".current-*")


def new_release(root: Path) -> Path:
    """An empty release folder to write partner extracts into."""
    release = root / RELEASES / uuid.uuid4().hex
    release.mkdir(parents=True)
    return release


def current_release(root: Path) -> Path | None:
    link = root / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def publish_release(root: Path, release: Path) -> None:
    """Make `release` the one in force, for every partner at once."""
    current = current_release(root)
    if current is not None:
        for folder in current.iterdir():
            if folder.is_dir() and not (release / folder.name).exists():
                shutil.copytree(folder, release / folder.name, copy_function=os.link)
    swap = root / f".current-{uuid.uuid4().hex}"
    swap.symlink_to(Path(RELEASES) / release.name)
    os.replace(swap, root / CURRENT)  # atomic: rename over the old link
    for folder in release.iterdir():
        _link_partner(root, folder.name)
    remove_leftovers(root)


def _link_partner(root: Path, partner: str) -> None:
    link = root / partner
    if link.is_symlink():
        return
    if link.exists():  # a folder published before releases existed: replaced by its link
        retired = root / f".retired-{partner}-{uuid.uuid4().hex}"
        link.rename(retired)
    swap = root / f".current-{uuid.uuid4().hex}"
    swap.symlink_to(Path(CURRENT) / partner)
    os.replace(swap, link)


def remove_leftovers(root: Path) -> None:
    """Every release but the current one, and what killed publications left."""
    current = current_release(root)
    for release in sorted((root / RELEASES).glob("*")) if (root / RELEASES).is_dir() else []:
        if release.resolve() != current:
            shutil.rmtree(release, ignore_errors=True)
    for pattern in _LEFTOVERS:
        for leftover in root.glob(pattern):
            if leftover.is_symlink() or leftover.is_file():
                leftover.unlink(missing_ok=True)
            else:
                shutil.rmtree(leftover, ignore_errors=True)
