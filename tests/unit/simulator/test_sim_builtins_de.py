"""German built-ins: spoken German -> the value Alexa's German model puts in ``slot.value``."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from num2words import num2words

from heel_coach.simulator import builtins_de
from heel_coach.simulator.builtins_de import SLOT_EXAMPLES, SLOT_PARSERS, parse_number
from heel_coach.simulator.normalize import words


def parse(slot_type: str, text: str) -> str | None:
    return SLOT_PARSERS[slot_type](words(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("null", "0"),
        ("eins", "1"),
        ("eine", "1"),
        ("sieben", "7"),
        ("zwölf", "12"),
        ("neunzehn", "19"),
        ("zwanzig", "20"),
        ("einundzwanzig", "21"),
        ("ein und zwanzig", "21"),
        ("dreißig", "30"),
        ("dreissig", "30"),
        ("neunundneunzig", "99"),
        ("hundert", "100"),
        ("einhundertfünf", "105"),
        ("zwei hundert vierzig", "240"),
        ("tausend", "1000"),
        ("zweitausendzehn", "2010"),
        ("150", "150"),
        ("", None),
        ("sieben acht", None),
        ("zwanzigzwanzig", None),
        ("undzwanzig", None),
        ("viele", None),
    ],
)
def test_number(text: str, value: str | None) -> None:
    assert parse("AMAZON.NUMBER", text) == value


@given(st.integers(min_value=0, max_value=9999))
def test_every_number_num2words_writes_is_read_back(n: int) -> None:
    assert parse_number(words(num2words(n, lang="de"))) == n


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("erste", "1"),
        ("ersten", "1"),
        ("dritte", "3"),
        ("siebte", "7"),
        ("zehnte", "10"),
        ("zwölften", "12"),
        ("zwanzigste", "20"),
        ("einundzwanzigsten", "21"),
        ("3", "3"),
        ("drei", None),
        ("zweit", None),
    ],
)
def test_ordinal(text: str, value: str | None) -> None:
    assert parse("AMAZON.Ordinal", text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("sieben", "07:00"),
        ("sieben uhr", "07:00"),
        ("7 uhr", "07:00"),
        ("neunzehn uhr", "19:00"),
        ("sieben uhr dreißig", "07:30"),
        ("7:30", "07:30"),
        ("7.30 uhr", "07:30"),
        ("halb acht", "07:30"),
        ("viertel nach sieben", "07:15"),
        ("viertel vor acht", "07:45"),
        ("dreiviertel acht", "07:45"),
        ("zehn nach sieben", "07:10"),
        ("zehn vor acht", "07:50"),
        ("sieben uhr morgens", "07:00"),
        ("sieben uhr abends", "19:00"),
        ("halb acht abends", "19:30"),
        ("drei uhr nachmittags", "15:00"),
        ("neun uhr am abend", "21:00"),
        ("zehn uhr nachts", "22:00"),
        ("zwei uhr nachts", "02:00"),
        ("zwölf uhr nachts", "00:00"),
        ("mittags", "12:00"),
        ("mitternacht", "00:00"),
        ("morgens", "MO"),
        ("am nachmittag", "AF"),
        ("heute abend", "EV"),
        ("in der nacht", "NI"),
        ("fünfundzwanzig uhr", None),
        ("neunzehn uhr abends", None),
        ("halb", None),
        ("irgendwann", None),
    ],
)
def test_time(text: str, value: str | None) -> None:
    assert parse("AMAZON.TIME", text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("dreißig sekunden", "PT30S"),
        ("eine minute", "PT1M"),
        ("zwei minuten", "PT2M"),
        ("eineinhalb minuten", "PT1M30S"),
        ("anderthalb minuten", "PT1M30S"),
        ("sechseinhalb minuten", "PT6M30S"),  # how the skill says 6.5 minutes
        ("zweieinhalb stunden", "PT2H30M"),
        ("einhalb minuten", None),
        ("eine halbe stunde", "PT30M"),
        ("eine minute und dreißig sekunden", "PT1M30S"),
        ("zwei wochen", "P2W"),
        ("minuten", None),
        ("eine halbe woche", None),
    ],
)
def test_duration(text: str, value: str | None) -> None:
    assert parse("AMAZON.DURATION", text) == value


def test_days_and_dates() -> None:
    assert parse("AMAZON.DayOfWeek", "montags") == "montag"
    assert parse("AMAZON.DayOfWeek", "sonntag") == "sonntag"
    assert parse("AMAZON.DayOfWeek", "morgen") is None
    assert parse("AMAZON.DATE", "übermorgen") == "übermorgen"


def test_every_example_parses_to_its_value() -> None:
    for slot_type, examples in SLOT_EXAMPLES.items():
        for spoken, value in examples:
            assert parse(slot_type, spoken) == value, (slot_type, spoken)


def test_launch_phrases_and_connectors_are_refused_in_an_invocation_name() -> None:
    for phrase in builtins_de.LAUNCH_PHRASES:
        assert phrase[0] in builtins_de.FORBIDDEN_INVOCATION_WORDS
    assert builtins_de.LEADING_CONNECTORS <= builtins_de.FORBIDDEN_INVOCATION_WORDS
