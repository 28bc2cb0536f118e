"""The routine engine: any command sequence keeps the state valid; finishing visits everything once."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heel_coach.catalogue.model import Catalogue, Focus
from heel_coach.engine import machine
from heel_coach.engine.machine import Command, RoutineFinished, StepStarted
from heel_coach.engine.plan import STEP_TIMED_BUDGET_S, Foot, build_plan
from heel_coach.engine.state import RoutineState
from heel_coach.errors import EngineError

COMMANDS = st.sampled_from(list(Command))
FEET = st.sampled_from(list(Foot))
FOCI = st.sampled_from(list(Focus))


@pytest.fixture(scope="module")
def cat(catalogue: Catalogue) -> Catalogue:
    return catalogue


@settings(max_examples=150, deadline=None)
@given(data=st.data(), foot=FEET, focus=FOCI, commands=st.lists(COMMANDS, max_size=60))
def test_any_command_sequence_keeps_the_state_valid(
    catalogue: Catalogue, data: st.DataObject, foot: Foot, focus: Focus, commands: list[Command]
) -> None:
    routine_id = data.draw(st.sampled_from(sorted(catalogue.routines)))
    plan = build_plan(catalogue.routine(routine_id), foot, focus)
    transition = machine.start(plan)
    for command in commands:
        transition = machine.apply(transition.state, plan, command)
        state = transition.state
        state.check(plan)
        assert RoutineState.from_dict(state.to_dict()) == state
        assert transition.events, "every command answers with at least one event"


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    foot=FEET,
    focus=FOCI,
    commands=st.lists(st.sampled_from([c for c in Command if c is not Command.SKIP]), max_size=40),
)
def test_finishing_visits_every_exercise_side_and_set_exactly_once(
    catalogue: Catalogue, data: st.DataObject, foot: Foot, focus: Focus, commands: list[Command]
) -> None:
    """Whatever was said before (including finishing, then "how much is left", then "start
    over"), the routine ends with every step done once and one RoutineFinished saying so.

    The RoutineFinished checked is the one emitted by the command that finished the routine,
    not whatever the last command answered: after the end, "how much is left" answers Remaining.
    """
    routine_id = data.draw(st.sampled_from(sorted(catalogue.routines)))
    plan = build_plan(catalogue.routine(routine_id), foot, focus)
    transition = machine.start(plan)
    finishing: list[RoutineFinished] = []

    def say(command: Command) -> machine.Transition:
        was_finished = transition.state.finished(plan)
        after = machine.apply(transition.state, plan, command)
        if not was_finished and after.state.finished(plan):
            finishing[:] = [e for e in after.events if isinstance(e, RoutineFinished)]
        return after

    for command in commands:
        transition = say(command)
    # Then the user says "next" until the end.
    for _ in range(len(plan.steps) + 1):
        if transition.state.finished(plan):
            break
        transition = say(Command.NEXT)
    state = transition.state
    assert state.finished(plan)
    assert state.done == frozenset(range(len(plan.steps)))
    assert not state.skipped
    visited = [
        (s.exercise_id, s.set_no, s.side, s.part) for i in sorted(state.done) for s in plan.steps[i].segments
    ]
    assert len(visited) == len(set(visited)) == len(plan.segments)
    assert len(finishing) == 1, "the command that finished the routine announces it once"
    assert finishing[0].exercises_done == tuple(e.exercise.id for e in plan.entries)
    assert not finishing[0].exercises_skipped
    left = machine.apply(state, plan, Command.REMAINING)
    assert left.state == state and left.events == (machine.Remaining(0, 0, 0),)


def test_how_much_is_left_after_the_end_is_nothing_and_changes_nothing(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    state = machine.start(plan).state
    for _ in plan.steps:
        finished = machine.apply(state, plan, Command.NEXT)
        state = finished.state
    assert state.finished(plan)
    assert [type(e) for e in finished.events] == [RoutineFinished]
    for _ in range(2):
        left = machine.apply(state, plan, Command.REMAINING)
        assert left.events == (machine.Remaining(seconds=0, exercises_left=0, steps_left=0),)
        assert left.state == state
    again = machine.apply(state, plan, Command.NEXT)
    assert again.state == state and [type(e) for e in again.events] == [RoutineFinished]


def test_a_straight_run_visits_each_exercise_side_and_set_in_order(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("full"), Foot.BOTH, Focus.SOLE)
    transition = machine.start(plan)
    seen: list[tuple[str, int, str | None]] = []
    while not transition.state.finished(plan):
        for event in transition.events:
            if isinstance(event, StepStarted):
                seen.extend((s.exercise_id, s.set_no, s.side) for s in event.step.segments if s.part == 1)
        transition = machine.apply(transition.state, plan, Command.NEXT)
    expected = []
    for entry in plan.entries:
        sides = ("right", "left") if entry.exercise.sides.value == "each" else (None,)
        expected.extend((entry.exercise.id, n, side) for n in range(1, entry.dose.sets + 1) for side in sides)
    assert seen == expected


def test_skip_marks_the_rest_of_the_exercise_skipped(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("full"), Foot.BOTH, Focus.SOLE)
    state = machine.start(plan).state
    state = machine.apply(state, plan, Command.SKIP).state
    first_ex = plan.steps[0].entry_index
    assert state.skipped == {i for i, s in enumerate(plan.steps) if s.entry_index == first_ex}
    assert plan.steps[state.position].entry_index == first_ex + 1


def test_previous_on_the_first_step_repeats_it(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("quick"), Foot.LEFT, Focus.SOLE)
    t = machine.apply(machine.start(plan).state, plan, Command.PREVIOUS)
    assert isinstance(t.events[0], machine.AlreadyAtStart) and t.state.position == 0


def test_steps_never_exceed_one_responses_timed_budget(catalogue: Catalogue) -> None:
    for routine in catalogue.routines.values():
        for foot in Foot:
            for focus in Focus:
                for step in build_plan(routine, foot, focus).steps:
                    assert step.estimate_s <= STEP_TIMED_BUDGET_S or not step.timed


def test_remaining_time_shrinks_as_the_routine_goes_on(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("strength"), Foot.BOTH, Focus.SOLE)
    state = machine.start(plan).state
    before = machine.apply(state, plan, Command.REMAINING).events[0]
    state = machine.apply(state, plan, Command.NEXT).state
    after = machine.apply(state, plan, Command.REMAINING).events[0]
    assert isinstance(before, machine.Remaining) and isinstance(after, machine.Remaining)
    assert after.seconds < before.seconds
    assert before.seconds == plan.total_s - plan.transition_s


@pytest.mark.parametrize(
    "bad",
    [
        None,
        {},
        {"v": 2},
        {"v": 1, "routine": "quick"},
        {
            "v": 1,
            "routine": "quick",
            "foot": "middle",
            "focus": "sole",
            "position": 0,
            "paused": False,
            "offset_ms": 0,
            "done": [],
            "skipped": [],
        },
        {
            "v": 1,
            "routine": "quick",
            "foot": "left",
            "focus": "sole",
            "position": "2",
            "paused": False,
            "offset_ms": 0,
            "done": [],
            "skipped": [],
        },
    ],
)
def test_a_corrupt_stored_state_is_refused(bad: object) -> None:
    with pytest.raises(EngineError):
        RoutineState.from_dict(bad)


def test_a_state_out_of_range_for_its_plan_is_refused(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    with pytest.raises(EngineError):
        RoutineState("quick", Foot.BOTH, Focus.SOLE, position=len(plan.steps) + 1).check(plan)
    with pytest.raises(EngineError):
        RoutineState("quick", Foot.BOTH, Focus.SOLE, done=frozenset({0}), skipped=frozenset({0})).check(plan)
