"""Sample screens with real content, for Amazon's validator (``make test``) and renderer (``make screens``).

Every screen in every state that looks different: the exercise screen during a hold, a
rest, repetitions, before and after the timed part; the overview of the longest routine;
progress part-way through a week; the three safety screens. Content is the real catalogue;
the speech lengths are round figures (the voice layer uses the real words when it renders a
step, see ``heel_coach.screens.timeline``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from heel_coach.catalogue.model import Catalogue, Focus
from heel_coach.engine.plan import Foot, Plan, Step, WorkKind, build_plan
from heel_coach.engine.timing import CONTENT_CUES, PlanItem, step_script
from heel_coach.progress import stats
from heel_coach.screens import views
from heel_coach.screens.requests import SafetyTopic
from heel_coach.screens.timeline import Phase, PhaseKind, ScriptItem, device_length, screen_timeline
from heel_coach.screens.views import ScreenView, Wording

SAMPLE_CUE_S = 1.5
"""A spoken cue's length in samples (a real step uses the speech-time estimate of its words)."""
SAMPLE_LEAD_S = 12.0
"""Instructions before the first cue, in samples."""


@dataclass(frozen=True)
class Sample:
    name: str
    """File-name part: ``<name>-<viewport>.png``."""
    view: ScreenView
    at_ms: int
    """Where on the document clock the screenshot is taken (set as the data's offsetMs)."""


def _sample_script(plan: Plan, step: Step) -> list[ScriptItem]:
    """The step's script with round speech lengths (instructions: ``SAMPLE_LEAD_S``)."""

    def spoken(item: PlanItem) -> float:
        key = getattr(item, "key", "")
        return SAMPLE_LEAD_S if key in CONTENT_CUES else SAMPLE_CUE_S

    return [(item, device_length(item, spoken(item))) for item in step_script(plan, step)]


def _find_step(plan: Plan, predicate: object) -> Step:
    for step in plan.steps:
        if callable(predicate) and predicate(step):
            return step
    raise LookupError("no step in the sample plan fits")


def _exercise(
    catalogue: Catalogue,
    plan: Plan,
    step: Step,
    wording: Wording,
    locale: str,
    pick: PhaseKind,
    nth: int = 0,
    into: float = 0.4,
) -> tuple[ScreenView, int]:
    phases = screen_timeline([(step, _sample_script(plan, step), 0.0)])
    chosen: list[Phase] = [p for p in phases if p.kind is pick and (pick is not PhaseKind.WORK or p.ticking)]
    if pick is PhaseKind.REST:  # the longest rest, so the screenshot is taken while it lasts
        chosen = sorted(chosen, key=lambda p: p.start_ms - p.end_ms)
    phase = chosen[min(nth, len(chosen) - 1)]
    at = phase.start_ms + int(min(phase.end_ms - phase.start_ms, 60_000) * into)
    name = catalogue.routine(plan.routine_id).text[locale].name
    view = views.exercise_view(plan, phases, locale=locale, wording=wording, routine_name=name, offset_ms=at)
    return view, at


def samples(catalogue: Catalogue, wording: Wording, locale: str = "en-US") -> list[Sample]:
    """Every sample screen, in a stable order."""
    out: list[Sample] = []
    quick = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    hold_step = _find_step(
        quick, lambda s: s.segments[0].work.kind is WorkKind.HOLD and len({g.side for g in s.segments}) > 1
    )
    timed_step = _find_step(quick, lambda s: s.segments[0].work.kind is WorkKind.TIMED)
    # One foot: sets follow each other on the same side, with the rest between them.
    left = build_plan(catalogue.routine("full"), Foot.LEFT, Focus.SOLE)
    rest_step = _find_step(
        left, lambda s: any(getattr(i, "key", "") == "cue.rest" for i in step_script(left, s))
    )
    for name, plan, step, kind, nth in (
        ("exercise-hold", quick, hold_step, PhaseKind.WORK, 3),
        ("exercise-rest", left, rest_step, PhaseKind.REST, 0),
        ("exercise-ready", quick, timed_step, PhaseKind.READY, 0),
        ("exercise-done", quick, timed_step, PhaseKind.DONE, 0),
    ):
        view, at = _exercise(catalogue, plan, step, wording, locale, kind, nth)
        out.append(Sample(name, view, at))
    reps_plan = _plan_with(catalogue, WorkKind.REPS)
    reps_step = _find_step(reps_plan, lambda s: s.segments[0].work.kind is WorkKind.REPS)
    view, at = _exercise(catalogue, reps_plan, reps_step, wording, locale, PhaseKind.REPS)
    out.append(Sample("exercise-reps", view, at))

    full = build_plan(catalogue.routine("full"), Foot.BOTH, Focus.SOLE)
    out.append(
        Sample(
            "overview",
            views.overview_view(
                full,
                catalogue.routine("full"),
                locale=locale,
                wording=wording,
                feet_phrase="Both feet",
                total_s=sum(length for step in full.steps for _, length in _sample_script(full, step)),
                equipment_names=catalogue.equipment[locale],
            ),
            0,
        )
    )
    out.append(Sample("progress", _progress(catalogue, wording), 0))
    safety = catalogue.safety[locale]
    for topic in SafetyTopic:
        out.append(Sample(f"safety-{topic.value}", views.safety_view(topic, safety, wording=wording), 0))
    return out


def _plan_with(catalogue: Catalogue, kind: WorkKind) -> Plan:
    for routine in catalogue.routines.values():
        plan = build_plan(routine, Foot.BOTH, Focus.SOLE)
        if any(step.segments[0].work.kind is kind for step in plan.steps):
            return plan
    raise LookupError(f"no routine has {kind} work")


@dataclass(frozen=True)
class _Done:
    routine_id: str
    finished_at: datetime


def _progress(catalogue: Catalogue, wording: Wording) -> ScreenView:
    """A Thursday with routines on Monday (2), Tuesday (1) and Thursday (3): a 1-day streak."""
    zone = ZoneInfo("UTC")
    thursday = date(2026, 11, 26)
    now = datetime(2026, 11, 26, 19, 0, tzinfo=UTC)
    routine_ids = list(catalogue.routines)

    def at(day: date, hour: int, i: int) -> _Done:
        moment = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
        return _Done(routine_ids[i % len(routine_ids)], moment)

    monday = thursday - timedelta(days=3)
    sessions = [
        at(monday, 8, 0),
        at(monday, 20, 1),
        at(monday + timedelta(days=1), 9, 2),
        at(thursday, 8, 0),
        at(thursday, 13, 3),
        at(thursday, 18, 1),
    ]
    kinds: dict[str, frozenset[str]] = {}
    for routine in catalogue.routines.values():
        found = {
            stats.MASSAGE if e.exercise.is_massage else e.exercise.category.value for e in routine.entries
        }
        kinds[routine.id] = frozenset(found)
    progress = stats.summarise(sessions, now, zone, kinds)
    return views.progress_view(progress, views.week_counts(sessions, now, zone), wording=wording)
