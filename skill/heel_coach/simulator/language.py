"""Which built-ins a model's language brings: phrases, launch words, slot parsers, examples.

Alexa's built-in intents and slot types understand each language in that language; the
simulator mirrors that with one ``Language`` per language we ship a model for. A model's
language comes from its locale (``de-DE.json`` -> German); locales of a language we have no
built-ins for are refused rather than silently matched with English rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import ModuleType

from heel_coach.errors import ContentError
from heel_coach.locales import language_of
from heel_coach.simulator import builtins, builtins_de
from heel_coach.simulator.normalize import Words


@dataclass(frozen=True)
class Language:
    code: str
    intent_phrases: Mapping[str, tuple[str, ...]]
    """Built-in intent -> what Alexa recognises for it without samples."""
    slot_parsers: Mapping[str, Callable[[Words], str | None]]
    slot_examples: Mapping[str, tuple[tuple[str, str], ...]]
    launch_phrases: tuple[Words, ...]
    leading_connectors: frozenset[str]
    trailing_connectors: frozenset[str]
    polite: tuple[Words, ...]
    """Said around a request without changing it; the first may also lead ("please ...")."""
    forbidden_invocation_words: frozenset[str]
    compounds_invocation: bool
    person_says: Mapping[str, str]
    """What the simulated person says ("next", "weiter"), by meaning."""
    ready_invitation: re.Pattern[str]
    """German speakers run a two-word name into one ("fersentrainer"); Alexa accepts both."""


def _from(code: str, module: ModuleType, *, compounds_invocation: bool) -> Language:
    """A language's built-ins, from the module that defines them under the shared names."""
    return Language(
        code=code,
        intent_phrases=module.INTENT_PHRASES,
        slot_parsers=module.SLOT_PARSERS,
        slot_examples=module.SLOT_EXAMPLES,
        launch_phrases=module.LAUNCH_PHRASES,
        leading_connectors=module.LEADING_CONNECTORS,
        trailing_connectors=module.TRAILING_CONNECTORS,
        polite=module.POLITE,
        forbidden_invocation_words=module.FORBIDDEN_INVOCATION_WORDS,
        compounds_invocation=compounds_invocation,
        person_says=module.PERSON_SAYS,
        ready_invitation=module.READY_INVITATION,
    )


ENGLISH = _from("en", builtins, compounds_invocation=False)
GERMAN = _from("de", builtins_de, compounds_invocation=True)

LANGUAGES: Mapping[str, Language] = {language.code: language for language in (ENGLISH, GERMAN)}


def language_for(locale: str, file: str = "<inline>") -> Language:
    """The built-ins for a model in ``locale``; a ContentError for a language we lack."""
    try:
        return LANGUAGES[language_of(locale)]
    except KeyError:
        known = ", ".join(sorted(LANGUAGES))
        raise ContentError(file, "$", f"no simulator built-ins for {locale!r} (languages: {known})") from None


__all__ = ["ENGLISH", "GERMAN", "LANGUAGES", "Language", "language_for"]
