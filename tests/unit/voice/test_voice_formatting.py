"""Locale rules come from CLDR (Babel) and num2words: the expected values are what a person in
that locale writes, so a library upgrade that changes them is noticed."""

from __future__ import annotations

from datetime import date, time

import pytest

from heel_coach.voice import formatting as fmt

ENGLISH = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")


@pytest.mark.parametrize("tag", [*ENGLISH, "de-DE"])
def test_english_and_german_have_one_and_other(tag: str) -> None:
    assert fmt.plural_categories(tag) == {"one", "other"}
    assert [fmt.plural_category(tag, n) for n in (0, 1, 2, 21)] == ["other", "one", "other", "other"]


@pytest.mark.parametrize(
    ("tag", "and_list", "or_list"),
    [
        ("en-US", "a, b, and c", "a, b, or c"),
        ("en-GB", "a, b and c", "a, b or c"),
        ("en-AU", "a, b and c", "a, b or c"),
        ("en-IN", "a, b and c", "a, b or c"),
        ("de-DE", "a, b und c", "a, b oder c"),
    ],
)
def test_lists_follow_each_locale(tag: str, and_list: str, or_list: str) -> None:
    assert fmt.join_list(tag, ["a", "b", "c"]) == and_list
    assert fmt.join_list(tag, ["a", "b", "c"], "or") == or_list
    assert fmt.join_list(tag, ["a", "", "b"]) == fmt.join_list(tag, ["a", "b"])
    assert fmt.join_list(tag, []) == ""


@pytest.mark.parametrize(
    ("tag", "pattern", "spoken"),
    [
        ("en-US", "h a", "7 PM"),
        ("en-GB", "h a", "7 pm"),
        ("en-CA", "h:mm a", "7:30 p.m."),
        ("en-AU", "h:mm a", "7:30 pm"),
        ("de-DE", "H 'Uhr'", "19 Uhr"),
        ("de-DE", "H:mm 'Uhr'", "19:30 Uhr"),
    ],
)
def test_clock_times_use_the_locale_pattern_and_markers(tag: str, pattern: str, spoken: str) -> None:
    minute = 30 if "mm" in pattern else 0
    assert fmt.clock_time(tag, time(19, minute), pattern) == spoken


def test_numbers_days_and_dates_in_words() -> None:
    assert fmt.number_words("en-US", 45) == "forty-five"
    assert fmt.number_words("en-IN", 21) == "twenty-one"
    assert fmt.number_words("de-DE", 45) == "fünfundvierzig"
    assert fmt.day_name("en-GB", 0) == "Monday"
    assert fmt.day_name("de-DE", 6) == "Sonntag"
    assert fmt.long_date("en-GB", date(2026, 12, 1)) == "1 December 2026"
    assert fmt.long_date("en-US", date(2026, 12, 1)) == "December 1, 2026"
    assert fmt.long_date("de-DE", date(2026, 12, 1)) == "1. Dezember 2026"


@pytest.mark.parametrize("tag", ["en-US", "en-GB", "en-CA", "en-AU", "en-IN", "de-DE"])
def test_numbers_spelt_here_are_what_num2words_spells(tag: str) -> None:
    """Below a thousand the words are ours (no num2words import on a cold start): every one
    of them is num2words' own, and larger numbers still come from num2words."""
    from num2words import num2words

    lang = fmt._num2words_lang(tag)
    for n in range(1000):
        assert fmt.number_words(tag, n) == num2words(n, lang=lang), (tag, n)
    assert fmt.number_words(tag, 100_000) == num2words(100_000, lang=lang)  # en-IN: "one lakh"


@pytest.mark.parametrize("tag", ["en-US", "en-GB", "en-CA", "en-AU", "en-IN", "de-DE"])
def test_plurals_and_lists_read_without_babel_are_babels(tag: str) -> None:
    """English and German plural categories and list patterns are written out (loading Babel's
    locale data for them costs a Lambda container's first counting request ~78 M
    instructions): for every locale we ship they are exactly what Babel (CLDR) says."""
    from babel import Locale
    from babel.lists import format_list

    cldr = Locale.parse(tag.replace("-", "_"))
    for n in range(2000):
        assert fmt.plural_category(tag, n) == cldr.plural_form(n), (tag, n)
    for style in ("standard", "or"):
        for count in range(1, 7):
            items = [f"item {i}" for i in range(count)]
            assert fmt.join_list(tag, items, style) == format_list(items, style=style, locale=cldr)
    assert fmt.join_list(tag, ["", "a", ""]) == "a" and fmt.join_list(tag, []) == ""
