"""Interaction models per locale, from one source per language; slot values from the catalogue.

Each language has one hand-edited model, that of its first supported locale (``en-US.json``,
``de-DE.json``). Every other locale of the language is generated from it plus
``models/additions/<locale>.yaml`` (samples and slot synonyms people there say in addition),
so the English locales share every sample and differ only where their speakers do. In every
model the routine and exercise slot values come from that locale's catalogue text, never
typed twice.

Within a language a phrase and its regional variant ("give me a sec" in en-GB, "give me a
second" in en-US) mean the same, so they must reach the same intent in every model of that
language: ``intent_conflicts`` compares every model's samples after swapping the words listed in
``models/additions/same_words.yaml``, and `heel-coach model sync|check` refuses a conflict.

`heel-coach model sync` writes the packaged models (``heel_coach/content/models``) and copies
each to the checkout's ``interaction_models/<locale>.json``, the file uploaded to Alexa; a
contract test fails when the catalogue, a packaged model and its upload copy disagree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from heel_coach.catalogue._fields import At, read_yaml
from heel_coach.catalogue.model import Catalogue
from heel_coach.errors import ContentError
from heel_coach.locales import language_of
from heel_coach.resources import CONTENT_DIR, model_path, upload_model_path

ADDITIONS_DIR = "models/additions"
SAME_WORDS_FILE = f"{ADDITIONS_DIR}/same_words.yaml"
CATALOGUE_TYPES = ("ROUTINE_NAME", "EXERCISE_NAME")


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


def source_locale(catalogue: Catalogue, locale: str) -> str:
    """The locale whose model is edited by hand for ``locale``'s language (the first listed)."""
    return next(tag for tag in catalogue.locales if language_of(tag) == language_of(locale))


def build_model(catalogue: Catalogue, locale: str, root: Path = CONTENT_DIR) -> dict[str, Any]:
    """The model ``locale`` ships: its language's source, its additions, its catalogue values."""
    source = source_locale(catalogue, locale)
    model: dict[str, Any] = json.loads(model_path(source).read_text(encoding="utf-8"))
    language_model = model["interactionModel"]["languageModel"]
    if locale != source:
        _add(language_model, _additions(root, locale), f"{ADDITIONS_DIR}/{locale}.yaml")
    types = language_model.setdefault("types", [])
    for name, values in generated_types(catalogue, locale).items():
        existing = next((t for t in types if t["name"] == name), None)
        if existing is None:
            types.append({"name": name, "values": values})
        else:
            existing["values"] = values
    return model


def _additions(root: Path, locale: str) -> dict[str, Any]:
    """``models/additions/<locale>.yaml``: ``intents`` (name -> extra samples) and ``types``
    (type -> value id -> extra synonyms). A locale without one gets its source as it is."""
    relative = f"{ADDITIONS_DIR}/{locale}.yaml"
    if not (root / relative).is_file():
        return {}
    at = At(relative)
    data = read_yaml(root, relative)
    if not isinstance(data, dict) or set(data) - {"intents", "types"}:
        raise at.error("must be a mapping with intents and/or types")
    return data


def _add(language_model: dict[str, Any], additions: dict[str, Any], file: str) -> None:
    intents = {i["name"]: i for i in language_model["intents"]}
    for name, samples in (additions.get("intents") or {}).items():
        if name not in intents:
            raise ContentError(file, f"intents.{name}", "no such intent in the language's source model")
        have = intents[name].setdefault("samples", [])
        for sample in samples:
            if sample in have:
                raise ContentError(file, f"intents.{name}", f"{sample!r} is already in the source model")
            have.append(sample)
    types = {t["name"]: t for t in language_model.get("types", [])}
    for name, by_id in (additions.get("types") or {}).items():
        if name not in types or name in CATALOGUE_TYPES:
            raise ContentError(file, f"types.{name}", "not a hand-written slot type of the source model")
        values = {v.get("id"): v for v in types[name]["values"]}
        for value_id, synonyms in by_id.items():
            if value_id not in values:
                raise ContentError(file, f"types.{name}.{value_id}", "no such value id")
            have = values[value_id]["name"].setdefault("synonyms", [])
            have.extend(s for s in synonyms if s not in have)


def same_words(root: Path = CONTENT_DIR) -> dict[str, str]:
    """``same_words.yaml``: a regional word or phrase -> the source model's ("sec" -> "second")."""
    at = At(SAME_WORDS_FILE)
    data = read_yaml(root, SAME_WORDS_FILE)
    if not isinstance(data, dict):
        raise at.error("must be a mapping of regional words to the source model's words")
    words: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(key, str) or not isinstance(value, str) or not key.strip() or not value.strip():
            raise at.key(str(key)).error("must map words to words")
        words[key.strip().lower()] = value.strip().lower()
    return words


def sample_intents(model: Mapping[str, Any]) -> dict[str, str]:
    """Every sample of a model -> its intent."""
    return {
        sample: intent["name"]
        for intent in model["interactionModel"]["languageModel"]["intents"]
        for sample in intent.get("samples") or []
    }


def intent_conflicts(models: Mapping[str, Mapping[str, Any]], words: Mapping[str, str]) -> list[str]:
    """Phrases that mean the same in two models (after swapping ``words``) but go to different
    intents, one line each: "give me a second: BreakIntent (en-US) / AMAZON.PauseIntent (en-GB)"."""
    swaps = sorted(words.items(), key=lambda kv: -len(kv[0]))
    pattern = (
        re.compile(r"(?<![\w'])(" + "|".join(re.escape(k) for k, _ in swaps) + r")(?![\w'])")
        if swaps
        else None
    )

    def same(sample: str) -> str:
        text = " ".join(sample.lower().split())
        return pattern.sub(lambda m: words[m.group(1)], text) if pattern else text

    seen: dict[str, tuple[str, str]] = {}
    conflicts: list[str] = []
    for locale, model in models.items():
        for sample, intent in sample_intents(model).items():
            key = same(sample)
            first = seen.setdefault(key, (intent, locale))
            if first[0] != intent:
                conflicts.append(f"{key}: {first[0]} ({first[1]}) / {intent} ({locale})")
    return conflicts


def language_conflicts(catalogue: Catalogue, root: Path = CONTENT_DIR) -> list[str]:
    """``intent_conflicts`` within each language, over the models ``build_model`` makes."""
    words = same_words(root)
    conflicts: list[str] = []
    for language in dict.fromkeys(language_of(tag) for tag in catalogue.locales):
        models = {
            tag: build_model(catalogue, tag, root)
            for tag in catalogue.locales
            if language_of(tag) == language
        }
        conflicts.extend(intent_conflicts(models, words))
    return conflicts


def render(model: dict[str, Any]) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def sync_model(catalogue: Catalogue, locale: str, *, write: bool, root: Path = CONTENT_DIR) -> bool:
    """True when the packaged model, or the checkout's upload copy, differs from what
    ``build_model`` makes. With ``write`` both are fixed; the upload copy is always the
    packaged model byte for byte."""
    text = render(build_model(catalogue, locale, root))
    path = model_path(locale)
    changed = not path.is_file() or path.read_text(encoding="utf-8") != text
    if changed and write:
        path.write_text(text, encoding="utf-8")
    upload = upload_model_path(locale)
    if upload is not None and (not upload.is_file() or upload.read_text(encoding="utf-8") != text):
        changed = True
        if write:
            upload.parent.mkdir(parents=True, exist_ok=True)
            upload.write_text(text, encoding="utf-8")
    return changed
