"""The exercise screen's timeline against the engine's script: the countdown is the plan."""

from __future__ import annotations

import pytest

from heel_coach.catalogue.model import Catalogue, Focus
from heel_coach.engine.plan import Foot, Plan, Step, WorkKind, build_plan
from heel_coach.engine.timing import Cue, Pause, PlanItem, step_script
from heel_coach.screens.timeline import PhaseKind, ScriptItem, device_length, screen_timeline, step_timeline


def spoken_s(item: PlanItem) -> float:
    """Words that take a different time per cue, so a misplaced cue shows up in the sums."""
    return 0.0 if isinstance(item, Pause) else 1.0 + 0.1 * len(item.key)


def script_of(plan: Plan, step: Step) -> list[ScriptItem]:
    return [(item, device_length(item, spoken_s(item))) for item in step_script(plan, step)]


def all_plans(catalogue: Catalogue) -> list[Plan]:
    return [
        build_plan(routine, foot, focus)
        for routine in catalogue.routines.values()
        for foot in (Foot.BOTH, Foot.LEFT)
        for focus in (Focus.SOLE, Focus.CALF)
    ]


def held_s(step: Step) -> float:
    """Seconds of holds and bouts in a step (a single pass is a bout): every hold, every time."""
    return float(
        sum(
            s.work.seconds * s.work.count
            for s in step.segments
            if s.work.kind in (WorkKind.HOLD, WorkKind.TIMED)
            or (s.work.kind is WorkKind.PASSES and s.work.count == 1)
        )
    )


def test_every_hold_counts_down_exactly_its_length(catalogue: Catalogue) -> None:
    checked = 0
    for plan in all_plans(catalogue):
        for step in plan.steps:
            phases, end_ms = step_timeline(step, script_of(plan, step), start_s=7.5)
            counting = [p for p in phases if p.kind is PhaseKind.WORK and p.ticking]
            counted = sum(p.from_s - p.to_s for p in counting)
            wall = sum(p.end_ms - p.start_ms for p in counting) / 1000
            assert counted == pytest.approx(held_s(step)), (plan.routine_id, step.index)
            assert wall == pytest.approx(held_s(step), abs=0.01)  # beats inside a hold take its time
            total = sum(length for _, length in script_of(plan, step))
            assert end_ms / 1000 == pytest.approx(7.5 + total, abs=0.01)
            checked += bool(counting)
    assert checked > 10


def test_phases_tile_the_response_without_gaps(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    for step in plan.steps:
        phases = screen_timeline([(step, script_of(plan, step), 9.0)])
        assert phases[0].start_ms == 0
        for before, after in zip(phases, phases[1:], strict=False):
            assert before.end_ms == after.start_ms
        assert phases[-1].kind is PhaseKind.DONE


def test_each_hold_starts_when_its_start_cue_has_been_said(catalogue: Catalogue) -> None:
    """Walk the script as the device plays it; every hold's count starts where its silence does."""
    plan = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    step = next(s for s in plan.steps if s.segments[0].work.kind is WorkKind.HOLD)
    script = script_of(plan, step)
    phases, _ = step_timeline(step, script, start_s=5.0)
    starts, t, previous = [], 5.0, None
    for item, length in script:
        if (
            isinstance(item, Pause)
            and isinstance(previous, Cue)
            and previous.key in ("cue.start_hold", "cue.hold_again")
        ):
            starts.append(round(t * 1000))
        t += length
        previous = item
    first_ticks = [
        p.start_ms for p in phases if p.kind is PhaseKind.WORK and p.ticking and p.from_s == p.total_s
    ]
    assert first_ticks == starts and starts


def test_halfway_and_ten_left_are_said_at_those_counts(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    step = next(
        s for s in plan.steps if s.segments[0].work.kind is WorkKind.HOLD and s.segments[0].work.seconds >= 30
    )
    script = script_of(plan, step)
    phases, _ = step_timeline(step, script, start_s=0)
    said_at = {}
    t = 0.0
    for item, length in script:
        if isinstance(item, Cue) and item.key in ("cue.halfway", "cue.ten_left") and item.key not in said_at:
            said_at[item.key] = round(t * 1000)
        t += length
    shown = {
        key: next(p for p in phases if p.start_ms <= at < p.end_ms).shown_at(at)
        for key, at in said_at.items()
    }
    seconds = step.segments[0].work.seconds
    assert shown == {"cue.halfway": seconds // 2, "cue.ten_left": 10}


def test_the_indicator_follows_side_switches_and_sets(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("full"), Foot.BOTH, Focus.SOLE)
    step = next(s for s in plan.steps if len({(g.side, g.set_no) for g in s.segments}) > 2)
    phases, _ = step_timeline(step, script_of(plan, step), start_s=0)
    seen = [(p.side, p.set_no) for p in phases if p.kind in (PhaseKind.WORK, PhaseKind.REPS) and p.total_s]
    expected = [(g.side, g.set_no) for g in step.segments]
    assert list(dict.fromkeys(seen)) == list(dict.fromkeys(expected))


def test_shown_count_runs_down_one_per_second_inside_a_hold(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    step = plan.steps[0]
    phases, _ = step_timeline(step, script_of(plan, step), start_s=0)
    tick = next(p for p in phases if p.kind is PhaseKind.WORK and p.ticking)
    assert tick.shown_at(tick.start_ms) == int(tick.from_s)
    assert tick.shown_at(tick.start_ms + 1500) == int(tick.from_s) - 1


def test_counted_repetitions_show_the_number_just_said(catalogue: Catalogue) -> None:
    plan = next(
        p for p in all_plans(catalogue) if any(s.segments[0].work.kind is WorkKind.REPS for s in p.steps)
    )
    step = next(s for s in plan.steps if s.segments[0].work.kind is WorkKind.REPS)
    phases, _ = step_timeline(step, script_of(plan, step), start_s=0)
    counts = [int(p.from_s) for p in phases if p.kind is PhaseKind.REPS]
    count = step.segments[0].work.count
    assert list(range(1, count + 1)) == [n for n in dict.fromkeys(counts) if n <= count][:count]


def test_a_step_said_again_from_a_later_set_shows_that_set_and_side_from_its_start(
    catalogue: Catalogue,
) -> None:
    """ "From set two, left foot.": the screen shows set two on the left foot while the
    instructions are said again, not the step's first set."""
    plan = build_plan(catalogue.routine("morning"), Foot.BOTH, Focus.SOLE)
    calf = next(s for s in plan.steps if s.exercise_id == "calf-stretch")
    script = [
        (item, device_length(item, spoken_s(item))) for item in step_script(plan, calf, intro=True, start=3)
    ]
    phases, _ = step_timeline(calf, script, start_s=0.0)
    assert (phases[0].set_no, phases[0].side) == (2, "left")
    held = [p for p in phases if p.kind is PhaseKind.WORK and p.ticking]
    assert {(p.set_no, p.side) for p in held} == {(2, "left"), (3, "right"), (3, "left")}
