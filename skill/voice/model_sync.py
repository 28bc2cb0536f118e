"""Slot values for routines and exercises come from the catalogue, never typed twice.

`heel-coach model sync` writes them into interaction_models/<locale>.json; a contract test
fails when the file and the catalogue disagree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from skill.catalogue.model import Catalogue

MODELS_DIR = Path(__file__).resolve().parents[2] / "interaction_models"


def model_path(locale: str) -> Path:
    return MODELS_DIR / f"{locale}.json"


def generated_types(catalogue: Catalogue, locale: str) -> dict[str, list[dict[str, Any]]]:
    routines = [
        _value(r.id, r.text[locale].name, r.text[locale].synonyms) for r in catalogue.routines.values()
    ]
    exercises = [
        _value(e.id, e.text[locale].name, e.text[locale].synonyms) for e in catalogue.exercises.values()
    ]
    return {"ROUTINE_NAME": routines, "EXERCISE_NAME": exercises}


def _value(value_id: str, name: str, synonyms: tuple[str, ...]) -> dict[str, Any]:
    spoken = _spoken(name)
    seen = {spoken}
    syns = []
    for s in synonyms:
        s = _spoken(s)
        if s not in seen:
            seen.add(s)
            syns.append(s)
    return {"id": value_id, "name": {"value": spoken, "synonyms": syns}}


def _spoken(text: str) -> str:
    """Slot values are lower-case words (Alexa's sample rules: letters, spaces, apostrophes)."""
    cleaned = "".join(ch if ch.isalpha() or ch in " '-." else " " for ch in text.lower())
    return " ".join(cleaned.replace("-", " ").split())


def sync_model(catalogue: Catalogue, locale: str, *, write: bool) -> bool:
    """True when the model file differs from the catalogue (and, with ``write``, fixes it)."""
    path = model_path(locale)
    model = json.loads(path.read_text(encoding="utf-8"))
    types = model["interactionModel"]["languageModel"]["types"]
    wanted = generated_types(catalogue, locale)
    changed = False
    for name, values in wanted.items():
        existing = next((t for t in types if t["name"] == name), None)
        if existing is None:
            types.append({"name": name, "values": values})
            changed = True
        elif existing["values"] != values:
            existing["values"] = values
            changed = True
    if changed and write:
        path.write_text(json.dumps(model, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed
