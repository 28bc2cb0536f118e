"""Typed readers for YAML content that report errors as ``ContentError(file, field, problem)``.

Kept apart from the loader so the loader reads as a description of the content format, and so
every check names the exact field (``variants[1].hold_s.default``) a content author must fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from heel_coach.errors import ContentError
from heel_coach.json_data import copy_json

if TYPE_CHECKING:  # PyYAML is imported only when a file has to be parsed
    import yaml

E = TypeVar("E", bound=Enum)

ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
"""Ids are lower-case kebab-case: they end up in file names, prompts keys and JSON."""


@dataclass(frozen=True)
class At:
    """Where a value lives: a file relative to the content root and a field path inside it."""

    file: str
    path: str = ""

    def key(self, name: str) -> At:
        return At(self.file, f"{self.path}.{name}" if self.path else name)

    def index(self, i: int) -> At:
        return At(self.file, f"{self.path}[{i}]")

    def error(self, problem: str) -> ContentError:
        return ContentError(self.file, self.path or "<root>", problem)


COMPILED_FILE = "compiled.json"
"""Parsed copy of every content file, keyed by SHA-256 (``heel-coach content compile``)."""
_compiled: dict[str, tuple[float, dict[str, Any]]] = {}


def _safe_loader() -> type[yaml.SafeLoader]:
    """The C safe loader when PyYAML has libyaml (same rules as ``yaml.safe_load``, ~10x faster)."""
    import yaml

    loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return loader


def read_yaml(root: Path, relative: str) -> object:
    """The content of one file: from ``compiled.json`` when it holds this exact file (same
    SHA-256), else parsed. Start-up reads one JSON file instead of importing PyYAML and
    parsing thirty files (about 50 ms); an edited file is always parsed afresh."""
    path = root / relative
    if not path.is_file():
        raise At(relative).error("file is missing")
    raw = path.read_bytes()
    entry = _compiled_files(root).get(relative)
    import hashlib  # here: a Lambda cold start reads a content snapshot and never hashes

    if entry is not None and entry.get("sha256") == hashlib.sha256(raw).hexdigest():
        return copy_json(entry["data"])  # callers get their own copy
    return parse_yaml(raw.decode("utf-8"), relative)


def _compiled_files(root: Path) -> dict[str, Any]:
    path = root / COMPILED_FILE
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return {}
    cached = _compiled.get(str(path))
    if cached is None or cached[0] != mtime:
        try:
            files = json.loads(path.read_text(encoding="utf-8")).get("files", {})
        except (OSError, ValueError, AttributeError):
            files = {}  # unreadable: parse everything, as without the file
        cached = _compiled[str(path)] = (mtime, files if isinstance(files, dict) else {})
    return cached[1]


def parse_yaml(text: str, relative: str) -> object:
    """Parse one file as ``yaml.safe_load`` does, first rejecting duplicate keys (safe_load
    keeps the last one silently, which would hide a copy-paste mistake)."""
    import yaml

    loader = _safe_loader()(text)
    try:
        node = loader.get_single_node()  # one parse: check the node tree, then build from it
        _reject_duplicate_keys(node, At(relative))
        return None if node is None else loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "<root>"
        raise ContentError(relative, where, f"not valid YAML: {exc}") from exc
    finally:
        loader.dispose()


def _reject_duplicate_keys(node: yaml.Node | None, at: At) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                raise at.key(key).error(f"duplicate key (line {key_node.start_mark.line + 1})")
            seen.add(key)
            _reject_duplicate_keys(value_node, at.key(key))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _reject_duplicate_keys(item, at.index(i))


def mapping(value: object, at: At, required: Iterable[str], optional: Iterable[str] = ()) -> dict[str, Any]:
    """A mapping with exactly the allowed keys: unknown keys are typos, missing keys are bugs."""
    if not isinstance(value, dict):
        raise at.error(f"must be a mapping, not {type(value).__name__}")
    required = tuple(required)
    allowed = set(required) | set(optional)
    for key in value:
        if not isinstance(key, str):
            raise at.error(f"key {key!r} must be a string")
        if key not in allowed:
            raise at.key(key).error(f"unknown key (allowed: {', '.join(sorted(allowed))})")
    for key in required:
        if key not in value:
            raise at.key(key).error("missing")
    return value


def id_map(value: object, at: At) -> dict[str, Any]:
    """A mapping keyed by ids (locale files): keys are checked, values are left to the caller."""
    if not isinstance(value, dict):
        raise at.error(f"must be a mapping of ids, not {type(value).__name__}")
    for key in value:
        identifier(key, at.key(str(key)))
    return value


def sequence(value: object, at: At, *, allow_empty: bool = True) -> list[Any]:
    if not isinstance(value, list):
        raise at.error(f"must be a list, not {type(value).__name__}")
    if not value and not allow_empty:
        raise at.error("must not be empty")
    return value


def text(value: object, at: At) -> str:
    if not isinstance(value, str):
        raise at.error(f"must be text, not {type(value).__name__}")
    if not value.strip():
        raise at.error("must not be empty")
    return value.strip()


def texts(value: object, at: At, *, allow_empty: bool = True) -> tuple[str, ...]:
    """A list of distinct, non-empty strings."""
    items = sequence(value, at, allow_empty=allow_empty)
    result: list[str] = []
    for i, item in enumerate(items):
        entry = text(item, at.index(i))
        if entry in result:
            raise at.index(i).error(f"duplicate {entry!r}")
        result.append(entry)
    return tuple(result)


def identifier(value: object, at: At) -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise at.error(f"{value!r} is not a lower-case kebab-case id")
    return value


def positive_int(value: object, at: At) -> int:
    # bool is an int in Python; "true" where a number belongs is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise at.error(f"must be a whole number, not {value!r}")
    if value <= 0:
        raise at.error(f"must be positive, not {value}")
    return value


def boolean(value: object, at: At) -> bool:
    if not isinstance(value, bool):
        raise at.error(f"must be true or false, not {value!r}")
    return value


def enum(value: object, at: At, kind: type[E]) -> E:
    allowed = [member.value for member in kind]
    if value not in allowed:
        raise at.error(f"{value!r} is not one of {', '.join(map(str, allowed))}")
    return kind(value)
