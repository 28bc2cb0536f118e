"""Routine transitions: a pure function from (state, command) to (state, events).

The engine never reads a clock and never knows about Alexa: handlers pass commands in,
and the voice layer turns the emitted events into speech or AudioPlayer directives.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from heel_coach.catalogue.model import Focus
from heel_coach.engine.plan import Foot, Plan, Step
from heel_coach.engine.state import RoutineState


class Command(StrEnum):
    NEXT = "next"
    PREVIOUS = "previous"
    REPEAT = "repeat"
    SKIP = "skip"
    START_OVER = "start_over"
    PAUSE = "pause"
    RESUME = "resume"
    REMAINING = "remaining"
    ENDED_AT_WAIT = "ended_at_wait"
    """The session closed at the current step's wait point (Alexa stopped listening after the
    step was said in full): its sets are done, and the next launch starts at the step after it.
    The voice layer sends it only when its last response was that step."""
    BEGIN = "begin"
    """ "Ready" after a routine's opening (name, length, equipment): its current step, from the
    start, without moving on. ``start`` ends at that question, so nothing is done before it."""


@dataclass(frozen=True)
class StepStarted:
    """Speak (or play) this step; ``repeated`` when the user asked to hear it again."""

    step: Step
    exercise_number: int
    exercise_count: int
    repeated: bool = False
    resumed: bool = False
    from_segment: int = 0
    """Say the step from this segment on (where the person was): the sets before it are done."""


@dataclass(frozen=True)
class RoutineStarted:
    """Lengths are not in events: the voice layer announces ``engine.lengths.plan_seconds``."""

    routine_id: str
    exercise_count: int
    foot: Foot
    focus: Focus


@dataclass(frozen=True)
class RoutineFinished:
    """The last step is done: the voice layer records the session with these exercises."""

    routine_id: str
    exercises_done: tuple[str, ...]
    exercises_skipped: tuple[str, ...]


@dataclass(frozen=True)
class ExerciseSkipped:
    """ "Skip" passed over the rest of this exercise."""

    exercise_id: str


@dataclass(frozen=True)
class AlreadyAtStart:
    """ "previous" during the first exercise: it starts again instead."""


@dataclass(frozen=True)
class Paused:
    """The routine is paused at ``step``; "resume" carries on there."""

    step: Step


@dataclass(frozen=True)
class LeftAtWait:
    """The session ended at a wait point; ``next_step`` is where the next launch carries on."""

    next_step: Step


@dataclass(frozen=True)
class Remaining:
    """The answer to "how much is left", counted from where the person is in the current step."""

    position: int
    """The current step: what is left is measured from its segment ``from_segment``
    (``engine.lengths.plan_seconds``)."""
    exercises_left: int
    steps_left: int
    from_segment: int = 0
    """The set the person is in (located from the request's time, else where the step was last
    said from): the sets before it are done and not counted."""


Event = (
    StepStarted
    | RoutineStarted
    | RoutineFinished
    | ExerciseSkipped
    | AlreadyAtStart
    | Paused
    | Remaining
    | LeftAtWait
)


@dataclass(frozen=True)
class Transition:
    """What a command did: the new state and the events the voice layer says."""

    state: RoutineState
    events: tuple[Event, ...]


def start(plan: Plan) -> Transition:
    """The routine's opening only: the person gets the equipment and says "ready" (``BEGIN``)."""
    state = RoutineState(plan.routine_id, plan.foot, plan.focus)
    return Transition(state, (RoutineStarted(plan.routine_id, plan.exercise_count(), plan.foot, plan.focus),))


