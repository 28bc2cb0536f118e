"""Data sources for the screen documents, filled from the catalogue, the plan and progress.

Pure: no SDK, no Flask. Every word comes from the locale's prompts (``screen.*`` keys) or the
catalogue, passed in as ``Wording``; every number from the plan or the progress record. A
``ScreenView`` is what the voice layer turns into a RenderDocument directive and what the
console describes.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any, Protocol

from heel_coach.catalogue.model import Catalogue, Routine, RoutineEntry, SafetyText, Sides, equipment_for
from heel_coach.engine.plan import Foot, Plan, WorkKind
from heel_coach.progress import stats
from heel_coach.screens.requests import TOKEN_PREFIX, SafetyTopic
from heel_coach.screens.timeline import Phase, PhaseKind

BUTTON_COMMANDS = ("repeat", "pause", "next")
"""Touch buttons of the exercise screen, left to right; each sends ``SendEvent([command])``."""


class Wording(Protocol):
    """Locale prompts (``heel_coach.voice.prompts.Prompts`` fits)."""

    def get(self, key: str, **params: object) -> str: ...


class Screen(StrEnum):
    EXERCISE = "exercise"
    OVERVIEW = "overview"
    PROGRESS = "progress"
    SAFETY = "safety"


@dataclass(frozen=True)
class ScreenView:
    """One screen with its data: the document is ``screen``'s data file, the data source ``data``."""

    screen: Screen
    token: str
    data: dict[str, Any] = field(hash=False)

    def datasources(self) -> dict[str, Any]:
        """The RenderDocument ``datasources`` (a copy: callers may change it freely)."""
        return {"payload": copy.deepcopy(self.data)}

    def summary(self) -> str:
        """One line naming what is shown, for the console and logs."""
        title = self.data.get("title", "")
        return f"{self.screen.value} ({self.token}): {title}"


# -- exercise --------------------------------------------------------------------------------
def exercise_view(
    plan: Plan,
    phases: Sequence[Phase],
    *,
    locale: str,
    wording: Wording,
    routine_name: str,
    offset_ms: int = 0,
    paused: bool = False,
) -> ScreenView:
    """The exercise screen for the steps ``phases`` cover (one step, or a playlist's steps).

    ``offset_ms`` is where on the timeline the screen starts (continuous playback resumed
    part-way through a track); the document adds APL's ``elapsedTime`` to it.
    """
    if not phases:
        raise ValueError("an exercise screen needs at least one phase")
    step_order: list[int] = []
    for phase in phases:
        if phase.step_index not in step_order:
            step_order.append(phase.step_index)
    steps = [_step_data(plan, index, locale=locale, wording=wording) for index in step_order]
    for data, index in zip(steps, step_order, strict=True):
        mine = [p for p in phases if p.step_index == index]
        data["startMs"], data["endMs"] = mine[0].start_ms, mine[-1].end_ms
    first = steps[0]
    return ScreenView(
        Screen.EXERCISE,
        f"{TOKEN_PREFIX}.exercise.{plan.routine_id}.{step_order[0]}",
        {
            "title": first["title"],
            "routine": _capitalise(routine_name),
            "offsetMs": offset_ms,
            "steps": steps,
            "phases": [_phase_data(plan, p, step_order.index(p.step_index), wording) for p in phases],
            "buttons": [
                {
                    "command": "resume" if (command == "pause" and paused) else command,
                    "label": wording.get(
                        "screen.button.resume"
                        if (command == "pause" and paused)
                        else f"screen.button.{command}"
                    ),
                }
                for command in BUTTON_COMMANDS
            ],
        },
    )


def _step_data(plan: Plan, index: int, *, locale: str, wording: Wording) -> dict[str, Any]:
    step = plan.steps[index]
    entry = plan.entries[step.entry_index]
    text = entry.exercise.text[locale]
    return {
        "title": _capitalise(text.name),
        "counter": wording.get(
            "screen.exercise.counter", number=step.entry_index + 1, count=plan.exercise_count()
        ),
        "instructions": [text.position, *text.steps],
    }


