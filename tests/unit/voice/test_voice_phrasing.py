"""The phrasing layer: words from the locale's prompts, numbers and forms from libraries."""

from __future__ import annotations

import pytest

from heel_coach.voice.phrasing import Phrasing
from heel_coach.voice.prompts import load_prompts


@pytest.fixture(scope="module")
def english() -> Phrasing:
    return Phrasing(load_prompts("en-US"))


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (1, "one second"),
        (30, "thirty seconds"),
        (60, "one minute"),
        (90, "a minute and a half"),
        (135, "two minutes and fifteen seconds"),
        (61, "one minute and one second"),
    ],
)
def test_exact_durations(english: Phrasing, seconds: int, said: str) -> None:
    assert english.duration(seconds) == said


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (30, "under a minute"),
        (90, "one and a half minutes"),
        (270, "four and a half minutes"),
        (300, "five minutes"),
        (1500, "twenty-five minutes"),
    ],
)
def test_approximate_durations(english: Phrasing, seconds: int, said: str) -> None:
    assert english.approximate_duration(seconds) == said


def test_counts_agree_with_their_number(english: Phrasing) -> None:
    assert english.count("count.repetitions", 1) == "one repetition"
    assert english.count("count.repetitions", 12) == "twelve repetitions"
    assert english.count("count.times", 1) == "once"


def test_lists_and_choices_follow_the_locale() -> None:
    us, gb = Phrasing(load_prompts("en-US")), Phrasing(load_prompts("en-GB"))
    assert us.join(["a wall", "a chair", "a towel"]) == "a wall, a chair, and a towel"
    assert gb.join(["a wall", "a chair", "a towel"]) == "a wall, a chair and a towel"
    assert us.choices([["a roller", "a ball"], ["a chair"]]) == "a roller or a ball, and a chair"
