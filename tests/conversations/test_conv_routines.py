"""Whole routines, spoken to the real HTTP endpoint the way a person would."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from heel_coach.catalogue.model import Catalogue
from heel_coach.console.client import Heard, VoiceClient
from heel_coach.voice.phrasing import Phrasing
from heel_coach.voice.prompts import load_prompts
from tests.helpers import finish_quick_routine, timed_work_seconds

ENGLISH = Phrasing(load_prompts("en-US"))


def work_per_exercise(catalogue_json: dict, routine_id: str, focus: str, feet: int) -> dict[str, float]:
    """What the catalogue says each exercise's timed work adds up to, for both feet."""
    exercises = {e["id"]: e for e in catalogue_json["exercises"]}
    routine = next(r for r in catalogue_json["routines"] if r["id"] == routine_id)
    expected: dict[str, float] = {}
    for entry in routine["entries"]:
        if entry["focus"] not in (None, focus):
            continue
        sides = feet if exercises[entry["exercise_id"]]["sides"] == "each" else 1
        if entry["hold_s"]:
            per_set = entry["hold_s"] * (entry["reps"] or 1)
        elif entry["duration_s"]:
            per_set = entry["duration_s"]
        else:
            per_set = 0
        expected[entry["exercise_id"]] = per_set * entry["sets"] * sides
    return expected


@pytest.fixture(scope="module")
def catalogue_json() -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "heel_coach", "catalog", "--json"], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def run_to_end(
    alexa: VoiceClient, first: Heard, catalogue: Catalogue, limit: int = 200
) -> list[tuple[str, Heard]]:
    """Say "next" until the routine ends; return (exercise id, response) per step."""
    steps: list[tuple[str, Heard]] = []
    heard = first
    names = {e.text["en-US"].name: e.id for e in catalogue.exercises.values()}
    current = None
    for _ in range(limit):
        for name, ex_id in names.items():
            if f": {name}." in heard.text:
                current = ex_id
        if heard.ends_session or "That's the end of" in heard.text:
            return steps
        assert current is not None, heard.text
        assert heard.reprompt, f"a response that waits must have a reprompt: {heard.text[:80]}"
        assert heard.response.get("shouldEndSession") is False
        steps.append((current, heard))
        heard = alexa.say("next")
        assert heard.status == 200
    raise AssertionError("routine did not finish")


def test_full_routine_from_launch_to_end(
    alexa: VoiceClient, catalogue: Catalogue, catalogue_json: dict
) -> None:
    heard = alexa.say("open heel coach")
    assert "not medical advice" in heard.text
    assert heard.reprompt
    assert "Which foot" in alexa.say("start my foot routine").text
    assert "sole, or your calf" in alexa.say("both").text
    opening = alexa.say("sole")
    assert "The full heel routine, both feet" in opening.text and "say 'ready'" in opening.text
    assert "Exercise one" not in opening.text  # nothing starts before the person is ready
    first = alexa.say("ready")
    assert "ask a doctor first" in first.text  # the short massage warning before massage
    steps = run_to_end(alexa, first, catalogue)
    last = alexa.history[-1]
    assert "That's the end of the full heel routine" in last.text
    assert "see a health professional" in last.text  # red flags at the end
    assert "How did" in last.text and last.reprompt  # effort (never symptoms) after strengthening

    timed: dict[str, float] = {}
    for exercise_id, heard in steps:
        timed[exercise_id] = timed.get(exercise_id, 0.0) + timed_work_seconds(heard.text)
    expected = work_per_exercise(catalogue_json, "full", "sole", feet=2)
    assert set(timed) == set(expected)
    for exercise_id, seconds in expected.items():
        assert timed[exercise_id] == pytest.approx(seconds), exercise_id
    assert sum(expected.values()) > 0


def test_quick_routine_is_the_shortest_announces_its_length_and_times_each_hold(
    alexa: VoiceClient, catalogue: Catalogue, catalogue_json: dict
) -> None:
    routine = next(r for r in catalogue_json["routines"] if r["id"] == "quick")
    assert routine["total_s"] == min(r["total_s"] for r in catalogue_json["routines"])
    alexa.launch()
    alexa.say("start the quick routine")
    opening = alexa.say("both feet")
    assert f": about {ENGLISH.approximate_duration(routine['total_s'])}." in opening.text
    first = alexa.say("ready")
    steps = run_to_end(alexa, first, catalogue)
    expected = work_per_exercise(catalogue_json, "quick", "sole", feet=2)
    timed: dict[str, float] = {}
    for exercise_id, heard in steps:
        timed[exercise_id] = timed.get(exercise_id, 0.0) + timed_work_seconds(heard.text)
        assert max(heard.pauses) <= 240
    assert timed == pytest.approx(expected)


def test_resume_after_a_stopped_session_continues_at_the_right_step(alexa: VoiceClient) -> None:
    alexa.launch()
    alexa.say("start the morning routine")
    alexa.say("left foot")
    alexa.say("calf")
    alexa.say("ready")
    second = alexa.say("next")
    third = alexa.say("next")
    assert "Exercise three of" in third.text
    stop = alexa.say("stop")
    assert stop.ends_session and "saved your place" in stop.text
    alexa.end()

    welcome = alexa.say("open heel coach")
    assert "carries on with calf stretch, exercise three of three" in welcome.text
    resumed = alexa.say("yes")
    assert resumed.text.startswith(third.text.split(". ")[0])  # "Exercise three of N: name"
    assert second.text != resumed.text


