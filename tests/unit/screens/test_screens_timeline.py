"""The exercise screen's timeline against the engine's timing plan: the countdown is the plan."""

from __future__ import annotations

import pytest

from heel_coach.catalogue.model import Catalogue, Focus
from heel_coach.engine.plan import Foot, Plan, Step, WorkKind, build_plan
from heel_coach.engine.timing import Cue, Pause, step_timing, total_pause_s
from heel_coach.screens.timeline import PhaseKind, screen_timeline, step_timeline


def cue_s(cue: Cue) -> float:
    """A cue length that differs per cue, so a misplaced cue shows up in the sums."""
    return 1.0 + 0.1 * len(cue.key)


def work_pause_s(step: Step) -> float:
    """The plan's timed work: every hold and bout, at its length, as many times as it is done."""
    return float(sum(s.work.seconds * s.work.count for s in step.segments if s.work.timed))


def all_plans(catalogue: Catalogue) -> list[Plan]:
    return [
        build_plan(routine, foot, focus)
        for routine in catalogue.routines.values()
        for foot in (Foot.BOTH, Foot.LEFT)
        for focus in (Focus.SOLE, Focus.CALF)
    ]


def test_every_step_counts_down_exactly_its_timed_work(catalogue: Catalogue) -> None:
    for plan in all_plans(catalogue):
        for step in plan.steps:
            items = step_timing(step)
            phases, end_ms = step_timeline(step, items, start_s=7.5, cue_seconds=cue_s)
            ticking = [p for p in phases if p.kind is PhaseKind.WORK and p.ticking]
            counted = sum(p.from_s - p.to_s for p in ticking)
            wall = sum(p.end_ms - p.start_ms for p in ticking) / 1000
            assert counted == pytest.approx(work_pause_s(step)), (plan.routine_id, step.index)
            assert wall == pytest.approx(work_pause_s(step), abs=0.01)
            speech = sum(cue_s(i) for i in items if isinstance(i, Cue))
            assert end_ms / 1000 == pytest.approx(7.5 + speech + total_pause_s(items), abs=0.01)


def test_phases_tile_the_response_without_gaps(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    for step in plan.steps:
        phases = screen_timeline([(step, step_timing(step), 9.0)], cue_s)
        assert phases[0].start_ms == 0
        for before, after in zip(phases, phases[1:], strict=False):
            assert before.end_ms == after.start_ms
        assert phases[-1].kind in (PhaseKind.DONE, PhaseKind.REPS)


def test_each_hold_starts_when_its_start_cue_has_been_said(catalogue: Catalogue) -> None:
    """Walk the plan as the SSML plays it; every hold's countdown starts where its silence starts."""
    plan = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    step = next(s for s in plan.steps if s.segments[0].work.kind is WorkKind.HOLD)
    items = step_timing(step)
    phases, _ = step_timeline(step, items, start_s=5.0, cue_seconds=cue_s)
    starts, t, previous = [], 5.0, None
    for item in items:
        if isinstance(item, Pause):
            if isinstance(previous, Cue) and previous.key in ("cue.start_hold", "cue.hold_again"):
                starts.append(round(t * 1000))
            t += item.seconds
        else:
            t += cue_s(item)
        previous = item
    first_ticks = [
        p.start_ms for p in phases if p.kind is PhaseKind.WORK and p.ticking and p.from_s == p.total_s
    ]
    assert first_ticks == starts
    hold = step.segments[0].work.seconds
    for p in phases:
        if p.kind is PhaseKind.WORK:
            assert p.total_s == hold


def test_halfway_and_ten_left_cues_freeze_the_count_at_those_values(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    step = next(s for s in plan.steps if s.segments[0].work.seconds >= 30)
    phases, _ = step_timeline(step, step_timing(step), start_s=0, cue_seconds=cue_s)
    frozen = [p.from_s for p in phases if p.kind is PhaseKind.WORK and not p.ticking and p.from_s > 0]
    seconds = step.segments[0].work.seconds
    assert frozen[:2] == [seconds / 2, 10]


def test_the_indicator_follows_side_switches_and_sets(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("full"), Foot.BOTH, Focus.SOLE)
    step = next(s for s in plan.steps if len({(g.side, g.set_no) for g in s.segments}) > 2)
    phases, _ = step_timeline(step, step_timing(step), start_s=0, cue_seconds=cue_s)
    seen = [(p.side, p.set_no) for p in phases if p.kind is PhaseKind.WORK and p.ticking]
    expected = [(g.side, g.set_no) for g in step.segments]
    assert list(dict.fromkeys(seen)) == list(dict.fromkeys(expected))


def test_shown_count_runs_down_one_per_second_inside_a_hold(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    step = plan.steps[0]
    phases, _ = step_timeline(step, step_timing(step), start_s=0, cue_seconds=cue_s)
    tick = next(p for p in phases if p.kind is PhaseKind.WORK and p.ticking)
    assert tick.shown_at(tick.start_ms) == int(tick.from_s)
    assert tick.shown_at(tick.start_ms + 1500) == int(tick.from_s) - 1
    assert tick.shown_at(tick.end_ms) == int(tick.to_s)


def test_repetitions_stay_on_screen_until_next(catalogue: Catalogue) -> None:
    plan = next(
        p for p in all_plans(catalogue) if any(s.segments[0].work.kind is WorkKind.REPS for s in p.steps)
    )
    step = next(s for s in plan.steps if s.segments[0].work.kind is WorkKind.REPS)
    phases = screen_timeline([(step, step_timing(step), 4.0)], cue_s)
    assert phases[-1].kind is PhaseKind.REPS
    assert phases[-1].from_s == step.segments[0].work.count