def apply(state: RoutineState, plan: Plan, command: Command, *, at: int | None = None) -> Transition:
    """Apply one command. A finished routine only answers REMAINING and START_OVER.

    ``at``: the segment of the current step the person was in when they spoke (the voice layer
    locates it from the request's time; ``len(step.segments)`` once its last set was over), or
    None when unknown. REPEAT says the step from there (after its last set: the last set, asked
    for again); PAUSE keeps that place, so RESUME never says a finished set. Unknown, both keep
    the place the step was last said from.
    """
    state.check(plan)
    if command is Command.START_OVER:
        return start(plan)
    if command is Command.REMAINING:
        return Transition(state, (_remaining(state, plan, at),))
    if state.finished(plan):
        return Transition(state, (_finished(state, plan),))
    position = state.position
    segments = len(plan.steps[position].segments)
    if command is Command.ENDED_AT_WAIT:
        if state.paused and state.from_segment < segments:  # stopped mid-step: the place is kept
            return Transition(state, (LeftAtWait(plan.steps[position]),))
        new = _completed(state, position)
        if new.finished(plan):
            return Transition(new, (_finished(new, plan),))
        return Transition(new, (LeftAtWait(plan.steps[new.position]),))
    if command is Command.NEXT:
        return _arrive(_completed(state, position), plan)
    if command is Command.SKIP:
        step = plan.steps[position]
        end = position
        while end < len(plan.steps) and plan.steps[end].entry_index == step.entry_index:
            end += 1
        passed = frozenset(range(position, end)) - state.done
        new = replace(state.moved_to(end), skipped=state.skipped | passed)
        return _arrive(new, plan, (ExerciseSkipped(step.exercise_id),))
    if command is Command.PREVIOUS:
        # The previous exercise from its start (the first one: this exercise from its start).
        entry_index = plan.steps[position].entry_index
        target = plan.exercise_start(max(0, entry_index - 1))
        again = frozenset(range(target, position + 1))
        new = replace(state.moved_to(target), done=state.done - again, skipped=state.skipped - again)
        before: tuple[Event, ...] = (AlreadyAtStart(),) if entry_index == 0 else ()
        return Transition(new, (*before, _step_started(plan, target)))
    if command is Command.BEGIN:
        return Transition(replace(state, offset_ms=0, from_segment=0), (_step_started(plan, position),))
    if command is Command.REPEAT:
        # After the last set, "one more time" is that set again (not every set of the step).
        first = _set_start(plan.steps[position], min(place(state, at, segments), segments - 1))
        new = replace(state, offset_ms=0, from_segment=first)
        return Transition(new, (_step_started(plan, position, repeated=True, from_segment=first),))
    if command is Command.PAUSE:
        new = replace(
            state, paused=True, from_segment=_set_start(plan.steps[position], place(state, at, segments))
        )
        return Transition(new, (Paused(plan.steps[new.resumes_at(plan)]),))
    # RESUME
    if state.from_segment >= segments:  # paused after the step's last set: carry on after it
        return _arrive(_completed(state, position), plan)
    new = replace(state, paused=False)
    return Transition(new, (_step_started(plan, position, resumed=True, from_segment=state.from_segment),))


def _completed(state: RoutineState, position: int) -> RoutineState:
    """The step at ``position`` is done: on to the next one."""
    return replace(
        state.moved_to(position + 1), done=state.done | {position}, skipped=state.skipped - {position}
    )


def place(state: RoutineState, at: int | None, segments: int) -> int:
    """Where the person is in the current step (of ``segments``): located (``at``), else where
    it was last said from. The one rule for repeat, pause, "how long is left" and the voice
    layer's "which set am I on"."""
    return state.from_segment if at is None else min(max(0, at), segments)


def _set_start(step: Step, segment: int) -> int:
    """A bout split into parts (no routine has one) picks up at its first part in the step."""
    while 0 < segment < len(step.segments) and step.segments[segment].part > 1:
        segment -= 1
    return segment


def _arrive(state: RoutineState, plan: Plan, before: tuple[Event, ...] = ()) -> Transition:
    if state.finished(plan):
        return Transition(state, (*before, _finished(state, plan)))
    return Transition(state, (*before, _step_started(plan, state.position)))


def _step_started(
    plan: Plan, position: int, *, repeated: bool = False, resumed: bool = False, from_segment: int = 0
) -> StepStarted:
    step = plan.steps[position]
    return StepStarted(step, step.entry_index + 1, plan.exercise_count(), repeated, resumed, from_segment)


def _finished(state: RoutineState, plan: Plan) -> RoutineFinished:
    done_entries = {plan.steps[i].entry_index for i in state.done}
    exercises_done = tuple(e.exercise.id for i, e in enumerate(plan.entries) if i in done_entries)
    exercises_skipped = tuple(e.exercise.id for i, e in enumerate(plan.entries) if i not in done_entries)
    return RoutineFinished(plan.routine_id, exercises_done, exercises_skipped)


def _remaining(state: RoutineState, plan: Plan, at: int | None = None) -> Remaining:
    left = plan.steps[state.position :]
    return Remaining(
        position=state.position,
        exercises_left=len({s.entry_index for s in left}),
        steps_left=len(left),
        from_segment=place(state, at, len(left[0].segments)) if left else 0,
    )
