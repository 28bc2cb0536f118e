"""Typed text -> the request Alexa would send, against the inline model in conftest.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heel_coach.simulator import Matcher, SlotValue, Utterance

Build = Callable[[list[dict[str, Any]], list[dict[str, Any]]], Matcher]

FULL = SlotValue("foot routine", "full heel routine", "full", True)
QUICK = SlotValue("quick routine", "quick routine", "quick", True)


def intent(name: str | None, new: bool = False, **slots: SlotValue) -> Utterance:
    return Utterance("intent", name, dict(slots), new)


# --- invocation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "open heel coach",
        "Open Heel Coach.",
        "launch heel coach",
        "start heel coach",
        "alexa open heel coach",
        "Alexa, open heel coach!",
        "ask heel coach",
        "talk to heel coach",
        "ask heel coach to",
    ],
)
def test_launch_phrases(matcher: Matcher, text: str) -> None:
    assert matcher.recognize_best(text) == Utterance("launch", None, {}, True)
    assert matcher.recognize_all(text) == [Utterance("launch", None, {}, True)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ask heel coach to start my foot routine", intent("StartRoutineIntent", True, Routine=FULL)),
        ("tell heel coach next", intent("AMAZON.NextIntent", True)),
        ("ask heel coach for the quick routine", intent("StartRoutineIntent", True, Routine=QUICK)),
        (
            "open heel coach and start my morning routine",
            intent(
                "StartRoutineIntent",
                True,
                Routine=SlotValue("morning routine", "full heel routine", "full", True),
            ),
        ),
        ("alexa, tell heel coach to skip", intent("SkipExerciseIntent", True)),
        ("start my foot routine using heel coach", intent("StartRoutineIntent", True, Routine=FULL)),
        ("ask heel coach to sing a song", intent("AMAZON.FallbackIntent", True)),
    ],
)
def test_one_shot_requests_open_a_session(matcher: Matcher, text: str, expected: Utterance) -> None:
    assert matcher.recognize_best(text) == expected


@pytest.mark.parametrize("text", ["exit", "quit", "heel coach", "open the door"])
def test_only_launch_phrases_are_special(matcher: Matcher, text: str) -> None:
    assert matcher.recognize_best(text) == intent("AMAZON.FallbackIntent")


# --- custom slots -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("start my foot routine", FULL),
        ("Start my FULL heel routine!", SlotValue("full heel routine", "full heel routine", "full", True)),
        ("alexa, start the short routine", SlotValue("short routine", "quick routine", "quick", True)),
        ("start my dance routine", SlotValue("dance routine", None, None, False)),
    ],
)
def test_custom_slot_resolution(matcher: Matcher, text: str, slot: SlotValue) -> None:
    found = matcher.recognize_best(text)
    assert found == intent("StartRoutineIntent", Routine=slot)
    assert found.slots["Routine"].slot_type == "ROUTINE_NAME"
    assert found.slots["Routine"].request_value == slot.raw


def test_slot_only_sample_needs_a_resolved_value(matcher: Matcher) -> None:
    assert matcher.recognize_best("right") == intent(
        "ChooseFootIntent", Foot=SlotValue("right", "right foot", "right", True)
    )
    assert matcher.recognize_best("purple") == intent("AMAZON.FallbackIntent")


# --- built-in slots ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("remind me every day at seven am", {"Time": SlotValue("seven am", "07:00")}),
        ("Remind me every day at 7:30 p.m.", {"Time": SlotValue("7:30 pm", "19:30")}),
        ("remind me in the evening", {"Time": SlotValue("in the evening", "EV")}),
        (
            "remind me on monday at half past seven",
            {"Day": SlotValue("monday", "monday"), "Time": SlotValue("half past seven", "07:30")},
        ),
    ],
)
def test_reminder_times(matcher: Matcher, text: str, slots: dict[str, SlotValue]) -> None:
    found = matcher.recognize_best(text)
    assert found == Utterance("intent", "SetReminderIntent", slots)
    assert found.slots["Time"].request_value == slots["Time"].value


def test_number_and_duration(matcher: Matcher) -> None:
    assert matcher.recognize_best("do twelve reps") == intent(
        "SetHoldIntent", Count=SlotValue("twelve", "12")
    )
    assert matcher.recognize_best("hold for a minute and a half") == intent(
        "SetHoldIntent", Duration=SlotValue("a minute and a half", "PT1M30S")
    )


def test_unparseable_builtin_slot_does_not_match(matcher: Matcher) -> None:
    assert matcher.recognize_all("do many reps") == []
    assert matcher.recognize_best("do many reps") == intent("AMAZON.FallbackIntent")


# --- built-in intents -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("help", "AMAZON.HelpIntent"),
        ("what can I say?", "AMAZON.HelpIntent"),
        ("stop", "AMAZON.StopIntent"),
        ("shut up", "AMAZON.StopIntent"),
        ("cancel", "AMAZON.CancelIntent"),
        ("never mind", "AMAZON.CancelIntent"),
        ("yes", "AMAZON.YesIntent"),
        ("sounds good", "AMAZON.YesIntent"),
        ("next", "AMAZON.NextIntent"),
        ("next exercise", "AMAZON.NextIntent"),
        ("say that again", "AMAZON.RepeatIntent"),
        ("again", "AMAZON.RepeatIntent"),
        ("start over", "AMAZON.StartOverIntent"),
    ],
)
def test_implicit_builtin_phrases(matcher: Matcher, text: str, name: str) -> None:
    assert matcher.recognize_best(text) == intent(name)


@pytest.mark.parametrize("text", ["no", "pause", "shuffle", "go home", "previous"])
def test_undeclared_builtins_are_not_recognised(matcher: Matcher, text: str) -> None:
    assert matcher.recognize_best(text) == intent("AMAZON.FallbackIntent")


def test_model_sample_beats_builtin_phrase(matcher: Matcher) -> None:
    # NextIntent implicitly knows "skip", but the model gives "skip" to SkipExerciseIntent.
    assert matcher.recognize_all("skip") == [intent("SkipExerciseIntent")]
    assert matcher.recognize_best("skip ahead") == intent("AMAZON.NextIntent")


def test_cancel_exists_undeclared_and_fallback_may_be_absent(build: Build) -> None:
    tiny = build([{"name": "GoIntent", "samples": ["go"]}], [])
    assert tiny.recognize_best("cancel") == intent("AMAZON.CancelIntent")
    assert tiny.recognize_best("help") == intent(None)
    assert tiny.recognize_best("go") == intent("GoIntent")
    assert tiny.recognize_best("") == intent(None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("next please", intent("AMAZON.NextIntent")),
        ("please skip this one", intent("SkipExerciseIntent")),
        ("help thank you", intent("AMAZON.HelpIntent")),
        ("my left please", intent("ChooseFootIntent", Foot=SlotValue("left", "left foot", "left", True))),
        ("please", intent("AMAZON.FallbackIntent")),
    ],
)
def test_politeness_is_ignored_when_it_helps(matcher: Matcher, text: str, expected: Utterance) -> None:
    assert matcher.recognize_best(text) == expected


# --- ranking ----------------------------------------------------------------------------


def test_more_literal_words_rank_first(matcher: Matcher) -> None:
    found = matcher.recognize_all("start the quick routine")
    assert [(u.sample, u.slots["Routine"].raw) for u in found] == [
        ("start the {Routine}", "quick routine"),
        ("start {Routine}", "the quick routine"),
    ]
    assert [u.score for u in found] == [(0, -2, 2, 0, 0, 1), (1, -1, 3, 0, 0, 2)]


def test_unresolved_ranks_below_resolved_even_with_more_literals(build: Build) -> None:
    place = [{"name": "PLACE", "values": [{"name": {"value": "the park"}}]}]
    tiny = build(
        [
            {
                "name": "LooseIntent",
                "slots": [{"name": "Place", "type": "PLACE"}],
                "samples": ["go to the {Place}"],
            },
            {
                "name": "TightIntent",
                "slots": [{"name": "Place", "type": "PLACE"}],
                "samples": ["go to {Place}"],
            },
        ],
        place,
    )
    found = tiny.recognize_all("go to the park")
    assert [u.intent_name for u in found] == ["TightIntent", "LooseIntent"]
    assert found[1].slots["Place"] == SlotValue("park", None, None, False)


def test_fewer_slot_words_break_literal_ties(build: Build) -> None:
    things = [{"name": "THING", "values": [{"name": {"value": "to bed"}}, {"name": {"value": "bed"}}]}]
    tiny = build(
        [{"name": "SendIntent", "slots": [{"name": "Thing", "type": "THING"}], "samples": ["{Thing} now"]}],
        things,
    )
    # After "tell heel coach", both "to bed now" and "bed now" are tried (see connectors).
    found = tiny.recognize_all("tell heel coach to bed now")
    assert [(u.slots["Thing"].raw, u.score) for u in found] == [
        ("bed", (0, -1, 1, 0, 0, 0)),
        ("to bed", (0, -1, 2, 0, 0, 0)),
    ]
    assert all(u.new_session_phrase for u in found)


def test_equal_scores_fall_back_to_intent_order(build: Build) -> None:
    a = {"name": "AIntent", "samples": ["go"]}
    b = {"name": "BIntent", "samples": ["go now"]}
    c = {"name": "CIntent", "slots": [{"name": "When", "type": "WHEN"}], "samples": ["go {When}"]}
    d = {"name": "DIntent", "slots": [{"name": "Moment", "type": "WHEN"}], "samples": ["go {Moment}"]}
    when = [{"name": "WHEN", "values": [{"name": {"value": "now"}}]}]
    first = build([a, b, c, d], when)
    assert [u.intent_name for u in first.recognize_all("go now")] == ["BIntent", "CIntent", "DIntent"]
    second = build([a, d, c], when)
    assert [u.intent_name for u in second.recognize_all("go now")] == ["DIntent", "CIntent"]


def test_recognize_all_is_sorted_and_deduplicated(matcher: Matcher) -> None:
    found = matcher.recognize_all("start my quick routine")
    scores = [u.score for u in found]
    assert scores == sorted(s for s in scores if s is not None)
    keys = [(u.intent_name, tuple(sorted(u.slots.items()))) for u in found]
    assert len(keys) == len(set(keys))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=150)
@given(st.text(max_size=40))
def test_any_text_gets_an_answer(matcher: Matcher, text: str) -> None:
    found = matcher.recognize_best(text)
    assert found.kind in ("launch", "intent")
    assert found == matcher.recognize_best("  " + text.lower() + " !")
