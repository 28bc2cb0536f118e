"""Timing plans: silences add up to the hold exactly, with the cues a person mid-exercise needs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from heel_coach.catalogue.model import Catalogue, Category, Focus
from heel_coach.engine.lengths import exercise_seconds, item_seconds, plan_seconds, script_seconds
from heel_coach.engine.plan import (
    STEP_SILENCE_BUDGET_S,
    Foot,
    Plan,
    Segment,
    Step,
    Work,
    WorkKind,
    _split,
    build_plan,
)
from heel_coach.engine.speech_time import speech_seconds
from heel_coach.engine.timing import (
    Cue,
    Pause,
    PlanItem,
    routine_head,
    routine_tail,
    segment_work,
    segments_timing,
    silence_s,
    step_script,
    step_timing,
    timed_silence,
)
from heel_coach.engine.work import WaitKind
from tests.helpers import speaking_rate

FEET = st.sampled_from(list(Foot))
FOCI = st.sampled_from(list(Focus))


class KeyVoicing:
    """Says each cue as its key and parameters: words enough to time, with no wording rules."""

    rate = speaking_rate("en-US")

    def say(self, cue: Cue, plan: Plan) -> str:
        return " ".join([cue.key.replace(".", " "), *(str(v) for _, v in cue.params)]) + "."


VOICE = KeyVoicing()


@given(st.integers(min_value=1, max_value=900))
def test_timed_silence_is_exact(seconds: int) -> None:
    items = timed_silence(seconds)
    assert silence_s(items) == seconds
    assert script_seconds(items, Plan("r", Foot.BOTH, Focus.SOLE, (), ()), VOICE) == seconds
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
    work = Work(kind, seconds, count)
    parts = _split(work)
    assert sum(p.seconds * p.count for p in parts) == seconds * count
    if seconds <= STEP_SILENCE_BUDGET_S - 3:
        assert all(p.work_s <= STEP_SILENCE_BUDGET_S for p in parts)


def test_cues_for_sides_sets_and_last_set(catalogue: Catalogue) -> None:
    from heel_coach.catalogue.model import Focus
    from heel_coach.engine.plan import build_plan

    plan = build_plan(catalogue.routine("full"), Foot.LEFT, Focus.SOLE)
    keys = [i.key for step in plan.steps for i in step_timing(step) if isinstance(i, Cue)]
    plan = build_plan(catalogue.routine("full"), Foot.BOTH, Focus.SOLE)
    keys += [i.key for step in plan.steps for i in step_timing(step) if isinstance(i, Cue)]
    for needed in (
        "cue.side.foot",
        "cue.side.leg",
        "cue.switch_side.foot",
        "cue.switch_side.leg",
        "cue.set",
        "cue.last_set",
        "cue.rest",
        "cue.halfway",
        "cue.ten_left",
        "cue.start_hold",
        "cue.release",
        "cue.reps_start",
        "cue.count",
        "cue.count_last",
        "cue.reps_done",
    ):
        assert needed in keys, needed


def test_reps_are_counted_aloud_and_never_wait_for_the_user() -> None:
    seg = Segment(0, 0, "toe-raise", Category.STRENGTH, 1, 1, None, Work(WorkKind.REPS, 3, 10))
    items = step_timing(Step(0, 0, "toe-raise", (seg,), True, False))
    keys = [i.key for i in items if isinstance(i, Cue)]
    assert keys == ["cue.reps_start", *["cue.count"] * 9, "cue.count_last", "cue.reps_done"]
    counts = [i.param("n") for i in items if isinstance(i, Cue) and i.key == "cue.count"]
    assert counts == list(range(1, 10))
    assert not any(k.startswith(("cue.do_reps", "step.")) for k in keys)


@given(
    kind=st.sampled_from([WorkKind.REPS, WorkKind.PASSES]), pace=st.integers(1, 60), count=st.integers(1, 15)
)
def test_a_sets_counted_reps_take_reps_times_pace(kind: WorkKind, pace: int, count: int) -> None:
    """From the first count to the end of the last repetition (or pass) is count x pace."""
    seg = Segment(0, 0, "x", Category.STRENGTH, 1, 1, None, Work(kind, pace, count))
    items = segment_work(seg)
    plan = Plan("r", Foot.BOTH, Focus.SOLE, (), ())
    if kind is WorkKind.PASSES and count == 1:  # one pass is a timed bout
        assert silence_s(items) == pace
        return
    first_beat = next(i for i, item in enumerate(items) if isinstance(item, Cue) and item.within_s)
    last_beat = max(i for i, item in enumerate(items) if isinstance(item, Cue) and item.within_s)
    beats = items[first_beat : last_beat + 1]
    assert script_seconds(beats, plan, ShortWords()) == count * pace
    assert len(beats) == count


class ShortWords:
    """Every cue is one word: it fits inside any beat of a second or more."""

    rate = speaking_rate("en-US")

    def say(self, cue: Cue, plan: Plan) -> str:
        return "go"


def test_a_beat_lasts_its_length_unless_its_words_are_longer() -> None:
    plan = Plan("r", Foot.BOTH, Focus.SOLE, (), ())
    beat = Cue("cue.rest", (("seconds", 30),), within_s=30)
    assert item_seconds(beat, plan, VOICE) == 30
    long = Cue("cue.count", (("n", 1),), within_s=0.5)
    assert item_seconds(long, plan, VOICE) == speech_seconds(VOICE.say(long, plan), VOICE.rate) > 0.5


@settings(max_examples=60, deadline=None)
@given(data=st.data(), foot=FEET, focus=FOCI)
def test_total_plan_time_is_the_sum_of_its_parts(
    catalogue: Catalogue, data: st.DataObject, foot: Foot, focus: Focus
) -> None:
    routine_id = data.draw(st.sampled_from(sorted(catalogue.routines)))
    plan = build_plan(catalogue.routine(routine_id), foot, focus)
    steps = [script_seconds(step_script(plan, s), plan, VOICE) for s in plan.steps]
    head = script_seconds(routine_head(plan), plan, VOICE)
    tail = script_seconds(routine_tail(plan), plan, VOICE)
    assert abs(plan_seconds(plan, VOICE) - (head + sum(steps) + tail)) < 1e-6
    start = data.draw(st.integers(0, len(plan.steps)))
    assert abs(plan_seconds(plan, VOICE, start, head=False) - (sum(steps[start:]) + tail)) < 1e-6
    by_exercise = sum(exercise_seconds(plan, VOICE, i) for i in range(plan.exercise_count()))
    assert abs(by_exercise - sum(steps)) < 1e-6
    # every silence and every beat is in it: the plan is never shorter than its work
    assert plan_seconds(plan, VOICE) > sum(s.work_s for s in plan.steps)


def items_of(plan: Plan) -> list[PlanItem]:
    return [i for s in plan.steps for i in step_script(plan, s)]


def test_rests_are_timed_and_only_between_sets_on_the_same_side(catalogue: Catalogue) -> None:
    one = build_plan(catalogue.routine("strength"), Foot.LEFT, Focus.SOLE)
    rests = [i for i in items_of(one) if isinstance(i, Cue) and i.key == "cue.rest"]
    # toe raises, heel lifts, towel crunch, short foot and bouncing: two rests each on one foot
    assert len(rests) == 10 and all(r.within_s == r.param("seconds") == 30 for r in rests)
    both = build_plan(catalogue.routine("strength"), Foot.BOTH, Focus.SOLE)
    rests = [i for i in items_of(both) if isinstance(i, Cue) and i.key == "cue.rest"]
    assert len(rests) == 6  # towel crunch and short foot alternate feet: the other foot is the rest


def test_leg_exercises_name_the_leg(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("full"), Foot.BOTH, Focus.SOLE)
    for step in plan.steps:
        keys = {i.key for i in step_script(plan, step) if isinstance(i, Cue) and "side" in i.key}
        limb = plan.entries[step.entry_index].exercise.limb.value
        assert keys and all(k.endswith(f".{limb}") for k in keys) or step.segments[0].side is None


def test_whole_exercise_in_one_response_unless_it_cannot_fit(catalogue: Catalogue) -> None:
    """A step ends inside an exercise only where the whole exercise would not fit one response,
    and then between sides or sets, saying which comes next."""
    for routine in catalogue.routines.values():
        for foot in Foot:
            plan = build_plan(routine, foot, Focus.SOLE)
            for step in plan.steps:
                if step.last_of_exercise:
                    assert step.wait.kind in (WaitKind.EXERCISE, WaitKind.END)
                    continue
                whole = [s for s in plan.segments if s.entry_index == step.entry_index]
                assert silence_s(segments_timing(whole)) > STEP_SILENCE_BUDGET_S
                assert step.wait.kind in (WaitKind.SIDE, WaitKind.SET)
                wait = step_script(plan, step)[-1]
                assert isinstance(wait, Cue) and wait.key.startswith(("step.wait.side", "step.wait.set"))
    full = build_plan(catalogue.routine("full"), Foot.BOTH, Focus.SOLE)
    waits = [(s.exercise_id, s.wait.kind, s.wait.side) for s in full.steps if not s.last_of_exercise]
    assert waits == [("plantar-fascia-stretch", WaitKind.SIDE, "left")]