def test_alexa_stops_listening_after_a_step_and_the_next_launch_goes_on_from_there(
    alexa: VoiceClient,
) -> None:
    """On a device the session closes when nobody speaks after a step: its sets were done, so
    the next launch offers the next exercise in one sentence and never repeats them."""
    alexa.launch()
    alexa.say("start the strengthening routine")
    alexa.say("left foot")
    first = alexa.say("ready")
    assert "Exercise one of five: toe raises." in first.text
    assert "Follow my count." in first.text and "Last one." in first.text
    assert "at your own pace" not in first.text and "when you've finished" not in first.text
    alexa.end("EXCEEDED_MAX_REPROMPTS")

    welcome = alexa.say("open heel coach")
    assert "carries on with heel lift, exercise two of five." in welcome.text
    resumed = alexa.say("yes")
    assert resumed.text.startswith("Exercise two of five: heel lift.")
    alexa.end("EXCEEDED_MAX_REPROMPTS")
    # a session that ends at a question (not after a step) keeps the place
    welcome = alexa.say("open heel coach")
    assert "carries on with towel toe crunch, exercise three of five." in welcome.text
    alexa.end("EXCEEDED_MAX_REPROMPTS")
    assert "towel toe crunch, exercise three" in alexa.say("open heel coach").text


def test_choices_are_remembered_and_never_asked_again(alexa: VoiceClient) -> None:
    alexa.launch()
    alexa.say("start the quick routine")
    alexa.say("right foot")
    alexa.say("stop")
    alexa.say("open heel coach")
    alexa.say("no")
    heard = alexa.say("start the strengthening routine")
    assert "Which foot" not in heard.text
    assert "your right foot" in heard.text


def test_say_that_again_and_previous_and_skip(alexa: VoiceClient) -> None:
    alexa.launch()
    alexa.say("start the full routine")
    alexa.say("both")
    alexa.say("calf")
    first = alexa.say("ready")
    again = alexa.say("say that again")
    assert again.text.startswith("Exercise one of")
    assert first.text.endswith(again.text)  # the same step, without the routine's introduction
    second = alexa.say("next exercise")
    back = alexa.say("go back")
    assert back.text == again.text
    alexa.say("next")
    skipped = alexa.say("skip this exercise")
    assert skipped.text.startswith("Skipping")
    left = alexa.say("how long is left")
    assert "left, with" in left.text and left.reprompt
    assert second.text != skipped.text


def test_help_depends_on_where_the_user_is(alexa: VoiceClient) -> None:
    alexa.launch()
    idle = alexa.say("help")
    assert "list routines" in idle.text and not idle.ends_session
    alexa.say("start the quick routine")
    choosing = alexa.say("help")
    assert "which foot" in choosing.text.lower()
    alexa.say("both")
    during = alexa.say("what can i say")
    assert "You're on" in during.text and during.reprompt


def test_pause_then_resume_later(alexa: VoiceClient) -> None:
    alexa.launch()
    alexa.say("start the quick routine")
    alexa.say("both")
    step = alexa.say("ready")
    paused = alexa.say("pause")
    assert paused.ends_session and "Paused at" in paused.text
    resumed = alexa.say("ask heel coach to resume")
    assert resumed.text.startswith("Exercise one of two")
    assert step.text.endswith(resumed.text)


def test_safety_information_on_request(alexa: VoiceClient) -> None:
    alexa.launch()
    flags = alexa.say("when should i see a doctor")
    assert "see a health professional if" in flags.text
    massage = alexa.say("who should not do massage")
    assert "Don't massage your feet if you have" in massage.text
    assert not massage.ends_session


def test_unknown_words_get_a_fallback_not_an_error(alexa: VoiceClient) -> None:
    alexa.launch()
    heard = alexa.say("order me a large pizza")
    assert heard.status == 200 and "Sorry, I didn't get that" in heard.text
    assert not heard.ends_session and heard.reprompt


def test_next_with_no_routine_offers_one(alexa: VoiceClient) -> None:
    alexa.launch()
    heard = alexa.say("next")
    assert "don't have a routine going" in heard.text and heard.reprompt


def test_full_instructions_the_first_three_times_then_the_short_form(
    alexa: VoiceClient, catalogue: Catalogue
) -> None:
    sole = catalogue.exercise("sole-roll").text["en-US"]
    for day in range(3):
        said = len(alexa.history)
        assert "That's the end of the quick routine" in finish_quick_routine(alexa).text
        heard = " ".join(h.text for h in alexa.history[said:])
        assert sole.steps[0] in heard and sole.short not in heard, day  # the full form, three times
        alexa.end()
    alexa.launch()
    alexa.say("start the quick routine")
    first = alexa.say("ready")
    assert sole.short in first.text and sole.position not in first.text and sole.steps[0] not in first.text
    again = alexa.say("say that again")
    assert sole.short in again.text  # repeat: the current instructions, in this user's form
    explained = alexa.say("explain this exercise")
    assert sole.position in explained.text and sole.steps[0] in explained.text  # the full form on request
