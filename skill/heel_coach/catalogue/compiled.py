"""``compiled.json``: the parsed content of every YAML file, so start-up skips PyYAML.

The YAML files stay the only source of truth. Each entry carries the SHA-256 of the file it
came from, and ``read_yaml`` uses an entry only while that hash still matches, so an edited
file is parsed afresh and a stale ``compiled.json`` can cost time but never change content.
``heel-coach content compile`` rewrites it; a contract test fails when it is out of date.
Files whose data JSON cannot represent exactly (dates, non-string keys) are left out.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from heel_coach.catalogue._fields import COMPILED_FILE, parse_yaml
from heel_coach.catalogue.loader import default_content_root

__all__ = ["compile_content", "compiled_path", "write_compiled"]


def compiled_path(root: Path | None = None) -> Path:
    return (default_content_root() if root is None else root) / COMPILED_FILE


def compile_content(root: Path | None = None) -> dict[str, Any]:
    """Every ``*.yaml`` under the content root, parsed and checked as the loader reads it."""
    root = default_content_root() if root is None else root
    files: dict[str, Any] = {}
    for path in sorted(root.rglob("*.yaml")):
        relative = path.relative_to(root).as_posix()
        raw = path.read_bytes()
        data = parse_yaml(raw.decode("utf-8"), relative)
        if json.loads(json.dumps(data)) != data:
            continue  # not exactly representable in JSON: always parsed
        files[relative] = {"sha256": hashlib.sha256(raw).hexdigest(), "data": data}
    return {"version": 1, "files": files}


def render(compiled: dict[str, Any]) -> str:
    return json.dumps(compiled, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def write_compiled(root: Path | None = None, *, write: bool = True) -> bool:
    """True if ``compiled.json`` was (or, with ``write=False``, would be) changed."""
    path = compiled_path(root)
    text = render(compile_content(root))
    try:
        current = path.read_text(encoding="utf-8")
    except OSError:
        current = None
    if current == text:
        return False
    if write:
        path.write_text(text, encoding="utf-8")
    return True
