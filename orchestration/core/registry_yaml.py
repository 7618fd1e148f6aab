"""Reading the registry file strictly: bounded size, no aliases, no key given
twice, and every mapping remembering the line it starts on and the line of
each of its keys, so that an error found later, when a sheet mapping is
checked against the JSON Schemas, still names the file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_REGISTRY_BYTES = 1024 * 1024


class RegistryError(ValueError):
    """The registry is not usable; the message names the file, the line or feed, and the field."""


class Lined(dict):
    """A YAML mapping with the 1-based lines of its start and of each key."""

    source: str = "registry"
    line: int = 0
    key_lines: dict[Any, int]

    def where(self, key: Any | None = None) -> str:
        """`file: line N` of the key (or of the mapping when the key is absent)."""
        line = getattr(self, "key_lines", {}).get(key, self.line) if key is not None else self.line
        return f"{self.source}: line {line}"


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML without aliases (a few lines of anchors and aliases expand
    to gigabytes) and without a key given twice."""

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise RegistryError(f"{mark.name}: line {mark.line + 1}: YAML aliases (*name) are not allowed "
                                "in the registry; write the value out")
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # noqa: ANN001 - PyYAML's signature
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise RegistryError(f"{key_node.start_mark.name}: line {key_node.start_mark.line + 1}: "
                                    f"key {key!r} given twice")
            seen[key] = key_node.start_mark.line + 1
        mapping = Lined(super().construct_mapping(node, deep=True))
        mapping.source, mapping.line, mapping.key_lines = node.start_mark.name, node.start_mark.line + 1, seen
        return mapping


def _lined_map(loader: _StrictLoader, node: yaml.MappingNode) -> Lined:
    return loader.construct_mapping(node, deep=True)


# SafeLoader builds a plain dict for every mapping and copies into it: a mapping keeps its lines only when
# its constructor is this one
_StrictLoader.add_constructor("tag:yaml.org,2002:map", _lined_map)


def read_yaml_strictly(path: Path) -> Any:
    """The file's YAML document, every mapping a `Lined`."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise RegistryError(f"registry not found: {path}") from exc
    if size > MAX_REGISTRY_BYTES:
        raise RegistryError(f"{path}: {size} bytes, larger than a registry may be ({MAX_REGISTRY_BYTES})")
    try:
        with path.open(encoding="utf-8") as handle:  # the stream's name is the file's, in every message
            return yaml.load(handle, Loader=_StrictLoader)  # noqa: S506 - a strict safe loader
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise RegistryError(f"{path}: not UTF-8 text ({exc})") from exc


def where(node: Any, key: Any | None = None, fallback: str = "registry") -> str:
    """`file: line N` for a key of a mapping read here, else the fallback."""
    return node.where(key) if isinstance(node, Lined) else fallback


def known_keys(entry: dict, allowed: set[str], place: str) -> None:
    """Refuse keys outside `allowed`: a typo would otherwise be ignored."""
    unknown = sorted(str(k) for k in entry if k not in allowed)
    if unknown:
        line = f" ({entry.where(unknown[0])})" if isinstance(entry, Lined) else ""
        raise RegistryError(f"{place}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}"
                            f"{line}")
