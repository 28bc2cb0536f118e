"""Locale rules from libraries, not from us: plural categories, lists, clock times, day names
(Babel, i.e. Unicode CLDR) and numbers in words (num2words).

Every function takes the Alexa locale ("en-GB") and returns text for that locale; the words
around these values are data (prompt files). Babel's data is loaded once per locale.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from functools import cache
from typing import TYPE_CHECKING, Literal

from heel_coach.locales import babel_name, language_of

if TYPE_CHECKING:
    from babel import Locale

PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
"""CLDR plural categories; English and German use only "one" and "other"."""


@cache
def _locale(tag: str) -> Locale:
    from babel import Locale

    return Locale.parse(babel_name(tag))


def plural_category(tag: str, n: int) -> str:
    """CLDR plural category of ``n`` in the locale's language: 1 -> "one", 2 -> "other"."""
    category: str = _locale(tag).plural_form(n)
    return category


def plural_categories(tag: str) -> frozenset[str]:
    """The categories the locale's language distinguishes (always includes "other")."""
    return frozenset(_locale(tag).plural_form.tags) | {"other"}


def number_words(tag: str, n: int) -> str:
    """A whole number as words, for speech: "twenty-one", "einundzwanzig"."""
    from num2words import num2words

    words: str = num2words(n, lang=_num2words_lang(tag))
    return words


@cache
def _num2words_lang(tag: str) -> str:
    """num2words knows some regions (en_IN) and every language we support."""
    from num2words import CONVERTER_CLASSES

    name = babel_name(tag)
    return name if name in CONVERTER_CLASSES else language_of(tag)


def join_list(tag: str, items: Sequence[str], style: Literal["standard", "or"] = "standard") -> str:
    """ "a, b, and c" (en-US), "a, b and c" (en-GB), "a, b und c" (de); ``style="or"`` for "or"."""
    from babel.lists import format_list

    items = [item for item in items if item]
    return format_list(items, style=style, locale=_locale(tag)) if items else ""


def clock_time(tag: str, at: time, pattern: str) -> str:
    """A clock time with a CLDR pattern from the locale's data: "h a" -> "7 AM" (en-US),
    "7 am" (en-GB), "7 a.m." (en-CA); "H 'Uhr'" -> "7 Uhr" (de-DE)."""
    from babel.dates import format_time

    return format_time(at, pattern, locale=_locale(tag))


def day_name(tag: str, weekday: int) -> str:
    """The full name of a weekday (0 = Monday): "Monday", "Montag"."""
    from babel.dates import get_day_names

    names = get_day_names("wide", locale=_locale(tag))
    return str(names[weekday])


def long_date(tag: str, day: date) -> str:
    """A date as written in the locale: "December 1, 2026" (en-US), "1 December 2026" (en-GB),
    "1. Dezember 2026" (de-DE)."""
    from babel.dates import format_date

    return format_date(day, "long", locale=_locale(tag))


__all__ = [
    "PLURAL_CATEGORIES",
    "clock_time",
    "day_name",
    "join_list",
    "long_date",
    "number_words",
    "plural_categories",
    "plural_category",
]
