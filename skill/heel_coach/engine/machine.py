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
    """The answer to "how much is left", counted from the current step's start."""

    position: int
    """The current step: what is left is measured from its start (``engine.lengths``)."""
    exercises_left: int
    steps_left: int


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


def apply(state: RoutineState, plan: Plan, command: Command) -> Transition:
    """Apply one command. A finished routine only answers REMAINING and START_OVER."""
    state.check(plan)
    if command is Command.START_OVER:
        return start(plan)
    if command is Command.REMAINING:
        return Transition(state, (_remaining(state, plan),))
    if state.finished(plan):
        return Transition(state, (_finished(state, plan),))
    position = state.position
    if command is Command.ENDED_AT_WAIT:
        if state.paused:  # stopped mid-step: nothing was finished, the place is kept
            return Transition(state, (LeftAtWait(plan.steps[position]),))
        new = replace(
            state.moved_to(position + 1), done=state.done | {position}, skipped=state.skipped - {position}
        )
        if new.finished(plan):
            return Transition(new, (_finished(new, plan),))
        return Transition(new, (LeftAtWait(plan.steps[new.position]),))
    if command is Command.NEXT:
        new = replace(
            state.moved_to(position + 1),
            done=state.done | {position},
            skipped=state.skipped - {position},
        )
        return _arrive(new, plan)
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
        return Transition(replace(state, offset_ms=0), (_step_started(plan, position),))
    if command is Command.REPEAT:
        return Transition(replace(state, offset_ms=0), (_step_started(plan, position, repeated=True),))
    if command is Command.PAUSE:
        return Transition(replace(state, paused=True), (Paused(plan.steps[position]),))
    # RESUME
    return Transition(replace(state, paused=False), (_step_started(plan, position, resumed=True),))


def _arrive(state: RoutineState, plan: Plan, before: tuple[Event, ...] = ()) -> Transition:
    if state.finished(plan):
        return Transition(state, (*before, _finished(state, plan)))
    return Transition(state, (*before, _step_started(plan, state.position)))


def _step_started(plan: Plan, position: int, *, repeated: bool = False, resumed: bool = False) -> StepStarted:
    step = plan.steps[position]
    return StepStarted(step, step.entry_index + 1, plan.exercise_count(), repeated, resumed)


def _finished(state: RoutineState, plan: Plan) -> RoutineFinished:
    done_entries = {plan.steps[i].entry_index for i in state.done}
    exercises_done = tuple(e.exercise.id for i, e in enumerate(plan.entries) if i in done_entries)
    exercises_skipped = tuple(e.exercise.id for i, e in enumerate(plan.entries) if i not in done_entries)
    return RoutineFinished(plan.routine_id, exercises_done, exercises_skipped)


def _remaining(state: RoutineState, plan: Plan) -> Remaining:
    left = plan.steps[state.position :]
    return Remaining(
        position=state.position,
        exercises_left=len({s.entry_index for s in left}),
        steps_left=len(left),
    )
