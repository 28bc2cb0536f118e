"""'Alexa, repeat' in the middle of an exercise, on the simulated Echo: the set the person was in.

The person barges in with the wake word at many moments of a step: in counted repetitions, in
holds, in timed rests, on either foot, in a massage pass. They hear the step only up to that
moment; what they had finished is read from what they heard (a set is finished once its
closing cue, "And relax." or the last "And release.", is heard). The skill has only the request
timestamps to go by; the answer must start with the set they were in (in a rest: the set
after it), never one they finished, then go on to the end of the routine with no session lost.

Near the end of a set the answer may go either way: the skill counts a set done when its
closing cue starts, the person when they have heard it, and timestamps are whole seconds.
Points are chosen clear of that, and one point per step is taken inside it and may land on
either set. ``BOUNDARY_BEFORE_S`` / ``BOUNDARY_AFTER_S`` bound it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from heel_coach.catalogue.model import Catalogue, Focus
from heel_coach.console.client import VoiceClient, http_transport
from heel_coach.console.device_run import BargeIn, DeviceRun, RunResult, Scenario
from heel_coach.engine.plan import Foot, Step, build_plan
from heel_coach.simulator.device import SpeechTiming
from heel_coach.simulator.person import CueReader, Person, SetDone
from heel_coach.voice.prompts import load_prompts

BOUNDARY_BEFORE_S = 3.0
"""Before the person has heard a set's closing cue whole, the skill may already count it done:
the cue's own second, a timestamp's whole second, and the latency allowance against the words."""
BOUNDARY_AFTER_S = 1.0
"""After it, the skill may still count the set under way (a timestamp rounded down)."""
SCAN_S = 0.25


@dataclass(frozen=True)
class Case:
    routine: str
    foot: str
    exercise: str
    words: str
    locale: str = "en-US"

    @property
    def label(self) -> str:
        return f"{self.routine}/{self.foot}/{self.exercise}/{self.words}/{self.locale}"


CASES = [
    Case("strength", "both", "toe-raise", "repeat"),  # counted repetitions, timed rests
    Case("strength", "both", "towel-crunch", "one more time"),  # right then left in each set
    Case("morning", "both", "cross-friction-massage", "say that again"),  # a timed pass, safety first
    Case("morning", "both", "plantar-fascia-stretch", "repeat"),  # three holds in each set
    Case("morning", "both", "calf-stretch", "one more time"),  # holds, both feet, three sets
    Case("full", "left", "calf-stretch", "repeat"),  # one foot: holds with rests between sets
]


class Sweep:
    """Runs of one case, each with the person speaking at another moment of the step."""

    def __init__(self, url: str, catalogue: Catalogue, case: Case) -> None:
        self.url, self.catalogue, self.case = url, catalogue, case
        self.templates = load_prompts(case.locale).strings
        plan = build_plan(catalogue.routine(case.routine), Foot(case.foot), Focus.SOLE)
        self.step: Step = next(s for s in plan.steps if s.exercise_id == case.exercise)
        self.keys = [SetDone(case.exercise, s.side, s.set_no) for s in self.step.segments]
        self.results: dict[float, RunResult] = {}
        first = self.run(0.5)
        assert first.barge is not None, f"{case.label}: the exercise was never said"
        self.speech: SpeechTiming = first.barge.speech

    def run(self, at_s: float) -> RunResult:
        """The routine, start to end, as a new user who speaks ``at_s`` s into the step."""
        if at_s not in self.results:
            client = VoiceClient.for_locale(http_transport(self.url), self.case.locale)
            runner = DeviceRun(client, self.catalogue, self.templates, locale=self.case.locale)
            barge = BargeIn(self.case.exercise, at_s, self.case.words)
            self.results[at_s] = runner.run(Scenario(self.case.routine, self.case.foot, barge_in=barge))
        return self.results[at_s]

    def truth(self, at_s: float) -> SetDone | None:
        """The set the person is in at ``at_s`` as they heard it (in a rest: the next one);
        None once every set is over."""
        person = Person(
            self.catalogue,
            CueReader.from_templates(self.templates),
            self.case.routine,
            self.case.foot,
            locale=self.case.locale,
        )
        heard = person.react(self.speech.text_until(max(0.0, at_s)))
        if person.current is not None:
            return person.current
        return next((k for k in self.keys if k not in heard.performed), None)

    def spans(self) -> list[tuple[float, float]]:
        """Per set, from when it is the one to repeat to when the person has finished it."""
        spans: list[tuple[float, float]] = []
        start, current, t = 0.0, self.truth(0.0), 0.0
        while current is not None and t < self.speech.seconds:
            t += SCAN_S
            now = self.truth(t)
            if now != current:
                spans.append((start, t))
                start, current = t, now
        assert len(spans) == len(self.keys), f"{self.case.label}: {spans}"
        return spans

    def clear_points(self) -> list[float]:
        """Two moments in each set's span, clear of its ends: a third of the way in (in a
        rest, where there is one) and just before the person finishes it."""
        points: list[float] = []
        for low, high in self.spans():
            points.append(round(low + (high - low) / 3, 2))
            late = high - BOUNDARY_BEFORE_S - 0.5
            if late > low + BOUNDARY_AFTER_S:
                points.append(round(late, 2))
        return points


@pytest.fixture(scope="module")
def sweeps(device_url: str, catalogue: Catalogue) -> Callable[[Case], Sweep]:
    made: dict[Case, Sweep] = {}

    def sweep(case: Case) -> Sweep:
        if case not in made:
            made[case] = Sweep(device_url, catalogue, case)
        return made[case]

    return sweep


def went_on_well(result: RunResult) -> None:
    assert result.timeouts == 0, f"{result.timeouts} sessions timed out"
    assert result.reached_end, "the routine never reached its end"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.label)
def test_repeat_starts_the_set_the_person_was_in_and_no_finished_set_again(
    sweeps: Callable[[Case], Sweep], case: Case
) -> None:
    sweep = sweeps(case)
    points = sweep.clear_points()
    assert len(points) >= len(sweep.keys)
    for at_s in points:
        result = sweep.run(at_s)
        barge = result.barge
        assert barge is not None
        expected = sweep.truth(at_s)
        assert barge.restarted == expected, f"+{at_s} s: heard {barge.speech.text_until(at_s)[-80:]!r}"
        assert result.repeats == [], f"+{at_s} s: done twice {result.repeats}"
        went_on_well(result)
        picks_up = sweep.keys.index(expected) > 0 if expected is not None else False
        assert barge.answer.startswith(("From set", "Now your")) == picks_up, barge.answer[:60]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.label)
def test_at_the_end_of_a_set_either_set_is_taken_and_the_routine_goes_on(
    sweeps: Callable[[Case], Sweep], case: Case
) -> None:
    sweep = sweeps(case)
    _, high = sweep.spans()[0]
    at_s = high - 1.0  # the first set's closing cue is being said
    result = sweep.run(at_s)
    assert result.barge is not None
    either = {sweep.truth(at_s - BOUNDARY_AFTER_S), sweep.truth(at_s + BOUNDARY_BEFORE_S)}
    assert result.barge.restarted in either
    went_on_well(result)


@pytest.mark.parametrize("case", CASES[:2], ids=lambda c: c.label)
def test_after_the_last_set_one_more_time_is_the_last_set_once_more(
    sweeps: Callable[[Case], Sweep], case: Case
) -> None:
    """Every set is over ("Well done. Say next for ..."), or Alexa is listening for "next": the
    person asked for one more, and gets the last set, not the whole exercise again."""
    sweep = sweeps(case)
    _, done = sweep.spans()[-1]
    for at_s in (done + BOUNDARY_AFTER_S + 0.5, sweep.speech.seconds + 3.0):
        result = sweep.run(at_s)
        assert result.barge is not None and result.barge.restarted == sweep.keys[-1]
        assert result.repeats == [sweep.keys[-1]]
        went_on_well(result)


def test_a_break_mid_set_resumes_at_that_set_on_the_next_launch(sweeps: Callable[[Case], Sweep]) -> None:
    case = Case("morning", "both", "calf-stretch", "I need a break")
    sweep = sweeps(case)
    low, high = sweep.spans()[3]  # left foot, set two
    result = sweep.run((low + high) / 2)
    assert result.barge is not None and result.barge.answer.startswith("Take your time.")
    assert result.barge.restarted == sweep.keys[3] == SetDone("calf-stretch", "left", 2)
    assert result.repeats == []
    went_on_well(result)


def test_in_german_noch_einmal_mid_set_starts_that_set(sweeps: Callable[[Case], Sweep]) -> None:
    case = Case("strength", "left", "toe-raise", "noch einmal", locale="de-DE")
    sweep = sweeps(case)
    low, high = sweep.spans()[1]
    result = sweep.run(round(low + (high - low) * 0.6, 2))  # in set two's repetitions
    assert result.barge is not None and result.barge.restarted == SetDone("toe-raise", None, 2)
    assert result.barge.answer.startswith("Ab Satz zwei.")
    assert result.repeats == []
    went_on_well(result)
