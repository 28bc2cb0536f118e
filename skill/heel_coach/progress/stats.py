"""Progress over days and weeks, in the user's own time zone. Pure: "now" and the zone are passed in.

A day is a local calendar day; a week starts on Monday. Days are computed from each
session's UTC finish time converted to the zone, so a session after midnight local time
counts for the new day even when UTC still says yesterday, and DST changes cannot make a
day vanish or repeat (only dates are compared, never 24-hour steps).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

from heel_coach.catalogue.model import Catalogue, Category, Exercise

__all__ = [
    "MASSAGE_PER_DAY",
    "PROGRAMME_WEEKS",
    "STRENGTH_PER_WEEK",
    "STRETCH_PER_DAY",
    "Finished",
    "Progress",
    "current_streak",
    "local_day",
    "next_level",
    "progressing_exercise",
    "routine_kinds",
    "summarise",
    "week_start",
    "weekly_summary_due",
]

# What the exercise guides suggest (quoted as such, never as medical advice).
STRETCH_PER_DAY = (2, 3)  # seed 002: stretching two to three times daily
STRENGTH_PER_WEEK = (3, 5)  # seeds 002 and 000: three to five times a week
MASSAGE_PER_DAY = (1, 1)  # seed 003: self-massage daily, in the evening
PROGRAMME_WEEKS = (6, 8)  # seed 002: improvements often seen after six to eight weeks

STRETCH, STRENGTH, MASSAGE = "stretch", "strength", "massage"


class Finished(Protocol):
    """What stats need from a stored session (``SessionRecord`` fits)."""

    @property
    def routine_id(self) -> str: ...

    @property
    def finished_at(self) -> datetime: ...


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The user's calendar day at an aware instant."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(zone).date()


def week_start(day: date) -> date:
    """Monday of the week ``day`` falls in."""
    return day - timedelta(days=day.weekday())


def current_streak(days: Iterable[date], today: date) -> int:
    """Consecutive days with at least one routine, ending today (or yesterday, if not yet today)."""
    active = set(days)
    day = today if today in active else today - timedelta(days=1)
    streak = 0
    while day in active:
        streak += 1
        day -= timedelta(days=1)
    return streak


@dataclass(frozen=True)
class Progress:
    """What "how am I doing" and the weekly summary say, counted in the user's own days."""

    today: date
    this_week: int
    """Routines finished since Monday (local)."""
    days_this_week: int
    streak: int
    strength_this_week: int
    stretch_today: int
    massage_days_this_week: int
    last_week: int
    days_last_week: int
    total: int


def summarise(
    sessions: Iterable[Finished],
    now: datetime,
    zone: tzinfo,
    kinds: Mapping[str, frozenset[str]],
) -> Progress:
    """Count sessions by local day and week; ``kinds`` says which routines stretch/strengthen/massage."""
    today = local_day(now, zone)
    monday = week_start(today)
    last_monday = monday - timedelta(days=7)
    per_day: dict[date, list[str]] = {}
    for s in sessions:
        per_day.setdefault(local_day(s.finished_at, zone), []).append(s.routine_id)

    def count(first: date, last: date, kind: str | None = None) -> int:
        return sum(
            1
            for day, routines in per_day.items()
            if first <= day <= last
            for r in routines
            if kind is None or kind in kinds.get(r, frozenset())
        )

    def days(first: date, last: date, kind: str | None = None) -> int:
        return sum(
            1
            for day, routines in per_day.items()
            if first <= day <= last
            and any(kind is None or kind in kinds.get(r, frozenset()) for r in routines)
        )

    return Progress(
        today=today,
        this_week=count(monday, today),
        days_this_week=days(monday, today),
        streak=current_streak((d for d in per_day if d <= today), today),
        strength_this_week=count(monday, today, STRENGTH),
        stretch_today=count(today, today, STRETCH),
        massage_days_this_week=days(monday, today, MASSAGE),
        last_week=count(last_monday, monday - timedelta(days=1)),
        days_last_week=days(last_monday, monday - timedelta(days=1)),
        total=sum(len(r) for d, r in per_day.items() if d <= today),
    )


def weekly_summary_due(last_given: date | None, today: date) -> bool:
    """Once per local calendar week: due when the last summary was in an earlier week."""
    return last_given is None or week_start(last_given) < week_start(today)


def next_level(levels: tuple[str, ...], current: str | None) -> str | None:
    """The next progression step after ``current`` (None: already at the last one)."""
    if not levels:
        return None
    if current not in levels:
        return levels[1] if len(levels) > 1 else None
    index = levels.index(current)
    return levels[index + 1] if index + 1 < len(levels) else None


def routine_kinds(catalogue: Catalogue) -> dict[str, frozenset[str]]:
    """Which of stretching, strengthening and massage each routine counts as."""
    kinds: dict[str, frozenset[str]] = {}
    for routine in catalogue.routines.values():
        found: set[str] = set()
        for entry in routine.entries:
            if entry.exercise.is_massage:
                found.add(MASSAGE)
            elif entry.exercise.category is Category.STRETCH:
                found.add(STRETCH)
            elif entry.exercise.category is Category.STRENGTH:
                found.add(STRENGTH)
        kinds[routine.id] = frozenset(found)
    return kinds


def progressing_exercise(catalogue: Catalogue) -> tuple[Exercise, tuple[str, ...]] | None:
    """The first strengthening exercise whose seed describes a progression (toe raises)."""
    for exercise in catalogue.exercises.values():
        variant = exercise.variants[0]
        if exercise.category is Category.STRENGTH and variant.progression:
            return exercise, (variant.id, *variant.progression)
    return None
