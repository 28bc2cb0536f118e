"""Locale rules from libraries, not from us: plural categories, lists, clock times, day names
(Babel, i.e. Unicode CLDR) and numbers in words (num2words).

Every function takes the Alexa locale ("en-GB") and returns text for that locale; the words
around these values are data (prompt files). Babel's data is loaded once per locale.

For English and German, whole-number plurals, lists and numbers below a thousand are written
out here: loading Babel's locale data and num2words' languages cost a Lambda container's first
request that counts, lists or says a number ~170 M instructions. Tests hold each of them to
the library's answer for every locale we ship, so the rules still come from CLDR and num2words.
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
    """CLDR plural category of ``n`` in the locale's language: 1 -> "one", 2 -> "other".

    For a whole number in English or German the rule is CLDR's "one: i = 1 and v = 0", read
    here without Babel: the first plural Babel gives loads the locale's whole CLDR data (~78 M
    instructions, a Lambda container's first request that counts anything). A test holds it to
    Babel for every locale we ship."""
    if language_of(tag) in _ONE_IS_EXACTLY_1 and type(n) is int and n >= 0:
        return "one" if n == 1 else "other"
    category: str = _locale(tag).plural_form(n)
    return category


_ONE_IS_EXACTLY_1 = frozenset({"en", "de"})
"""Languages whose CLDR plural rule for whole numbers is: "one" for 1, "other" for the rest."""


def plural_categories(tag: str) -> frozenset[str]:
    """The categories the locale's language distinguishes (always includes "other")."""
    return frozenset(_locale(tag).plural_form.tags) | {"other"}


def number_words(tag: str, n: int) -> str:
    """A whole number as words, for speech: "twenty-one", "einundzwanzig".

    Below a thousand (every length, count and set the skill says) in English and German the
    words are spelt here, exactly as num2words spells them (a contract test compares every
    number and locale); importing num2words loads its ~50 languages, ~80 M instructions of
    the first request in a Lambda container that says a number. Other numbers ask it."""
    language = language_of(tag)
    if 0 <= n < 1000 and language in _SPELL:
        return _SPELL[language](n)
    from num2words import num2words

    words: str = num2words(n, lang=_num2words_lang(tag))
    return words


_EN_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_DE_UNITS = (
    "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn "
    "fünfzehn sechzehn siebzehn achtzehn neunzehn"
).split()
_DE_TENS = "_ _ zwanzig dreißig vierzig fünfzig sechzig siebzig achtzig neunzig".split()


def _english(n: int) -> str:
    """0-999: "forty-two", "one hundred and one" (British and American num2words alike)."""
    hundreds, rest = divmod(n, 100)
    if rest < 20:
        words = _EN_UNITS[rest]
    else:
        tens, ones = divmod(rest, 10)
        words = _EN_TENS[tens] + (f"-{_EN_UNITS[ones]}" if ones else "")
    if not hundreds:
        return words
    head = f"{_EN_UNITS[hundreds]} hundred"
    return head if not rest else f"{head} and {words}"


def _german(n: int) -> str:
    """0-999, one word: "zweiundvierzig", "einhunderteins"."""
    hundreds, rest = divmod(n, 100)
    if rest < 20:
        words = _DE_UNITS[rest]
    else:
        tens, ones = divmod(rest, 10)
        words = (("ein" if ones == 1 else _DE_UNITS[ones]) + "und" if ones else "") + _DE_TENS[tens]
    if not hundreds:
        return words
    head = ("ein" if hundreds == 1 else _DE_UNITS[hundreds]) + "hundert"
    return head if not rest else head + words


_SPELL = {"en": _english, "de": _german}


@cache
def _num2words_lang(tag: str) -> str:
    """num2words knows some regions (en_IN) and every language we support."""
    from num2words import CONVERTER_CLASSES

    name = babel_name(tag)
    return name if name in CONVERTER_CLASSES else language_of(tag)


def join_list(tag: str, items: Sequence[str], style: Literal["standard", "or"] = "standard") -> str:
    """ "a, b, and c" (en-US), "a, b and c" (en-GB), "a, b und c" (de); ``style="or"`` for "or".

    The locales we ship join as CLDR's list patterns say, written out here (``_LISTS``) for the
    same reason as ``plural_category``; a test holds them to Babel's ``format_list``."""
    items = [item for item in items if item]
    if not items:
        return ""
    words = _LISTS.get((language_of(tag), style))
    if words is None:
        from babel.lists import format_list

        return format_list(items, style=style, locale=_locale(tag))
    if len(items) == 1:
        return items[0]
    last = (", " if tag in _SERIAL_COMMA and len(items) > 2 else " ") + f"{words} {items[-1]}"
    return ", ".join(items[:-1]) + last


_LISTS = {("en", "standard"): "and", ("en", "or"): "or", ("de", "standard"): "und", ("de", "or"): "oder"}
"""CLDR's list patterns of English and German: "{0}, {1}" up to the last item, then this word."""
_SERIAL_COMMA = frozenset({"en-US"})
"""Locales whose CLDR list pattern puts a comma before the last word ("a, b, and c")."""


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
