"""Every announced length comes from here: the routine ("about nine minutes"), an exercise, and
"how long is left" are all ``plan_seconds`` of the same scripts the skill speaks.

A length is the sum, over the scripts of the steps still to come, of every silence in the
timing plan and the speech of every cue and instruction, timed by the one speech estimate
(``heel_coach.engine.speech_time.speech_seconds``) at the locale's rate. The engine knows
prompt keys, not words, so the caller passes a ``Voicing``: the voice layer, which renders each
cue exactly as it will say it (full or short instructions, the safety sentence only while it
is due) and knows its locale's speaking rate. The device model times the same words the same
way, so an announcement and a simulated run agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from heel_coach.catalogue.model import SpeakingRate
from heel_coach.engine.plan import Plan
from heel_coach.engine.speech_time import speech_seconds
from heel_coach.engine.timing import Cue, PlanItem, routine_head, routine_tail, step_script


class Voicing(Protocol):
    """Turns a cue into the plain text the skill says for it ("" when it says nothing), in a
    locale spoken at ``rate``."""

    @property
    def rate(self) -> SpeakingRate: ...

    def say(self, cue: Cue, plan: Plan) -> str: ...


def item_seconds(item: PlanItem, plan: Plan, voicing: Voicing) -> float:
    """A silence lasts its length; a cue its speech; a beat its length unless its words are longer."""
    if not isinstance(item, Cue):
        return item.seconds
    spoken = speech_seconds(voicing.say(item, plan), voicing.rate)
    return spoken if item.within_s is None else max(item.within_s, spoken)


def script_seconds(items: Iterable[PlanItem], plan: Plan, voicing: Voicing) -> float:
    return sum(item_seconds(item, plan, voicing) for item in items)


def plan_seconds(
    plan: Plan,
    voicing: Voicing,
    start: int = 0,
    *,
    head: bool | None = None,
    tail: bool = True,
    from_segment: int = 0,
) -> float:
    """Seconds from step ``start`` to the end of the routine, speech included.

    ``head`` (default: when ``start`` is 0) adds the routine's opening words, ``tail`` its
    closing words. The step at ``start`` is counted whole, as it is said again from its start,
    unless ``from_segment`` > 0: the person is in that set, so only the work from there on is
    left (its instructions are not said again).
    """
    steps = plan.steps[start:]
    if from_segment > 0 and steps:
        current, steps = steps[0], steps[1:]
        rest = step_script(plan, current, intro=False, start=min(from_segment, len(current.segments)))
        total = script_seconds(rest, plan, voicing)
    else:
        total = 0.0
    total += sum(script_seconds(step_script(plan, step), plan, voicing) for step in steps)
    if head if head is not None else start == 0:
        total += script_seconds(routine_head(plan), plan, voicing)
    if tail:
        total += script_seconds(routine_tail(plan), plan, voicing)
    return total


def exercise_seconds(plan: Plan, voicing: Voicing, entry_index: int) -> float:
    """Seconds of one exercise: every step of it, from its introduction to its last wait cue."""
    return sum(
        script_seconds(step_script(plan, step), plan, voicing)
        for step in plan.steps
        if step.entry_index == entry_index
    )
