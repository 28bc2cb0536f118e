"""Timing plans: silences add up to the hold exactly, with the cues a person mid-exercise needs."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from heel_coach.catalogue.model import Catalogue, Category
from heel_coach.engine.plan import STEP_TIMED_BUDGET_S, Foot, Segment, Work, WorkKind, _split
from heel_coach.engine.timing import Cue, Pause, step_timing, timed_silence, total_pause_s


@given(st.integers(min_value=1, max_value=900))
def test_timed_silence_is_exact(seconds: int) -> None:
    items = timed_silence(seconds)
    assert total_pause_s(items) == seconds
    keys = [i.key for i in items if isinstance(i, Cue)]
    assert ("cue.halfway" in keys) == (seconds >= 20)
    assert ("cue.ten_left" in keys) == (seconds >= 30)
    assert all(p.seconds >= 0 for p in items if isinstance(p, Pause))


@given(st.sampled_from([WorkKind.HOLD, WorkKind.TIMED]), st.integers(5, 900), st.integers(1, 12))
def test_long_work_is_split_into_parts_that_fit_one_response(
    kind: WorkKind, seconds: int, count: int
) -> None:
    if kind is WorkKind.TIMED:
        count = 1
    work = Work(kind, seconds, count, seconds * count)
    parts = _split(work)
    assert sum(p.seconds * p.count for p in parts) == seconds * count
    if seconds <= STEP_TIMED_BUDGET_S:
        assert all(p.estimate_s <= STEP_TIMED_BUDGET_S for p in parts)


def test_cues_for_sides_sets_and_last_set(catalogue: Catalogue) -> None:
    from heel_coach.catalogue.model import Focus
    from heel_coach.engine.plan import build_plan

    plan = build_plan(catalogue.routine("full"), Foot.BOTH, Focus.SOLE)
    keys = [i.key for step in plan.steps for i in step_timing(step) if isinstance(i, Cue)]
    for needed in (
        "cue.side",
        "cue.switch_side",
        "cue.set",
        "cue.last_set",
        "cue.rest",
        "cue.halfway",
        "cue.ten_left",
        "cue.start_hold",
        "cue.release",
    ):
        assert needed in keys, needed


def test_reps_are_untimed_and_wait_for_the_user() -> None:
    seg = Segment(0, 0, "toe-raise", Category.STRENGTH, 1, 3, None, Work(WorkKind.REPS, 0, 10, 30))
    from heel_coach.engine.plan import Step

    items = step_timing(Step(0, 0, "toe-raise", (seg,), True, False))
    assert total_pause_s(items) == 0
    assert any(isinstance(i, Cue) and i.key == "cue.do_reps" and i.param("count") == 10 for i in items)
