"""The routine engine: any command sequence keeps the state valid; finishing visits everything once."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heel_coach.catalogue.model import Catalogue, Focus
from heel_coach.engine import machine
from heel_coach.engine.machine import Command, RoutineFinished, StepStarted
from heel_coach.engine.plan import STEP_SILENCE_BUDGET_S, Foot, build_plan
from heel_coach.engine.state import RoutineState
from heel_coach.engine.timing import silence_s, step_script
from heel_coach.errors import EngineError

COMMANDS = st.sampled_from(list(Command))
FEET = st.sampled_from(list(Foot))
FOCI = st.sampled_from(list(Focus))


@pytest.fixture(scope="module")
def cat(catalogue: Catalogue) -> Catalogue:
    return catalogue


PLACES = st.one_of(st.none(), st.integers(min_value=-2, max_value=8))
"""Where the voice layer located the person in the step (None: unknown; out of range too)."""


@settings(max_examples=150, deadline=None)
@given(data=st.data(), foot=FEET, focus=FOCI, commands=st.lists(st.tuples(COMMANDS, PLACES), max_size=60))
def test_any_command_sequence_keeps_the_state_valid(
    catalogue: Catalogue,
    data: st.DataObject,
    foot: Foot,
    focus: Focus,
    commands: list[tuple[Command, int | None]],
) -> None:
    routine_id = data.draw(st.sampled_from(sorted(catalogue.routines)))
    plan = build_plan(catalogue.routine(routine_id), foot, focus)
    transition = machine.start(plan)
    for command, at in commands:
        transition = machine.apply(transition.state, plan, command, at=at)
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
    assert left.state == state and left.events == (machine.Remaining(len(plan.steps), 0, 0),)


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
        assert left.events == (machine.Remaining(position=len(plan.steps), exercises_left=0, steps_left=0),)
        assert left.state == state
    again = machine.apply(state, plan, Command.NEXT)
    assert again.state == state and [type(e) for e in again.events] == [RoutineFinished]


def test_a_straight_run_visits_each_exercise_side_and_set_in_order(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("full"), Foot.BOTH, Focus.SOLE)
    transition = machine.apply(machine.start(plan).state, plan, Command.BEGIN)  # "ready"
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


def test_previous_goes_to_the_start_of_the_previous_exercise(catalogue: Catalogue) -> None:
    """Plantar fascia ten holds does not fit one response with both feet: previous from its
    left foot goes back to the calf stretch before it, not to its own right foot."""
    plan = build_plan(catalogue.routine("full"), Foot.BOTH, Focus.SOLE)
    left = next(
        s for s in plan.steps if s.exercise_id == "plantar-fascia-stretch" and not s.first_of_exercise
    )
    state = machine.start(plan).state
    while state.position < left.index:
        state = machine.apply(state, plan, Command.NEXT).state
    t = machine.apply(state, plan, Command.PREVIOUS)
    started = t.events[-1]
    assert isinstance(started, StepStarted) and started.step.exercise_id == "soleus-stretch"
    assert started.step.first_of_exercise and not t.state.done & set(range(t.state.position, left.index + 1))


def test_steps_never_exceed_one_responses_silence(catalogue: Catalogue) -> None:
    for routine in catalogue.routines.values():
        for foot in Foot:
            for focus in Focus:
                plan = build_plan(routine, foot, focus)
                for step in plan.steps:
                    assert silence_s(step_script(plan, step)) <= STEP_SILENCE_BUDGET_S


def test_a_routine_opens_then_ready_says_its_first_step_and_moves_nothing(catalogue: Catalogue) -> None:
    """The opening (name, length, equipment) waits for "ready": no step is said or done before it."""
    plan = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    opened = machine.start(plan)
    assert [type(e) for e in opened.events] == [machine.RoutineStarted]
    ready = machine.apply(opened.state, plan, Command.BEGIN)
    assert ready.state == opened.state and ready.events == (
        StepStarted(plan.steps[0], 1, plan.exercise_count()),
    )


def test_remaining_counts_from_the_current_step(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("strength"), Foot.BOTH, Focus.SOLE)
    state = machine.start(plan).state
    before = machine.apply(state, plan, Command.REMAINING).events[0]
    state = machine.apply(state, plan, Command.NEXT).state
    after = machine.apply(state, plan, Command.REMAINING).events[0]
    assert isinstance(before, machine.Remaining) and isinstance(after, machine.Remaining)
    assert (before.position, after.position) == (0, 1)
    assert after.exercises_left == before.exercises_left - 1


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    foot=FEET,
    focus=FOCI,
    moves=st.lists(st.sampled_from([Command.NEXT, Command.ENDED_AT_WAIT]), max_size=40),
)
def test_a_session_ending_at_a_wait_point_never_repeats_a_finished_set(
    catalogue: Catalogue, data: st.DataObject, foot: Foot, focus: Focus, moves: list[Command]
) -> None:
    """Going on with "next", or the session closing after a step was said in full (and the
    next launch carrying on), does every exercise, side and set exactly once, in order."""
    routine_id = data.draw(st.sampled_from(sorted(catalogue.routines)))
    plan = build_plan(catalogue.routine(routine_id), foot, focus)
    transition = machine.apply(machine.start(plan).state, plan, Command.BEGIN)  # "ready"
    said = [transition.events[-1]]
    for command in [*moves, *[Command.NEXT] * (len(plan.steps) + 1)]:
        if transition.state.finished(plan):
            break
        transition = machine.apply(transition.state, plan, command)
        if command is Command.ENDED_AT_WAIT and not transition.state.finished(plan):
            left = transition.events[-1]
            assert isinstance(left, machine.LeftAtWait)
            assert left.next_step.index == transition.state.position
            transition = machine.apply(transition.state, plan, Command.RESUME)  # the next launch
        said.extend(e for e in transition.events if isinstance(e, StepStarted))
    assert transition.state.finished(plan) and transition.state.done == frozenset(range(len(plan.steps)))
    done = [(s.exercise_id, s.set_no, s.side, s.part) for e in said for s in e.step.segments]
    assert done == [(s.exercise_id, s.set_no, s.side, s.part) for s in plan.segments]


@pytest.mark.parametrize(
    "bad",
    [
        None,
        {},
        {"v": 3},
        {
            "v": 1,
            "routine": "quick",
            "foot": "left",
            "focus": "sole",
            "position": 1,
            "paused": False,
            "offset_ms": 0,
            "done": [0],
            "skipped": [],
        },  # version 1 counted one set per step
        {"v": 2, "routine": "quick"},
        {
            "v": 2,
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
            "v": 2,
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
