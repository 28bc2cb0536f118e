"""Every German word the skill can say or show is spelled as a German dictionary spells it.

What is checked: every text of the de-DE locale files (catalogue names, steps, cautions and
purposes, safety texts, prompts, screen labels, the store listing) and every sample, slot
sample and slot value of the German interaction model. With which dictionary: Hunspell (the
spell checker of LibreOffice and Firefox, through ``chunspell``, which bundles Hunspell 1.7) with
igerman98, the German dictionary Debian ships as ``hunspell-de-de`` (``make dictionaries``
installs it). Hunspell knows German inflection and compounds and is case-sensitive, so a noun
written small in a sentence ("die übung") is an error; a frequency list such as
pyspellchecker's German one knows neither and folds case, so it would pass that.

Domain words the dictionary lacks ("Plantarfasziitis", "Fersensporn") are in
``german_allowlist.yaml`` beside this file, each with the reason it is right.

Four rules beyond the dictionary, each because German allows it:

* samples and slot values are lower case (Alexa's rule), so a sample word may be a noun
  written small: "fußsohle" passes as "Fußsohle";
* the first word of a sentence, of a quotation („...“) or after a colon may be capitalised;
* a hyphenated compound ("Soleus-Dehnung") is right when each of its parts is;
* the du-imperative may drop its -e ("Heb das Bein", Duden: "heb[e]!"): a word passes when its
  -e form and its infinitive (stem + "en") are both in the dictionary.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from heel_coach.catalogue.locale_files import locale_file_names, read_locale_file
from heel_coach.resources import CONTENT_DIR, model_path

LOCALE = "de-DE"
DICTIONARY_DIR = Path("/usr/share/hunspell")
ALLOWLIST = Path(__file__).with_name("german_allowlist.yaml")
NOT_SAID = {"speech.yaml"}
"""Locale files whose text is never said or shown (the speaking rate's reasoning, in English)."""
COMMAND_LINE = {"console.yaml"}
"""Locale files that name command-line input (":date", "quit", "--device-time", "[speaks ...]"):
a word the English file has too is such a name, the same in every language, and not checked."""
LOWER_CASE_KEYS = {"synonyms", "disclaimer", "examplePhrases"}
"""Lower-case phrases: slot synonyms, the store listing's must-contain phrases, and its example
phrases (they say the invocation name as spoken, "fersen trainer")."""

WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+(?:-[A-Za-zÄÖÜäöüß]+)*-?")
SENTENCE_START = re.compile(r"(?:^|[.!?:;„»(¶]\s*|\s[-–]\s)$")
"""What may come before a capitalised first word ("¶": a placeholder, which may end a sentence)."""


@dataclass(frozen=True)
class Text:
    where: str
    text: str
    lower_case: bool
    """A sample, slot value or synonym: written in lower case by rule."""
    literal: frozenset[str] = frozenset()
    """Words that are input or identifiers here, not German (``COMMAND_LINE``)."""


def _strings(data: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in ("sources", "source", "select"):
                yield from _strings(value, (*path, str(key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, (*path, str(i)))


def german_texts() -> Iterator[Text]:
    """Everything German the skill can say or show, with where it comes from."""
    for name in locale_file_names(CONTENT_DIR, LOCALE, "*.yaml"):
        if name in NOT_SAID:
            continue
        data, at = read_locale_file(CONTENT_DIR, LOCALE, name)
        literal: frozenset[str] = frozenset()
        if name in COMMAND_LINE:
            english, _ = read_locale_file(CONTENT_DIR, "en-US", name)
            literal = frozenset(w for _, t in _strings(english, ()) for w in WORD.findall(t))
        for path, text in _strings(data, ()):
            if "://" in text:
                continue  # a URL (store listing icons, privacy policy)
            where = f"{at.file}: {'.'.join(path)}"
            yield Text(where, text, lower_case=bool(LOWER_CASE_KEYS & set(path)), literal=literal)
    model = json.loads(model_path(LOCALE).read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
    yield Text("model: invocationName", model["invocationName"], True)
    for intent in model["intents"]:
        for sample in intent.get("samples") or []:
            yield Text(f"model: {intent['name']}", sample, True)
        for slot in intent.get("slots") or []:
            for sample in slot.get("samples") or []:
                yield Text(f"model: {intent['name']}.{slot['name']}", sample, True)
    for slot_type in model.get("types") or []:
        for value in slot_type["values"]:
            for said in (value["name"]["value"], *value["name"].get("synonyms", [])):
                yield Text(f"model: {slot_type['name']}", said, True)


def _filled(text: str) -> str:
    """Placeholders out: one glued to a word is a number ("{count}mal" -> "zweimal"); any
    other may end a sentence ("deshalb {outcome} Prüf bitte ...")."""
    text = re.sub(r"\{[^}]*\}(?=[a-zäöüß])", "zwei", text)
    return re.sub(r"\{[^}]*\}", " ¶ ", text)


class German:
    """Hunspell's de_DE dictionary and the three rules of the module docstring."""

    def __init__(self, allowed: set[str]) -> None:
        from hunspell import Hunspell

        self.hunspell = Hunspell("de_DE", hunspell_data_dir=str(DICTIONARY_DIR))
        self.allowed = allowed

    def known(self, word: str) -> bool:
        return word in self.allowed or bool(self.hunspell.spell(word))

    def short_imperative(self, word: str) -> bool:
        stem = word.lower()
        return self.known(stem + "e") and self.known(stem + "en")

    def accepts(self, word: str, *, lower_case: bool, starts_sentence: bool, abbreviated: bool) -> bool:
        candidates = [word]
        if abbreviated:
            candidates.append(word + ".")
        if lower_case:
            candidates.append(word[:1].upper() + word[1:])
        if starts_sentence and word[:1].isupper():
            candidates.append(word.lower())
        if any(self.known(w) for w in candidates):
            return True
        parts = word.rstrip("-").split("-")
        if len(parts) > 1:  # "Soleus-Dehnung": a hyphenated compound of words
            first = self.accepts(
                parts[0], lower_case=lower_case, starts_sentence=starts_sentence, abbreviated=False
            )
            rest = (
                self.accepts(p, lower_case=lower_case, starts_sentence=False, abbreviated=False)
                for p in parts[1:]
            )
            return first and all(rest)
        return (word.islower() or starts_sentence) and self.short_imperative(word)

    def errors(self, text: Text) -> list[str]:
        found = []
        filled = _filled(text.text)
        for match in WORD.finditer(filled):
            word = match.group(0)
            if word in text.literal:
                continue
            before = filled[: match.start()]
            starts = bool(SENTENCE_START.search(before))
            abbreviated = filled[match.end() : match.end() + 1] == "."
            if not self.accepts(
                word, lower_case=text.lower_case, starts_sentence=starts, abbreviated=abbreviated
            ):
                found.append(word)
        return found


def load_allowlist() -> dict[str, str]:
    data = yaml.safe_load(ALLOWLIST.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{ALLOWLIST.name}: a mapping of word: reason"
    return {str(word): str(reason) for word, reason in data.items()}


@pytest.fixture(scope="module")
def german() -> German:
    if not (DICTIONARY_DIR / "de_DE.dic").is_file():
        pytest.fail(
            f"no German Hunspell dictionary in {DICTIONARY_DIR}: run `make dictionaries` "
            "(as root: apt-get install hunspell-de-de)"
        )
    return German(set(load_allowlist()))


def test_every_german_word_is_in_the_dictionary_or_the_allowlist(german: German) -> None:
    texts = list(german_texts())
    assert len(texts) > 500 and any(t.where.startswith("model:") for t in texts)
    wrong: dict[str, list[str]] = {}
    for text in texts:
        for word in german.errors(text):
            wrong.setdefault(word, []).append(text.where)
    report = "\n".join(
        f"{word}: {', '.join(sorted(set(where))[:3])}" for word, where in sorted(wrong.items())
    )
    assert not wrong, f"{len(wrong)} words are not German as the dictionary spells them:\n{report}"


def test_the_check_catches_misspellings_and_small_nouns(german: German) -> None:
    for wrong in ("Halte die Ferse am Bodden.", "Stell dich auf die übung ein.", "Wiederhohle das."):
        assert german.errors(Text("test", wrong, lower_case=False)), wrong
    for right in ("Heb die Ferse.", "Lehn dich nach vorn.", "Sag „weiter“.", "Fünf Sek. Pause."):
        assert german.errors(Text("test", right, lower_case=False)) == [], right
    assert german.errors(Text("test", "roll die fußsohle aus", lower_case=True)) == []


def test_every_allowed_word_has_a_reason_and_is_still_needed(german: German) -> None:
    allowlist = load_allowlist()
    for word, reason in allowlist.items():
        assert len(reason.split()) >= 3, f"{word}: say why it is right"
    without = German(set())
    used = {
        word
        for text in german_texts()
        for word in without.errors(text)
        for candidate in (word, word[:1].upper() + word[1:])
        if candidate in allowlist
    }
    assert set(allowlist) <= used | {w[:1].upper() + w[1:] for w in used}, set(allowlist) - used
