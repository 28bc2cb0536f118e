"""The work of one set on one side: the unit the plan orders and the timing plan times.

Kept apart from ``plan`` (which groups segments into responses) and ``timing`` (which turns them
into cues and silences) because both need it and the plan's grouping needs the timing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from heel_coach.catalogue.model import Category, Limb


class WorkKind(StrEnum):
    HOLD = "hold"
    """Static holds of ``seconds``, ``count`` times per set."""
    TIMED = "timed"
    """One continuous bout of ``seconds`` (rolling, bouncing)."""
    REPS = "reps"
    """``count`` repetitions counted aloud, one every ``seconds`` (the variant's ``rep_pace_s``)."""
    PASSES = "passes"
    """``count`` massage passes of ``seconds`` each, each one timed."""


@dataclass(frozen=True)
class Work:
    """What the person does in one set: holds, a bout, repetitions or passes."""

    kind: WorkKind
    seconds: int
    """Hold or bout length, or the pace of one repetition or pass."""
    count: int
    """Holds, repetitions or passes per set (1 for a bout)."""

    @property
    def work_s(self) -> int:
        """Time the person works in this set: every hold, bout, counted repetition or pass."""
        return self.seconds * self.count


@dataclass(frozen=True)
class Segment:
    """One set of one exercise on one side."""

    index: int
    entry_index: int
    exercise_id: str
    category: Category
    set_no: int
    sets: int
    side: str | None
    """"right", "left", or None when both feet work together."""
    work: Work
    part: int = 1
    parts: int = 1
    """A single bout longer than one response is split into equal parts (none in the routines)."""
    limb: Limb = Limb.FOOT
    """What ``side`` names: "right foot" or "right leg"."""
    rest_s: int = 0
    """Timed rest before this set when the set before it worked the same side (0: none)."""


class WaitKind(StrEnum):
    """Where a step ends and the skill waits for "next": only at natural points."""

    SIDE = "side"
    """Before the other side of the same exercise (the exercise did not fit one response)."""
    SET = "set"
    """Before the next set of the same exercise (one side did not fit one response)."""
    PART = "part"
    """Inside one bout longer than a response can time (no routine has one)."""
    EXERCISE = "exercise"
    """Before the next exercise."""
    END = "end"
    """After the routine's last step."""


@dataclass(frozen=True)
class Wait:
    """Where a step ends and the skill waits for "next", and what the next step works."""

    kind: WaitKind
    side: str | None = None
    """The side the next step works (``SIDE``)."""
    set_no: int | None = None
    """The set the next step starts (``SET``)."""
