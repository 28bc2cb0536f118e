"""Every routine hands-free, in English and German, on a simulated Echo with AudioPlayer and
published audio.

The person starts a routine, says yes to "I can play it through ... Shall I?" (a returning
user is not asked again), then does the exercises while the streams play: each track lasts its rendered length
(the manifest) and its words come where its layout puts them. Nobody speaks during playback,
so there is no session to time out; the stream reaches the end, the closing words are a track
of their own, and the routine is recorded. Then the interruptions people make mid-stream:
"Alexa, pause" and "Alexa, resume" (no invocation name: our stream is the player), "Alexa,
pause" and later "Alexa, open heel coach", "yes" (item 1), and "Alexa, tell heel coach it
hurts", which stops the stream where it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from flask import Flask

from heel_coach.catalogue.model import Catalogue, Focus
from heel_coach.console.device_run import Interruption, RunResult, Scenario
from heel_coach.engine.plan import Foot, build_plan
from heel_coach.voice.tracks import Token
from tests.device.budgets import (
    LENGTH_TOLERANCE,
    NEW_USER_WORDS,
    RETURNING_USER_WORDS,
    SCENARIOS,
    TURN_WORDS,
)
from tests.device.conftest import PUBLISHED_LOCALES, HandsFreeRun

CASES = [
    pytest.param(locale, replace(s, hands_free=True), id=f"{locale}/{s.label}")
    for locale in PUBLISHED_LOCALES
    for s in SCENARIOS
]
"""Step mode's scenarios (every routine, both feet and one foot, new and returning user),
hands-free, in English and in German."""
RunHandsFree = Callable[[Scenario], HandsFreeRun]
RunHandsFreeIn = Callable[[str, Scenario], HandsFreeRun]
Run = Callable[[Scenario], RunResult]
RunIn = Callable[[str, Scenario], RunResult]


def sessions(app: Flask, user_id: str) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    store = app.extensions["heelcoach"].store
    return [
        (s.routine_id, s.mode, s.exercises_done, s.exercises_skipped) for s in store.list_sessions(user_id)
    ]


def recorded_length_s(app: Flask, user_id: str) -> int:
    """The length stored with the user's last finished routine."""
    return int(app.extensions["heelcoach"].store.list_sessions(user_id)[-1].duration_s)


@pytest.mark.parametrize(("locale", "scenario"), CASES)
def test_the_routine_plays_to_its_end_and_is_recorded(
    run_hands_free_in: RunHandsFreeIn,
    hands_free_app: Flask,
    catalogue: Catalogue,
    locale: str,
    scenario: Scenario,
) -> None:
    run = run_hands_free_in(locale, scenario)
    result = run.result
    assert result.timeouts == 0 and result.lost == []
    assert result.reached_end, "the closing words were never heard"
    assert result.unscripted_streams == set() and result.player_requests > 0
    plan = build_plan(catalogue.routine(scenario.routine_id), Foot(scenario.foot), Focus.SOLE)
    steps = [Token.parse(token) for token in result.streams]
    assert [t.step for t in steps if t is not None] == [*range(len(plan.steps)), len(plan.steps)]
    # Every speaking turn came before the stream: "yes" (or "start ...") is the last word said.
    assert result.turns[-1].timeline.session_ends is None
    everything = tuple(e.exercise.id for e in plan.entries)
    recorded = sessions(hands_free_app, run.user_id)
    assert len(recorded) == (4 if scenario.returning else 1)  # earlier days are played too
    assert recorded[-1] == (scenario.routine_id, "continuous", everything, ())
    # Stored with continuous mode's length (its tracks), as honest as the one announced.
    assert result.simulated_s is not None
    assert recorded_length_s(hands_free_app, run.user_id) == pytest.approx(
        result.simulated_s, rel=LENGTH_TOLERANCE
    )


@pytest.mark.parametrize(("locale", "scenario"), CASES)
def test_every_set_is_done_once_as_in_step_mode(
    run_hands_free_in: RunHandsFreeIn, run_in_locale: RunIn, locale: str, scenario: Scenario
) -> None:
    hands_free = run_hands_free_in(locale, scenario).result
    assert hands_free.performed and hands_free.repeats == []
    step = Scenario(scenario.routine_id, scenario.foot, scenario.returning)
    assert hands_free.performed == run_in_locale(locale, step).performed


@pytest.mark.parametrize(("locale", "scenario"), CASES)
def test_words_before_moving_and_turns_are_within_budget(
    run_hands_free_in: RunHandsFreeIn, locale: str, scenario: Scenario
) -> None:
    """Step mode's budgets: a new user's words before moving include the offer ("Shall I?",
    asked once per user), and still fit."""
    result = run_hands_free_in(locale, scenario).result
    budget = RETURNING_USER_WORDS if scenario.returning else NEW_USER_WORDS
    assert result.words_before_first_move is not None
    assert result.words_before_first_move <= budget
    assert result.longest_words.words <= TURN_WORDS


