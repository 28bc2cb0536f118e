"""Built-in slot types: spoken words -> the value Alexa would put in ``slot.value``."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heel_coach.simulator.builtins import (
    INTENT_PHRASES,
    SLOT_EXAMPLES,
    SLOT_PARSERS,
    parse_number,
)
from heel_coach.simulator.normalize import normalize, words


def parse(slot_type: str, text: str) -> str | None:
    return SLOT_PARSERS[slot_type](words(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("zero", "0"),
        ("seven", "7"),
        ("7", "7"),
        ("twelve", "12"),
        ("nineteen", "19"),
        ("twenty", "20"),
        ("twenty one", "21"),
        ("twenty-one", "21"),
        ("ninety nine", "99"),
        ("a hundred", "100"),
        ("one hundred", "100"),
        ("one hundred and five", "105"),
        ("two hundred forty", "240"),
        ("a thousand", "1000"),
        ("two thousand and ten", "2010"),
        ("150", "150"),
        ("", None),
        ("seven eight", None),
        ("twenty twenty", None),
        ("one zero", None),
        ("a", None),
        ("hundred", None),
        ("ten hundred", None),
        ("lots", None),
    ],
)
def test_number(text: str, value: str | None) -> None:
    assert parse("AMAZON.NUMBER", text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("seven am", "07:00"),
        ("7 am", "07:00"),
        ("7am", "07:00"),
        ("7 a.m.", "07:00"),
        ("seven a m", "07:00"),
        ("seven pm", "19:00"),
        ("seven thirty pm", "19:30"),
        ("seven thirty", "07:30"),
        ("7:30", "07:30"),
        ("7:30 p.m.", "19:30"),
        ("19:45", "19:45"),
        ("eight o'clock", "08:00"),
        ("eight o'clock in the evening", "20:00"),
        ("seven in the morning", "07:00"),
        ("nine at night", "21:00"),
        ("three in the afternoon", "15:00"),
        ("seven oh five", "07:05"),
        ("seven forty five am", "07:45"),
        ("twelve am", "00:00"),
        ("twelve pm", "12:00"),
        ("noon", "12:00"),
        ("twelve noon", "12:00"),
        ("midnight", "00:00"),
        ("half past seven", "07:30"),
        ("quarter past eight pm", "20:15"),
        ("quarter to eight", "07:45"),
        ("ten to nine", "08:50"),
        ("twenty minutes past six", "06:20"),
        ("in the morning", "MO"),
        ("morning", "MO"),
        ("this morning", "MO"),
        ("in the afternoon", "AF"),
        ("in the evening", "EV"),
        ("this evening", "EV"),
        ("at night", "NI"),
        ("night", "NI"),
        ("tonight", "NI"),
        ("thirteen pm", None),
        ("twenty five", None),
        ("seven sixty", None),
        ("seven five", None),
        ("25:00", None),
        ("half to seven", None),
        ("soon", None),
        ("am", None),
        ("", None),
    ],
)
def test_time(text: str, value: str | None) -> None:
    assert parse("AMAZON.TIME", text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("thirty seconds", "PT30S"),
        ("30 seconds", "PT30S"),
        ("one second", "PT1S"),
        ("two minutes", "PT2M"),
        ("a minute", "PT1M"),
        ("an hour", "PT1H"),
        ("ninety seconds", "PT90S"),
        ("a minute and a half", "PT1M30S"),
        ("one and a half minutes", "PT1M30S"),
        ("half a minute", "PT30S"),
        ("half an hour", "PT30M"),
        ("two minutes and thirty seconds", "PT2M30S"),
        ("one hour ten minutes", "PT1H10M"),
        ("two days", "P2D"),
        ("a week", "P1W"),
        ("five mins", "PT5M"),
        ("seconds", None),
        ("thirty", None),
        ("and two minutes", None),
        ("two minutes and", None),
        ("half a week", None),
        ("two apples", None),
        ("", None),
    ],
)
def test_duration(text: str, value: str | None) -> None:
    assert parse("AMAZON.DURATION", text) == value


@pytest.mark.parametrize(
    ("slot_type", "text", "value"),
    [
        ("AMAZON.DayOfWeek", "monday", "monday"),
        ("AMAZON.DayOfWeek", "Sunday", "sunday"),
        ("AMAZON.DayOfWeek", "fridays", "friday"),
        ("AMAZON.DayOfWeek", "someday", None),
        ("AMAZON.DayOfWeek", "next monday", None),
        ("AMAZON.DATE", "today", "today"),
        ("AMAZON.DATE", "tomorrow", "tomorrow"),
        ("AMAZON.DATE", "yesterday", "yesterday"),
        ("AMAZON.DATE", "next week", None),
        ("AMAZON.Ordinal", "third", "3"),
        ("AMAZON.Ordinal", "twenty first", "21"),
        ("AMAZON.Ordinal", "twentieth", "20"),
        ("AMAZON.Ordinal", "2nd", "2"),
        ("AMAZON.Ordinal", "three", None),
    ],
)
def test_day_date_ordinal(slot_type: str, text: str, value: str | None) -> None:
    assert parse(slot_type, text) == value


@pytest.mark.parametrize(
    ("slot_type", "spoken", "value"),
    [(t, spoken, value) for t, pairs in SLOT_EXAMPLES.items() for spoken, value in pairs],
)
def test_examples_used_by_the_oracle_parse(slot_type: str, spoken: str, value: str) -> None:
    assert parse(slot_type, spoken) == value


def test_every_parser_has_examples() -> None:
    assert set(SLOT_EXAMPLES) == set(SLOT_PARSERS)


def test_intent_phrases_are_normalised_and_unique() -> None:
    seen: dict[str, str] = {}
    for intent, phrases in INTENT_PHRASES.items():
        for phrase in phrases:
            assert normalize(phrase) == phrase
            assert seen.setdefault(phrase, intent) == intent, phrase


@given(st.integers(min_value=0, max_value=999_999))
def test_digits_round_trip(number: int) -> None:
    assert parse_number((str(number),)) == number


@given(
    st.lists(
        st.sampled_from(
            [
                "seven",
                "am",
                "and",
                "a",
                "half",
                "minute",
                "past",
                "to",
                "o'clock",
                "oh",
                "in",
                "the",
                "morning",
                "7:30",
                "99",
            ]
        ),
        max_size=6,
    )
)
def test_parsers_never_raise(spoken: list[str]) -> None:
    for parser in SLOT_PARSERS.values():
        result = parser(tuple(spoken))
        assert result is None or isinstance(result, str)
