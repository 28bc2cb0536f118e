"""A step said again from where the person was: never a set they finished, every set once.

The voice layer locates the person in a step (the segment they were in when they spoke); the
engine says the step from there (REPEAT), keeps it as the place (PAUSE) and resumes there.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heel_coach.catalogue.model import Catalogue, Focus
from heel_coach.engine import machine
from heel_coach.engine.machine import Command, StepStarted
from heel_coach.engine.plan import Foot, Plan, Step, build_plan
from heel_coach.engine.state import RoutineState
from heel_coach.engine.timing import WORK_START_KEYS, Cue, from_cue, scripted_step
from heel_coach.errors import EngineError

CLOSING = {"cue.reps_done", "cue.release", "cue.stop"}


def plans(catalogue: Catalogue) -> list[Plan]:
    return [build_plan(routine, foot, Focus.SOLE) for routine in catalogue.routines.values() for foot in Foot]


def at_step(plan: Plan, index: int) -> RoutineState:
    """The state with step ``index`` just said (every step before it done)."""
    state = machine.apply(machine.start(plan).state, plan, Command.BEGIN).state
    while state.position < index:
        state = machine.apply(state, plan, Command.NEXT).state
    return state


def said_sets(event: StepStarted) -> list[tuple[int, str | None]]:
    return [(s.set_no, s.side) for s in event.step.segments[event.from_segment :]]


def test_a_step_said_from_a_segment_says_only_the_sets_from_there(catalogue: Catalogue) -> None:
    for plan in plans(catalogue):
        for step in plan.steps:
            for start in range(len(step.segments)):
                script = scripted_step(plan, step, intro=True, start=start)
                cues = [i for i in script.items if isinstance(i, Cue)]
                assert len(script.set_ends) == len(step.segments) - start
                assert all(script.items[i].key in CLOSING for i in script.set_ends)  # type: ignore[union-attr]
                starts = [c for c in cues if c.key in WORK_START_KEYS]
                holds = sum(1 for c in cues if c.key == "cue.hold_again")
                assert len(starts) == len(step.segments) - start, (plan.routine_id, step.index, start)
                assert holds == sum(s.work.count - 1 for s in step.segments[start:] if s.work.kind == "hold")
                assert (
                    cues[0].key.startswith("cue.from.") if start else not cues[0].key.startswith("cue.from.")
                )
                assert script.set_ends == tuple(sorted(script.set_ends))


def test_the_pick_up_names_the_set_and_the_side_only_when_both_feet_work(catalogue: Catalogue) -> None:
    both = build_plan(catalogue.routine("strength"), Foot.BOTH, Focus.SOLE)
    left = build_plan(catalogue.routine("strength"), Foot.LEFT, Focus.SOLE)
    towel = next(s for s in both.steps if s.exercise_id == "towel-crunch")
    assert from_cue(towel, 3) == Cue("cue.from.set_side.foot", (("set", 2), ("side", "left")))
    towel_left = next(s for s in left.steps if s.exercise_id == "towel-crunch")
    assert from_cue(towel_left, 1) == Cue("cue.from.set", (("set", 2),))
    quick = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    assert from_cue(quick.steps[0], 1) == Cue("cue.from.side.foot", (("side", "left"),))


@pytest.mark.parametrize("at", [0, 1, 2, 4, 5])
def test_repeat_says_the_step_from_the_set_the_person_was_in(catalogue: Catalogue, at: int) -> None:
    plan = build_plan(catalogue.routine("strength"), Foot.BOTH, Focus.SOLE)
    towel = next(s for s in plan.steps if s.exercise_id == "towel-crunch")
    again = machine.apply(at_step(plan, towel.index), plan, Command.REPEAT, at=at)
    started = again.events[-1]
    assert isinstance(started, StepStarted) and started.repeated and started.from_segment == at
    assert again.state.from_segment == at and again.state.position == towel.index
    assert said_sets(started) == [(s.set_no, s.side) for s in towel.segments[at:]]


def test_after_the_last_set_repeat_is_the_last_set_again(catalogue: Catalogue) -> None:
    """ "One more time" once every set is over: that set once more, not the whole exercise."""
    plan = build_plan(catalogue.routine("strength"), Foot.BOTH, Focus.SOLE)
    toe = plan.steps[0]
    again = machine.apply(at_step(plan, 0), plan, Command.REPEAT, at=len(toe.segments))
    started = again.events[-1]
    assert isinstance(started, StepStarted) and said_sets(started) == [(3, None)]


def test_unknown_place_repeats_from_where_the_step_was_last_said(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("strength"), Foot.BOTH, Focus.SOLE)
    once = machine.apply(at_step(plan, 0), plan, Command.REPEAT, at=1)
    twice = machine.apply(once.state, plan, Command.REPEAT)  # no timestamp to go by
    started = twice.events[-1]
    assert isinstance(started, StepStarted) and started.from_segment == 1


def test_a_pause_keeps_the_set_and_resume_starts_there(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("morning"), Foot.BOTH, Focus.SOLE)
    calf = next(s for s in plan.steps if s.exercise_id == "calf-stretch")
    paused = machine.apply(at_step(plan, calf.index), plan, Command.PAUSE, at=3)
    assert paused.state.paused and paused.state.from_segment == 3
    assert RoutineState.from_dict(paused.state.to_dict()) == paused.state
    # The session ends while paused (e.g. "I need a break"); the next launch resumes.
    ended = machine.apply(paused.state, plan, Command.ENDED_AT_WAIT)
    assert ended.state == paused.state
    resumed = machine.apply(ended.state, plan, Command.RESUME)
    started = resumed.events[-1]
    assert isinstance(started, StepStarted) and started.resumed and started.from_segment == 3
    assert said_sets(started) == [(2, "left"), (3, "right"), (3, "left")]


def test_a_pause_after_the_last_set_carries_on_with_the_next_step(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("strength"), Foot.BOTH, Focus.SOLE)
    toe = plan.steps[0]
    paused = machine.apply(at_step(plan, 0), plan, Command.PAUSE, at=len(toe.segments))
    assert paused.state.position == 0 and paused.state.resumes_at(plan) == 1
    assert isinstance(paused.events[0], machine.Paused) and paused.events[0].step == plan.steps[1]
    resumed = machine.apply(paused.state, plan, Command.RESUME)
    started = resumed.events[-1]
    assert isinstance(started, StepStarted) and started.step == plan.steps[1] and started.from_segment == 0
    assert resumed.state.done == {0}
    ended = machine.apply(paused.state, plan, Command.ENDED_AT_WAIT)  # the session ends instead
    assert ended.state.position == 1 and ended.state.done == {0}


def test_a_stored_state_without_the_place_still_loads_and_a_bad_place_is_refused(
    catalogue: Catalogue,
) -> None:
    plan = build_plan(catalogue.routine("quick"), Foot.LEFT, Focus.SOLE)
    row = machine.start(plan).state.to_dict()
    assert "from_segment" not in row  # written only when set
    assert RoutineState.from_dict(row).from_segment == 0
    with pytest.raises(EngineError):
        RoutineState.from_dict({**row, "from_segment": 5}).check(plan)


def _interruptions(step: Step) -> st.SearchStrategy[list[tuple[Command, int]]]:
    return st.lists(
        st.tuples(
            st.sampled_from([Command.REPEAT, Command.PAUSE, Command.ENDED_AT_WAIT]),
            st.integers(0, len(step.segments) - 1),
        ),
        max_size=6,
    )


@settings(max_examples=200, deadline=None)
@given(data=st.data(), foot=st.sampled_from(list(Foot)))
def test_however_often_a_step_is_interrupted_every_set_is_done_once(
    catalogue: Catalogue, data: st.DataObject, foot: Foot
) -> None:
    """A person speaks over a step in set ``j`` (repeat; pause then resume; pause, the session
    ends, and the next launch resumes), any number of times, then lets it finish: every set of
    the step is finished exactly once. Each response finishes the sets from where it starts to
    the one the person spoke in."""
    plan = build_plan(
        catalogue.routine(data.draw(st.sampled_from(sorted(catalogue.routines)))), foot, Focus.SOLE
    )
    step = plan.steps[data.draw(st.integers(0, len(plan.steps) - 1))]
    state = at_step(plan, step.index)
    first = 0
    finished: list[int] = []
    for how, spoke_in in data.draw(_interruptions(step)):
        spoke_in = max(spoke_in, first)  # they speak in a set this response says
        finished.extend(range(first, spoke_in))
        command = Command.REPEAT if how is Command.REPEAT else Command.PAUSE
        state = machine.apply(state, plan, command, at=spoke_in).state
        if how is Command.ENDED_AT_WAIT:
            state = machine.apply(state, plan, Command.ENDED_AT_WAIT).state
        if command is Command.PAUSE:
            state = machine.apply(state, plan, Command.RESUME).state
        assert state.position == step.index
        first = state.from_segment
    finished.extend(range(first, len(step.segments)))
    assert finished == list(range(len(step.segments)))
    assert machine.apply(state, plan, Command.NEXT).state.done >= {step.index}
