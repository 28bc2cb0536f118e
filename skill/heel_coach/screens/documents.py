"""The APL documents: JSON data files in ``content/screens/``, one per screen plus ``common.json``.

A screen file holds its ``mainTemplate`` and its own layouts; ``common.json`` holds what every
screen shares (version, the viewport-profiles import, sizes per profile, colours, styles,
the button and the ring). ``document(screen)`` merges the two structurally (dict and list
merges, never text), so Amazon's validator and renderer see one ordinary document.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from heel_coach.errors import ContentError
from heel_coach.resources import CONTENT_DIR
from heel_coach.screens.views import Screen

SCREENS_DIR = CONTENT_DIR / "screens"
COMMON = "common"
_MERGED_MAPS = ("styles", "graphics", "layouts")


def _read(name: str, root: Path) -> dict[str, Any]:
    rel = f"screens/{name}.json"
    try:
        data = json.loads((root / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ContentError(rel, "<file>", str(exc)) from exc
    if not isinstance(data, dict):
        raise ContentError(rel, "<root>", "must be a JSON object")
    return data


def compose(common: dict[str, Any], screen: dict[str, Any], name: str) -> dict[str, Any]:
    """One APL document: ``common`` plus the screen's template, layouts, graphics and resources."""
    if "mainTemplate" not in screen:
        raise ContentError(f"screens/{name}.json", "mainTemplate", "missing")
    doc = copy.deepcopy(common)
    for key in _MERGED_MAPS:
        mine = screen.get(key, {})
        clash = set(doc.get(key, {})) & set(mine)
        if clash:
            raise ContentError(f"screens/{name}.json", key, f"redefines common {sorted(clash)}")
        doc[key] = {**doc.get(key, {}), **copy.deepcopy(mine)}
    doc["resources"] = [*doc.get("resources", []), *copy.deepcopy(screen.get("resources", []))]
    doc["description"] = screen.get("description", doc.get("description", ""))
    doc["mainTemplate"] = copy.deepcopy(screen["mainTemplate"])
    return doc


@cache
def _document(screen: Screen, root: Path) -> str:
    return json.dumps(compose(_read(COMMON, root), _read(screen.value, root), screen.value))


def document(screen: Screen, root: Path = SCREENS_DIR) -> dict[str, Any]:
    """The full APL document of ``screen`` (a fresh copy each call; files read once)."""
    return json.loads(_document(screen, root))
