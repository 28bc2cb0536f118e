"""Slot values for routines and exercises come from the catalogue, never typed twice.

`heel-coach model sync` writes them into the packaged model (``heel_coach/content/models``) and
copies it to the checkout's ``interaction_models/<locale>.json``, the file uploaded to Alexa; a
contract test fails when the catalogue, the packaged model and the upload copy disagree.
"""

from __future__ import annotations

import json
from typing import Any

from heel_coach.catalogue.model import Catalogue
from heel_coach.resources import model_path, upload_model_path


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
    """True when the packaged model, or the checkout's upload copy, differs from the catalogue.

    With ``write`` both are fixed; the upload copy is always the packaged model byte for byte.
    """
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
    text = json.dumps(model, indent=2, ensure_ascii=False) + "\n"
    if changed and write:
        path.write_text(text, encoding="utf-8")
    upload = upload_model_path(locale)
    if upload is not None and (not upload.is_file() or upload.read_text(encoding="utf-8") != text):
        changed = True
        if write:
            upload.parent.mkdir(parents=True, exist_ok=True)
            upload.write_text(text, encoding="utf-8")
    return changed
