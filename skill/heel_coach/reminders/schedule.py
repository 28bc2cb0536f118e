"""When to remind: AMAZON.TIME values to a local clock time, days to recurrence, seed suggestions.

Pure: no Alexa, no clock reads. The Reminders API fires in the device's time zone, so every
time here is a local wall-clock time; the zone travels separately (``trigger.timeZoneId``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "DAY_SETS",
    "PERIODS",
    "SUGGESTIONS",
    "LocalTime",
    "ReminderSchedule",
    "Suggestion",
    "days_for",
    "parse_time",
    "routine_for",
]

_HH_MM = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")


@dataclass(frozen=True, order=True)
class LocalTime:
    """A wall-clock time in the user's own time zone."""

    hour: int
    minute: int = 0

    def __post_init__(self) -> None:
        if not (0 <= self.hour <= 23 and 0 <= self.minute <= 59):
            raise ValueError(f"{self.hour}:{self.minute} is not a clock time")

    def as_dict(self) -> dict[str, int]:
        return {"hour": self.hour, "minute": self.minute}


@dataclass(frozen=True)
class ReminderSchedule:
    """One recurring reminder the skill asks Alexa to keep: what the Reminders API is sent to
    create it or to replace an existing one's schedule.

    ``hour``:``minute`` is wall-clock time in ``time_zone`` (the device's zone); ``days`` is
    None for every day, else weekday codes (``MO``..``SU``); ``text`` is what Alexa says, in
    ``locale``. ``now`` is the request's time (naive: already wall-clock time in the zone), so
    the recurrence never starts in the past. Checked by the Reminders client, which refuses a
    bad one before any call.
    """

    hour: int
    minute: int
    days: tuple[str, ...] | None
    time_zone: str
    text: str
    locale: str
    now: datetime


PERIODS: dict[str, LocalTime] = {
    # AMAZON.TIME gives a period code for "in the morning", "this evening" and so on.
    # Morning: before the first steps of the day, when seed 002 says heel pain is worst.
    "MO": LocalTime(7, 0),
    "AF": LocalTime(14, 0),
    # Evening: seed 003 says self-massage is best done daily in the evening.
    "EV": LocalTime(19, 0),
    "NI": LocalTime(21, 0),
}

DAY_SETS: dict[str, tuple[str, ...] | None] = {
    "daily": None,
    "weekdays": ("MO", "TU", "WE", "TH", "FR"),
    "weekends": ("SA", "SU"),
    # Seeds 000 and 002: strengthening three to five times a week, with rest days between.
    "strength_days": ("MO", "WE", "FR"),
    "monday": ("MO",),
    "tuesday": ("TU",),
    "wednesday": ("WE",),
    "thursday": ("TH",),
    "friday": ("FR",),
    "saturday": ("SA",),
    "sunday": ("SU",),
}
"""Day-slot ids (interaction model type REMINDER_DAYS) to weekday codes; None is every day."""


def parse_time(value: str | None) -> LocalTime | None:
    """``"07:00"`` / ``"19:30"`` / a period code (``"EV"``) to a local time; None if unusable."""
    if not value:
        return None
    value = value.strip().upper()
    if value in PERIODS:
        return PERIODS[value]
    match = _HH_MM.match(value)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return LocalTime(hour, minute)


def days_for(day_id: str | None) -> tuple[str, ...] | None:
    """Weekday codes for a resolved REMINDER_DAYS id; unknown or missing means every day."""
    if day_id is None:
        return None
    return DAY_SETS.get(day_id)


def routine_for(time: LocalTime) -> str:
    """The routine a reminder at this time should name when the user did not say one.

    Morning: the first-steps routine (seed 002); evening: the massage (seed 003);
    otherwise the full routine.
    """
    if time.hour < 11:
        return "morning"
    if time.hour >= 18:
        return "evening-massage"
    return "full"


@dataclass(frozen=True)
class Suggestion:
    """One slot of the schedule the exercise guides suggest."""

    routine_id: str
    time: LocalTime
    days: tuple[str, ...] | None
    key: str
    """Prompt key that says why (quoting the guides, never a medical claim)."""


SUGGESTIONS: tuple[Suggestion, ...] = (
    # Seed 002: stretch two to three times a day, especially before the first steps.
    Suggestion("morning", PERIODS["MO"], None, "schedule.morning"),
    # Seeds 000 and 002: strengthening three to five times a week.
    Suggestion("strength", LocalTime(18, 0), DAY_SETS["strength_days"], "schedule.strength"),
    # Seed 003: self-massage daily, in the evening.
    Suggestion("evening-massage", PERIODS["EV"], None, "schedule.evening"),
)
