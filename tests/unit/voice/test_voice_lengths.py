"""Announced lengths are the time of what is said: every routine, foot and focus, run straight."""

from __future__ import annotations

import re

import pytest

from heel_coach.catalogue import Catalogue, Focus, load_catalogue
from heel_coach.engine import machine
from heel_coach.engine.machine import Command
from heel_coach.engine.plan import Foot, Plan, build_plan
from heel_coach.engine.speech_time import speech_seconds
from heel_coach.voice.phrasing import Phrasing
from heel_coach.voice.prompts import load_prompts
from heel_coach.voice.speech import Listener, Reply, RoutineVoice, Speaker
from heel_coach.voice.ssml import SilenceClips, pauses_in, to_display_text
from tests.helpers import speaking_rate

ENGLISH = Phrasing(load_prompts("en-US"))
RATE = speaking_rate("en-US")

CLIPS = SilenceClips(
    (1, 2, 3, 4, 5, 10, 15, 20, 30, 45, 60, 90), lambda n: f"https://x.test/silence-{n}s.mp3"
)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def speaker(catalogue: Catalogue) -> Speaker:
    return Speaker(catalogue, load_prompts("en-US"), "en-US", CLIPS)


def response_seconds(reply: Reply) -> float:
    """What a device takes to play one response: its words at the one estimate, and its silences."""
    ssml = reply.speech.build()
    words = re.sub(r"\[pause [\d.]+ s\]", " ", to_display_text(ssml))
    return speech_seconds(words, RATE) + sum(pauses_in(ssml))


def straight_run(speaker: Speaker, plan: Plan, voice: RoutineVoice) -> tuple[list[Reply], float]:
    transition = machine.start(plan)
    replies: list[Reply] = []
    command = Command.BEGIN  # "ready", after the routine's opening
    while True:
        reply = speaker.render(transition.events, plan, Reply(speaker.ssml()), voice)
        replies.append(reply)
        if transition.state.finished(plan):
            return replies, sum(response_seconds(r) for r in replies)
        transition = machine.apply(transition.state, plan, command)
        command = Command.NEXT


PLANS = [
    (routine_id, foot, focus)
    for routine_id in ("full", "morning", "evening-massage", "strength", "quick")
    for foot in (Foot.BOTH, Foot.LEFT)
    for focus in ((Focus.SOLE, Focus.CALF) if routine_id == "full" else (Focus.SOLE,))
]


@pytest.mark.parametrize(("routine_id", "foot", "focus"), PLANS)
@pytest.mark.parametrize("returning", [False, True])
def test_the_announced_length_is_the_time_of_the_whole_run(
    speaker: Speaker, catalogue: Catalogue, routine_id: str, foot: Foot, focus: Focus, returning: bool
) -> None:
    plan = build_plan(catalogue.routine(routine_id), foot, focus)
    shorts = frozenset(catalogue.exercises) if returning else frozenset()
    listener = Listener(safety_due=not returning, short_for=shorts)
    announced = speaker.voice(listener).seconds(plan)
    replies, played = straight_run(speaker, plan, speaker.voice(listener))
    assert abs(announced - played) <= 0.02 * played, (announced, played)
    first = to_display_text(replies[0].speech.build())
    assert f": about {ENGLISH.approximate_duration(announced)}." in first


def test_how_long_is_left_counts_what_is_still_to_be_said(speaker: Speaker, catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("strength"), Foot.LEFT, Focus.SOLE)
    voice = speaker.voice(Listener(safety_due=False))
    state = machine.start(plan).state  # "ready" says step 0; "next" moves to step 1
    state = machine.apply(machine.apply(state, plan, Command.BEGIN).state, plan, Command.NEXT).state
    left = machine.apply(state, plan, Command.REMAINING)
    reply = speaker.render(left.events, plan, Reply(speaker.ssml()), voice)
    _, rest = straight_run(speaker, plan, voice)
    first_step = voice.seconds(plan) - voice.seconds(plan, 1)
    assert voice.seconds(plan, 1) == pytest.approx(rest - first_step, rel=0.02)
    assert ENGLISH.approximate_duration(voice.seconds(plan, 1)) in to_display_text(reply.speech.build())


def test_a_returning_user_hears_the_short_form_and_a_shorter_length(
    speaker: Speaker, catalogue: Catalogue
) -> None:
    plan = build_plan(catalogue.routine("full"), Foot.BOTH, Focus.SOLE)
    new, back = speaker.voice(), speaker.voice(Listener(False, frozenset(catalogue.exercises)))
    assert back.seconds(plan) < new.seconds(plan)
    replies, _ = straight_run(speaker, plan, back)
    text = to_display_text(replies[1].speech.build())
    sole = catalogue.exercise("sole-roll").text["en-US"]
    assert sole.short in text and sole.steps[0] not in text


def test_no_rep_set_waits_and_words_agree(speaker: Speaker, catalogue: Catalogue) -> None:
    """Counted, never "at your own pace"; "each foot" only with both feet; legs named as legs."""
    for routine_id, foot, focus in PLANS:
        plan = build_plan(catalogue.routine(routine_id), foot, focus)
        replies, _ = straight_run(speaker, plan, speaker.voice())
        text = " ".join(to_display_text(r.speech.build()) for r in replies)
        assert "own pace" not in text and "when you've finished" not in text
        assert not re.search(r"\bone (repetitions|sets|passes|times)\b", text, re.IGNORECASE)
        # The dose of a one-set exercise is its start cue, so "on each" is said only for sets.
        assert ("on each" in text) == (
            foot is Foot.BOTH and any(e.exercise.sides == "each" and e.dose.sets > 1 for e in plan.entries)
        )
        if routine_id == "full" and foot is Foot.LEFT:
            assert "Left leg." in text and "Left foot." in text  # hamstring stretch vs sole roll
        assert "Right leg" not in text if foot is Foot.LEFT else True


def test_the_routine_names_its_equipment_with_alternatives_and_optional_items(
    speaker: Speaker, catalogue: Catalogue
) -> None:
    quick = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    full = build_plan(catalogue.routine("full"), Foot.BOTH, Focus.SOLE)
    assert speaker.routine_equipment(quick.entries) == [
        "You'll need a small foam roller or a massage ball, and a chair."
    ]
    needed, optional = speaker.routine_equipment(full.entries)
    assert "a small foam roller" in needed and "or a massage ball" not in needed
    assert optional.startswith("Optional: ") and "a resistance band" in optional