def _indicator(phase: Phase, wording: Wording) -> str:
    if phase.side is not None:
        side = wording.get(f"screen.side.{phase.side}")
        if phase.sets > 1:
            return wording.get("screen.indicator.side_set", side=side, set=phase.set_no, sets=phase.sets)
        return side
    if phase.sets > 1:
        return wording.get("screen.indicator.set", set=phase.set_no, sets=phase.sets)
    return wording.get("screen.indicator.both")


def _phase_data(plan: Plan, phase: Phase, step_pos: int, wording: Wording) -> dict[str, Any]:
    step = plan.steps[phase.step_index]
    work = step.segments[0].work
    if phase.kind is PhaseKind.WORK:
        label = wording.get("screen.phase.hold" if work.kind is WorkKind.HOLD else "screen.phase.timed")
    elif phase.kind is PhaseKind.DONE:
        last = step.segments[-1]
        label = wording.get("screen.phase.part_done" if last.part < last.parts else "screen.phase.done")
    else:
        label = wording.get(f"screen.phase.{phase.kind.value}")
    counting = phase.kind is PhaseKind.REPS or (
        phase.kind is PhaseKind.READY and work.kind in (WorkKind.REPS, WorkKind.PASSES) and work.count > 1
    )
    unit = "screen.unit.seconds"
    if counting:
        unit = "screen.unit.passes" if work.kind is WorkKind.PASSES else "screen.unit.reps"
    return {
        "kind": phase.kind.value,
        "startMs": phase.start_ms,
        "endMs": phase.end_ms,
        "fromS": phase.from_s,
        "toS": phase.to_s,
        "totalS": phase.total_s,
        "step": step_pos,
        "label": label,
        "unit": wording.get(unit),
        "indicator": _indicator(phase, wording),
    }


# -- routine overview ------------------------------------------------------------------------
def overview_view(
    plan: Plan,
    routine: Routine,
    *,
    locale: str,
    wording: Wording,
    feet_phrase: str,
    total_s: float,
    equipment_names: dict[str, str],
) -> ScreenView:
    """Before the routine starts: its exercises with their doses, the equipment (alternatives
    joined, optional items marked) and the total time (``total_s``: the announced length)."""
    equipment = []
    for need in equipment_for(plan.entries):
        item = " / ".join(equipment_names.get(i, i) for i in need.any_of)
        equipment.append(wording.get("screen.overview.optional", item=item) if need.optional else item)
    minutes = max(1, round(total_s / 60))
    return ScreenView(
        Screen.OVERVIEW,
        f"{TOKEN_PREFIX}.overview.{routine.id}",
        {
            "title": _capitalise(routine.text[locale].name),
            "description": routine.text[locale].description,
            "feet": feet_phrase,
            "total": wording.get("screen.overview.total", minutes=minutes),
            "exercisesLabel": wording.get("screen.overview.exercises"),
            "exercises": [
                {
                    "number": i + 1,
                    "name": _capitalise(entry.exercise.text[locale].name),
                    "dose": dose_summary(entry, plan.foot, wording),
                }
                for i, entry in enumerate(plan.entries)
            ],
            "equipmentLabel": wording.get("screen.overview.equipment"),
            "equipment": [_capitalise(e) for e in equipment] or [wording.get("screen.overview.no_equipment")],
        },
    )


def dose_summary(entry: RoutineEntry, foot: Foot, wording: Wording) -> str:
    """ "Hold 30 s × 3 · 2 sets · each foot": the dose at a glance."""
    dose, parts = entry.dose, []
    if dose.hold_s is not None:
        reps = dose.reps or 1
        parts.append(
            wording.get("screen.dose.holds", seconds=dose.hold_s, count=reps)
            if reps > 1
            else wording.get("screen.dose.hold", seconds=dose.hold_s)
        )
    elif dose.duration_s is not None:
        parts.append(wording.get("screen.dose.timed", seconds=dose.duration_s))
    elif dose.reps is not None:
        parts.append(wording.get("screen.dose.reps", count=dose.reps))  # CLDR plural form
    if dose.sets > 1:
        parts.append(wording.get("screen.dose.sets", count=dose.sets))
    if entry.exercise.sides is Sides.EACH and foot is Foot.BOTH:
        parts.append(wording.get("screen.dose.each_side"))
    return " · ".join(parts)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


