"""Every supported locale says everything, in its own words, with the same ids and figures.

docs/localisation.md: one source per language, overrides per locale. These contracts are what
lets a translator (or a reviewer of a new locale) trust that nothing is missing or skewed.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask

from heel_coach.catalogue.export import catalogue_as_json
from heel_coach.catalogue.model import Catalogue
from heel_coach.console.client import VoiceClient, flask_transport
from heel_coach.console.envelopes import Device
from heel_coach.console.wording import console_text
from heel_coach.locales import language_of
from heel_coach.resources import model_locales, model_path
from heel_coach.voice.formatting import plural_categories
from heel_coach.voice.model_sync import intent_conflicts, language_conflicts, same_words
from heel_coach.voice.prompts import available_locales, load_prompts

LOCALES = available_locales()
DEFAULT = LOCALES[0]


def intents_and_slots(locale: str) -> dict[str, list[tuple[str, str]]]:
    model = json.loads(model_path(locale).read_text(encoding="utf-8"))
    return {
        intent["name"]: [(slot["name"], slot["type"]) for slot in intent.get("slots", [])]
        for intent in model["interactionModel"]["languageModel"]["intents"]
    }


def test_the_default_is_en_us_and_every_locale_ships_a_model() -> None:
    assert DEFAULT == "en-US"
    assert set(model_locales()) == set(LOCALES)


@pytest.mark.parametrize("locale", LOCALES[1:])
def test_every_model_has_the_default_models_intents_and_slots(locale: str) -> None:
    assert intents_and_slots(locale) == intents_and_slots(DEFAULT)


@pytest.mark.parametrize("locale", LOCALES[1:])
def test_every_prompt_exists_in_every_locale_with_the_same_placeholders(locale: str) -> None:
    default, prompts = load_prompts(DEFAULT), load_prompts(locale)
    assert set(prompts.strings) == set(default.strings)
    for key in default.strings:
        assert prompts.placeholders(key) <= default.placeholders(key), (locale, key)
        assert prompts.is_plural(key) == default.is_plural(key), (locale, key)


def without_words(data: Any) -> Any:
    """The JSON catalogue with every spoken or shown text removed: ids and figures remain."""
    words = {"name", "names", "steps", "position", "cautions", "description", "short", "purpose", "equipment"}
    if isinstance(data, dict):
        return {k: without_words(v) for k, v in data.items() if k not in words and k != "total_s"}
    if isinstance(data, list):
        return [without_words(item) for item in data]
    return data


@pytest.mark.parametrize("locale", LOCALES[1:])
def test_the_catalogue_has_the_same_ids_and_figures_in_every_locale(
    locale: str, catalogue: Catalogue
) -> None:
    def total(_: object) -> int:
        return 0

    assert without_words(catalogue_as_json(catalogue, total, locale)) == without_words(
        catalogue_as_json(catalogue, total, DEFAULT)
    )
    for exercise in catalogue.exercises.values():
        text, base = exercise.text[locale], exercise.text[DEFAULT]
        assert (len(text.steps), len(text.cautions), set(text.variant_notes)) == (
            len(base.steps),
            len(base.cautions),
            set(base.variant_notes),
        ), (locale, exercise.id)
    safety, base_safety = catalogue.safety[locale], catalogue.safety[DEFAULT]
    assert len(safety.red_flags) == len(base_safety.red_flags)
    assert len(safety.massage_contraindications) == len(base_safety.massage_contraindications)
    assert safety.sources == base_safety.sources


def test_english_locales_differ_only_where_their_speakers_do(catalogue: Catalogue) -> None:
    english = [tag for tag in LOCALES if language_of(tag) == "en"]
    assert set(english) == {"en-US", "en-GB", "en-CA", "en-AU", "en-IN"}
    us = " ".join(catalogue.safety["en-US"].massage_contraindications)
    assert "tumors" in us and "tumours" not in us
    for tag in english[1:]:
        assert "tumours" in " ".join(catalogue.safety[tag].massage_contraindications), tag


@pytest.mark.parametrize("locale", LOCALES)
def test_the_console_speaks_every_locale_with_the_same_commands_and_placeholders(locale: str) -> None:
    """`heel-coach chat --locale X`: its own words in X's language (console.yaml), the ":"
    commands unchanged, the same placeholders and permission scopes as the default."""
    text, base = console_text(locale), console_text(DEFAULT)
    commands = re.compile(r"^  (:\w+)", re.M)
    assert commands.findall(text.commands) == commands.findall(base.commands)
    assert "{reprompt}" in text.reprompt and "{permission}" in text.question
    assert set(text.permissions) == set(base.permissions)
    assert text.yes and text.no and not text.yes & text.no
    if language_of(locale) != language_of(DEFAULT):
        assert text.banner != base.banner and text.commands != base.commands


def test_one_phrase_goes_to_one_intent_in_every_english_locale(catalogue: Catalogue) -> None:
    """A region's way of saying a phrase ("give me a sec", "have a break") reaches the intent
    the same phrase reaches in every other English locale (``same_words.yaml``)."""
    assert language_conflicts(catalogue) == []


def _model(**intents: list[str]) -> dict[str, Any]:
    listed = [{"name": name.replace("_", "."), "samples": samples} for name, samples in intents.items()]
    return {"interactionModel": {"languageModel": {"intents": listed}}}


def test_a_regional_variant_in_another_intent_is_a_conflict() -> None:
    words = same_words()
    us = _model(BreakIntent=["give me a second", "let me have a break"], AMAZON_PauseIntent=["pause"])
    gb = _model(BreakIntent=["let me have a break"], AMAZON_PauseIntent=["pause", "give me a sec"])
    assert intent_conflicts({"en-US": us, "en-GB": gb}, words) == [
        "give me a second: BreakIntent (en-US) / AMAZON.PauseIntent (en-GB)"
    ]
    take = _model(AMAZON_PauseIntent=["take a break"])
    have = _model(BreakIntent=["have a break"])
    assert intent_conflicts({"en-US": take, "en-GB": have}, words) == [
        "take a break: AMAZON.PauseIntent (en-US) / BreakIntent (en-GB)"
    ]
    assert intent_conflicts({"en-US": us, "en-CA": us}, words) == []


@pytest.mark.parametrize("requested", ["fr-FR", "ja-JP", "en-NZ"])
def test_a_request_in_an_unsupported_locale_gets_the_default_not_an_error(app: Flask, requested: str) -> None:
    client = VoiceClient(flask_transport(app), device=Device(locale=requested))
    heard = client.launch()
    assert heard.status == 200
    assert heard.text.startswith("Welcome! Heel Coach offers exercise guidance")


@pytest.mark.parametrize("locale", LOCALES)
def test_plural_forms_are_the_categories_the_language_has(locale: str) -> None:
    """Start-up checks only CLDR's names (no Babel import); here, each language's own set."""
    allowed = plural_categories(locale)
    for key, forms in load_prompts(locale).plural_forms().items():
        assert forms <= allowed, (locale, key, forms - allowed)
