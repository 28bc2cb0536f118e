"""Normalisation and the sample-expansion oracle."""

from __future__ import annotations

import pytest

from heel_coach.simulator import InteractionModel, Matcher, SlotValue, normalize, sample_utterances
from heel_coach.simulator.normalize import words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Alexa, NEXT!", "alexa next"),
        ("  say   that again?? ", "say that again"),
        ("eight o\u2019clock", "eight o'clock"),
        ("7.30am", "7:30 am"),
        ("7 a.m.", "7 am"),
        ("twenty-one", "twenty one"),
        ("'quoted' words", "quoted words"),
        ("what's up:", "what's up"),
        ("", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected
    assert normalize(expected) == expected


def test_words_is_a_tuple() -> None:
    assert words("Start my routine.") == ("start", "my", "routine")


def test_expansion_uses_first_value_then_a_synonym(model: InteractionModel) -> None:
    start = [(t, s) for i, t, s in sample_utterances(model) if i == "StartRoutineIntent"]
    assert start[:3] == [
        (
            "start my full heel routine",
            {"Routine": SlotValue("full heel routine", "full heel routine", "full", True)},
        ),
        ("start my foot routine", {"Routine": SlotValue("foot routine", "full heel routine", "full", True)}),
        (
            "start the full heel routine",
            {"Routine": SlotValue("full heel routine", "full heel routine", "full", True)},
        ),
    ]
    assert ("start a routine", {}) in start


def test_expansion_of_builtin_slots(model: InteractionModel) -> None:
    reminders = [(t, s) for i, t, s in sample_utterances(model) if i == "SetReminderIntent"]
    assert reminders[2] == (
        "remind me on monday at seven am",
        {"Day": SlotValue("monday", "monday"), "Time": SlotValue("seven am", "07:00")},
    )
    assert (
        "remind me every day at seven thirty pm",
        {"Time": SlotValue("seven thirty pm", "19:30")},
    ) in reminders


def test_limit_per_intent(model: InteractionModel) -> None:
    counts: dict[str, int] = {}
    for name, _, _ in sample_utterances(model, limit_per_intent=2):
        counts[name] = counts.get(name, 0) + 1
    assert counts["StartRoutineIntent"] == 2
    assert counts["SkipExerciseIntent"] == 2
    assert counts["AMAZON.NextIntent"] == 1
    assert "AMAZON.HelpIntent" not in counts  # no model samples: nothing to expand


def test_inline_model_round_trips(model: InteractionModel) -> None:
    matcher = Matcher(model)
    for name, text, slots in sample_utterances(model):
        found = matcher.recognize_best(text)
        assert (found.intent_name, found.slots) == (name, slots), text