@pytest.mark.parametrize(("locale", "scenario"), CASES)
def test_the_announced_length_is_within_10_percent(
    run_hands_free_in: RunHandsFreeIn, locale: str, scenario: Scenario
) -> None:
    result = run_hands_free_in(locale, scenario).result
    assert result.announced_s and result.simulated_s is not None
    assert result.simulated_s == pytest.approx(result.announced_s, rel=LENGTH_TOLERANCE)


INTERRUPTED = "strength"


def interrupted(kind: Interruption) -> Scenario:
    return Scenario(INTERRUPTED, hands_free=True, interruption=kind)


@pytest.mark.parametrize("kind", [Interruption.PAUSE_RESUME, Interruption.PAUSE_RELAUNCH])
def test_a_pause_mid_stream_keeps_the_place(
    run_hands_free: RunHandsFree, hands_free_app: Flask, kind: Interruption
) -> None:
    plain = run_hands_free(Scenario(INTERRUPTED, hands_free=True)).result
    run = run_hands_free(interrupted(kind))
    result = run.result
    assert result.said_mid_stream[0] == "pause" and result.timeouts == 0 and result.lost == []
    assert result.reached_end and result.repeats == []
    assert result.performed == plain.performed
    # Nothing heard twice, nothing missed: the stream went on from where it stopped.
    assert result.stream_s == pytest.approx(plain.stream_s, abs=0.01)
    assert " ".join(result.stream_texts).split() == " ".join(plain.stream_texts).split()
    assert len(result.streams) == len(plain.streams) + 1  # the first track, started again
    pause = next(t for t in result.turns if t.said == "pause")
    assert pause.route == "player" and pause.words == 0
    if kind is Interruption.PAUSE_RESUME:
        resume = next(t for t in result.turns if t.said == "resume")
        assert resume.route == "player" and resume.words == 0
    else:
        launch = next(t for t in result.turns if t.said == "open heel coach" and "carries on" in t.text)
        assert launch.route == "new_session"
        assert launch.text.endswith("Shall I play on from where you stopped?")
        after = result.turns[result.turns.index(launch) + 1]
        assert after.said == "yes" and after.words == 0  # it plays on; nothing to say
    assert sessions(hands_free_app, run.user_id)[-1][1:] == ("continuous", plain_done(plain), ())


def plain_done(result: RunResult) -> tuple[str, ...]:
    return tuple(dict.fromkeys(done.exercise_id for done in result.performed))


def test_it_hurts_mid_stream_stops_it_and_skip_goes_on_with_the_next_exercise(
    run_hands_free: RunHandsFree, hands_free_app: Flask, catalogue: Catalogue
) -> None:
    run = run_hands_free(interrupted(Interruption.PAIN))
    result = run.result
    pain = next(t for t in result.turns if t.said == "tell heel coach it hurts")
    assert pain.route == "new_session"
    assert "Don't push through pain." in pain.text and pain.text.endswith("or stop to finish for today.")
    assert pain.timeline.session_ends is not None  # a question: the session is open for the answer
    skip = result.turns[result.turns.index(pain) + 1]
    assert skip.said == "skip this exercise" and skip.route == "session"
    assert result.timeouts == 0 and result.reached_end and result.repeats == []
    entries = [
        e.exercise.id for e in build_plan(catalogue.routine(INTERRUPTED), Foot.BOTH, Focus.SOLE).entries
    ]
    first, rest = entries[0], tuple(entries[1:])
    assert sessions(hands_free_app, run.user_id)[-1] == (INTERRUPTED, "continuous", rest, (first,))
    closing = result.stream_texts[-1]
    count = len(entries)
    assert f"You did {NUMBER[count - 1]} of {NUMBER[count]} exercises." in closing


NUMBER = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}


def test_in_german_a_skipped_exercise_leaves_one_of_two_in_the_closing_words(
    run_hands_free_in: RunHandsFreeIn, hands_free_app: Flask, catalogue: Catalogue
) -> None:
    """ "Alexa, sag Fersentrainer es tut weh" in the quick routine's first track, then skip: the
    closing track says step mode's German summary ("eine von zwei Übungen", count.done, never
    "eins"), as its one prompt path (``speech.closing_cues``) renders it."""
    run = run_hands_free_in("de-DE", Scenario("quick", hands_free=True, interruption=Interruption.PAIN))
    result = run.result
    assert result.timeouts == 0 and result.lost == [] and result.reached_end and result.repeats == []
    pain = next(t for t in result.turns if t.said in result.said_mid_stream)
    assert pain.route == "new_session" and "es tut weh" in pain.said
    first, second = (
        e.exercise.id for e in build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE).entries
    )
    assert sessions(hands_free_app, run.user_id)[-1] == ("quick", "continuous", (second,), (first,))
    closing = result.stream_texts[-1]
    assert closing.startswith(
        "Das war das Kurzprogramm. Gut gemacht! Du hast eine von zwei Übungen geschafft."
    )
    assert "eins" not in closing.split()
