"""Spoken AMAZON.TIME values and day choices to local reminder times; the seeds' schedule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heel_coach.reminders.schedule import (
    PERIODS,
    SUGGESTIONS,
    LocalTime,
    days_for,
    parse_time,
    routine_for,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("07:00", LocalTime(7, 0)),
        ("19:30", LocalTime(19, 30)),
        ("7:05", LocalTime(7, 5)),
        ("MO", LocalTime(7, 0)),
        ("EV", LocalTime(19, 0)),
        ("ev", LocalTime(19, 0)),
        ("AF", LocalTime(14, 0)),
        ("NI", LocalTime(21, 0)),
        ("00:00", LocalTime(0, 0)),
    ],
)
def test_parse_time(value: str, expected: LocalTime) -> None:
    assert parse_time(value) == expected


@pytest.mark.parametrize("value", [None, "", "24:00", "7", "noonish", "12:60", "T07:00"])
def test_unusable_times(value: str | None) -> None:
    assert parse_time(value) is None


@given(st.integers(0, 23), st.integers(0, 59))
def test_every_clock_time_round_trips(hour: int, minute: int) -> None:
    assert parse_time(f"{hour:02d}:{minute:02d}") == LocalTime(hour, minute)


def test_days() -> None:
    assert days_for(None) is None and days_for("daily") is None
    assert days_for("weekdays") == ("MO", "TU", "WE", "TH", "FR")
    assert days_for("weekends") == ("SA", "SU")
    assert days_for("monday") == ("MO",)
    assert days_for("unknown") is None


def test_routine_named_by_time_of_day() -> None:
    assert routine_for(PERIODS["MO"]) == "morning"
    assert routine_for(PERIODS["EV"]) == "evening-massage"
    assert routine_for(LocalTime(13, 0)) == "full"


def test_suggestions_follow_the_seeds() -> None:
    by_routine = {s.routine_id: s for s in SUGGESTIONS}
    assert by_routine["morning"].time == LocalTime(7, 0) and by_routine["morning"].days is None
    assert len(by_routine["strength"].days or ()) == 3  # within three to five a week
    assert by_routine["evening-massage"].time.hour >= 18  # daily, in the evening


def test_local_time_validates() -> None:
    with pytest.raises(ValueError):
        LocalTime(24, 0)