# -- progress --------------------------------------------------------------------------------
DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def week_counts(sessions: Iterable[stats.Finished], now: datetime, zone: tzinfo) -> list[int]:
    """Routines finished on each day (Monday first) of the user's current local week."""
    monday = stats.week_start(stats.local_day(now, zone))
    counts = [0] * 7
    for session in sessions:
        offset = (stats.local_day(session.finished_at, zone) - monday).days
        if 0 <= offset < 7:
            counts[offset] += 1
    return counts


def progress_view(progress: stats.Progress, counts: Sequence[int], *, wording: Wording) -> ScreenView:
    """The week as a bar chart (AVG) against the guides' daily stretching, plus streak and totals."""
    if len(counts) != 7:
        raise ValueError("counts must have one entry per day of the week")
    low, high = stats.STRETCH_PER_DAY
    s_low, s_high = stats.STRENGTH_PER_WEEK
    w_low, w_high = stats.PROGRAMME_WEEKS
    today = progress.today.weekday()
    monday: date = progress.today - timedelta(days=today)
    return ScreenView(
        Screen.PROGRESS,
        f"{TOKEN_PREFIX}.progress.{monday.isoformat()}",
        {
            "title": wording.get("screen.progress.title"),
            "chartLabel": wording.get("screen.progress.chart"),
            "bandLabel": wording.get("screen.progress.band", low=low, high=high),
            "max": max(high + 1, *counts),
            "bandLow": low,
            "bandHigh": high,
            "days": [
                {
                    "label": wording.get(f"screen.day.{key}"),
                    "count": counts[i],
                    "today": i == today,
                    "future": i > today,
                }
                for i, key in enumerate(DAY_KEYS)
            ],
            "tiles": [
                {"value": str(progress.this_week), "label": wording.get("screen.progress.routines")},
                {"value": str(progress.streak), "label": wording.get("screen.progress.streak")},
                {
                    "value": wording.get(
                        "screen.progress.strength_value",
                        count=progress.strength_this_week,
                        low=s_low,
                        high=s_high,
                    ),
                    "label": wording.get("screen.progress.strength"),
                },
            ],
            "footer": wording.get("screen.progress.weeks", low=w_low, high=w_high),
        },
    )


# -- safety ----------------------------------------------------------------------------------
def safety_view(topic: SafetyTopic, safety: SafetyText, *, wording: Wording) -> ScreenView:
    """Disclaimer, massage contraindications or warning signs, in the locale's safety wording."""
    if topic is SafetyTopic.DISCLAIMER:
        intro, items = safety.disclaimer, []
    elif topic is SafetyTopic.CONTRAINDICATIONS:
        intro = wording.get("screen.safety.contraindications.intro")
        items = [_capitalise(i) for i in safety.massage_contraindications]
    else:
        intro = wording.get("screen.safety.warning_signs.intro")
        items = [_capitalise(i) for i in safety.red_flags]
    return ScreenView(
        Screen.SAFETY,
        f"{TOKEN_PREFIX}.safety.{topic.value}",
        {
            "topic": topic.value,
            "title": wording.get(f"screen.safety.{topic.value}.title"),
            "intro": intro,
            "items": items,
            "columns": _columns(items),
        },
    )


def _columns(items: list[str]) -> list[list[str]]:
    """Long lists in two columns on landscape screens (the round screen scrolls one)."""
    if not items:
        return []
    if len(items) <= 6:
        return [items]
    half = -(-len(items) // 2)
    return [items[:half], items[half:]]


def routine_name(catalogue: Catalogue, routine_id: str, locale: str) -> str:
    return catalogue.routine(routine_id).text[locale].name
