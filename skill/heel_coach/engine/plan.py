"""Turn a routine, a foot and a focus into the ordered list of things to do.

A *segment* is one set of one exercise on one side. A *step* is what one Alexa response
covers: a run of timed segments of the same exercise that fits inside one response's
audio budget (so "switch to your left foot" can be cued without the user saying "next"),
or a single untimed (repetition) segment, which always waits for the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from heel_coach.catalogue.model import Category, Focus, Routine, RoutineEntry, Sides

STEP_TIMED_BUDGET_S = 200
"""Timed work per response. Alexa plays at most 240 s of audio per response (reference §2);
the rest of the budget is left for spoken cues and instructions."""

UNTIMED_REP_ESTIMATE_S = 5
"""Seconds per repetition when a seed gives no pace: used only to estimate totals."""

HOLD_GAP_S = 3
"""Silence between two holds of the same set (release, breathe, start again)."""


class Foot(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"

    def sides(self) -> tuple[str, ...]:
        if self is Foot.BOTH:
            return ("right", "left")
        return (self.value,)


class WorkKind(StrEnum):
    HOLD = "hold"
    """Static holds of ``seconds``, ``count`` times per set."""
    TIMED = "timed"
    """One continuous bout of ``seconds`` (rolling, bouncing)."""
    REPS = "reps"
    """``count`` repetitions at the user's own pace; the user says "next"."""


@dataclass(frozen=True)
class Work:
    kind: WorkKind
    seconds: int
    """Hold or bout length; 0 for repetitions."""
    count: int
    """Holds per set, or repetitions per set."""
    estimate_s: int
    """Expected length of this set on one side, for totals and "how much is left"."""

    @property
    def timed(self) -> bool:
        return self.kind is not WorkKind.REPS


@dataclass(frozen=True)
class Segment:
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
    """Timed work longer than one response's budget is split into equal parts."""


@dataclass(frozen=True)
class Step:
    index: int
    entry_index: int
    exercise_id: str
    segments: tuple[Segment, ...]
    first_of_exercise: bool
    last_of_exercise: bool

    @property
    def estimate_s(self) -> int:
        return sum(s.work.estimate_s for s in self.segments)

    @property
    def timed(self) -> bool:
        return self.segments[0].work.timed


@dataclass(frozen=True)
class Plan:
    routine_id: str
    foot: Foot
    focus: Focus
    entries: tuple[RoutineEntry, ...]
    steps: tuple[Step, ...]

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(seg for step in self.steps for seg in step.segments)

    @property
    def total_s(self) -> int:
        return sum(step.estimate_s for step in self.steps) + self.transition_s

    @property
    def transition_s(self) -> int:
        """Gaps between holds; instructions are spoken time and are not counted."""
        return sum(
            HOLD_GAP_S * (seg.work.count - 1) for seg in self.segments if seg.work.kind is WorkKind.HOLD
        )

    def remaining_s(self, position: int) -> int:
        return sum(step.estimate_s for step in self.steps[position:])

    def exercise_count(self) -> int:
        return len(self.entries)


def work_for(entry: RoutineEntry) -> Work:
    """The work of one set on one side, from the routine's resolved dose."""
    dose = entry.dose
    if dose.hold_s is not None:
        count = dose.reps or 1
        return Work(WorkKind.HOLD, dose.hold_s, count, dose.hold_s * count)
    if dose.duration_s is not None:
        return Work(WorkKind.TIMED, dose.duration_s, 1, dose.duration_s)
    count = dose.reps or 1
    pace = entry.variant.rep_pace_s or UNTIMED_REP_ESTIMATE_S
    return Work(WorkKind.REPS, 0, count, count * pace)


def _split(work: Work) -> tuple[Work, ...]:
    """Split work that cannot be timed inside one response into parts that can."""
    if not work.timed or work.estimate_s <= STEP_TIMED_BUDGET_S:
        return (work,)
    if work.kind is WorkKind.HOLD:
        per_part = max(1, STEP_TIMED_BUDGET_S // work.seconds)
        counts = [per_part] * (work.count // per_part)
        if work.count % per_part:
            counts.append(work.count % per_part)
        return tuple(Work(WorkKind.HOLD, work.seconds, c, c * work.seconds) for c in counts)
    n = -(-work.seconds // STEP_TIMED_BUDGET_S)
    base, extra = divmod(work.seconds, n)
    lengths = [base + (1 if i < extra else 0) for i in range(n)]
    return tuple(Work(WorkKind.TIMED, length, 1, length) for length in lengths)


def build_plan(routine: Routine, foot: Foot, focus: Focus) -> Plan:
    """Order: exercise by exercise; inside one, set by set, and per set right then left."""
    entries = routine.entries_for(focus)
    segments: list[Segment] = []
    for entry_index, entry in enumerate(entries):
        work = work_for(entry)
        sides: tuple[str | None, ...] = foot.sides() if entry.exercise.sides is Sides.EACH else (None,)
        parts = _split(work)
        for set_no in range(1, entry.dose.sets + 1):
            for side in sides:
                for part_no, part_work in enumerate(parts, start=1):
                    segments.append(
                        Segment(
                            index=len(segments),
                            entry_index=entry_index,
                            exercise_id=entry.exercise.id,
                            category=entry.exercise.category,
                            set_no=set_no,
                            sets=entry.dose.sets,
                            side=side,
                            work=part_work,
                            part=part_no,
                            parts=len(parts),
                        )
                    )
    return Plan(routine.id, foot, focus, entries, _group_into_steps(segments))


def _group_into_steps(segments: list[Segment]) -> tuple[Step, ...]:
    groups: list[list[Segment]] = []
    for seg in segments:
        current = groups[-1] if groups else None
        if (
            current is not None
            and current[0].entry_index == seg.entry_index
            and seg.work.timed
            and sum(s.work.estimate_s for s in current) + seg.work.estimate_s <= STEP_TIMED_BUDGET_S
        ):
            current.append(seg)
        else:
            groups.append([seg])
    steps: list[Step] = []
    for i, group in enumerate(groups):
        entry_index = group[0].entry_index
        steps.append(
            Step(
                index=i,
                entry_index=entry_index,
                exercise_id=group[0].exercise_id,
                segments=tuple(group),
                first_of_exercise=i == 0 or groups[i - 1][0].entry_index != entry_index,
                last_of_exercise=i == len(groups) - 1 or groups[i + 1][0].entry_index != entry_index,
            )
        )
    return tuple(steps)


def routine_total_s(routine: Routine, foot: Foot = Foot.BOTH, focus: Focus = Focus.SOLE) -> int:
    """Total time of a routine with both feet (the catalogue's published figure)."""
    return build_plan(routine, foot, focus).total_s
