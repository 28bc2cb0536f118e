"""Turn a routine, a foot and a focus into the ordered list of things to do.

A *segment* is one set of one exercise on one side. A *step* is what one Alexa response
covers. In step mode a response cannot be chained to the next without the user, so a step
holds the whole of an exercise (every side, set, counted repetition and rest) whenever that
fits one response's silence budget, and otherwise ends at a natural point: between sides, then
between sets. The skill waits for "next" only there (``Step.wait``) and says what comes next.
"""

from __future__ import annotations

from dataclasses import dataclass

from heel_coach.alexa_limits import MAX_SPEECH_AUDIO_S
from heel_coach.catalogue.model import Focus, Foot, Routine, RoutineEntry, Sides
from heel_coach.engine.timing import segments_timing, silence_s
from heel_coach.engine.work import Segment, Wait, WaitKind, Work, WorkKind

__all__ = [
    "STEP_SILENCE_BUDGET_S",
    "Foot",
    "Plan",
    "Segment",
    "Step",
    "Wait",
    "WaitKind",
    "Work",
    "WorkKind",
    "build_plan",
    "work_for",
]

STEP_SILENCE_BUDGET_S = MAX_SPEECH_AUDIO_S
"""Silence one response may hold. Silences over ``MAX_BREAK_S`` are silence clips (``<audio>``,
capped per response), shorter ones ``<break>``s whose total is undocumented, so the budget
counts every silence as if it were audio."""


@dataclass(frozen=True)
class Step:
    """What one response covers: a whole exercise, or a side or set of one, up to its wait."""

    index: int
    entry_index: int
    exercise_id: str
    segments: tuple[Segment, ...]
    first_of_exercise: bool
    last_of_exercise: bool
    wait: Wait = Wait(WaitKind.EXERCISE)
    """What the step's end waits for, and says so ("say next for your left foot")."""

    @property
    def work_s(self) -> int:
        """Time the person works in this step (holds, bouts, counted repetitions, passes)."""
        return sum(s.work.work_s for s in self.segments)


@dataclass(frozen=True)
class Plan:
    """A routine laid out as steps for one foot choice and focus; built from the catalogue alone."""

    routine_id: str
    foot: Foot
    focus: Focus
    entries: tuple[RoutineEntry, ...]
    steps: tuple[Step, ...]

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(seg for step in self.steps for seg in step.segments)

    def exercise_count(self) -> int:
        return len(self.entries)

    def first_massage_entry(self) -> int | None:
        """Index of the first massage exercise: the massage-safety sentence goes before it."""
        return next((i for i, e in enumerate(self.entries) if e.exercise.is_massage), None)

    def exercise_start(self, entry_index: int) -> int:
        """Index of the first step of an exercise."""
        return next(s.index for s in self.steps if s.entry_index == entry_index)


def work_for(entry: RoutineEntry) -> Work:
    """The work of one set on one side, from the routine's resolved dose."""
    dose = entry.dose
    if dose.hold_s is not None:
        return Work(WorkKind.HOLD, dose.hold_s, dose.reps or 1)
    if dose.duration_s is not None:
        return Work(WorkKind.TIMED, dose.duration_s, 1)
    pace = entry.variant.rep_pace_s
    if pace is None:  # the loader refuses such a variant; this guards hand-built entries
        raise ValueError(f"{entry.exercise.id}: work without hold or duration needs rep_pace_s")
    kind = WorkKind.PASSES if entry.exercise.is_massage else WorkKind.REPS
    return Work(kind, pace.value, dose.reps or 1)


def _split(work: Work) -> tuple[Work, ...]:
    """Split one bout or set of holds longer than a response into parts that fit (no routine
    has one today; a 10-minute mat walk would)."""
    if work.kind not in (WorkKind.HOLD, WorkKind.TIMED) or work.work_s <= STEP_SILENCE_BUDGET_S:
        return (work,)
    if work.kind is WorkKind.HOLD:
        per_part = max(1, STEP_SILENCE_BUDGET_S // (work.seconds + 3))
        counts = [per_part] * (work.count // per_part)
        if work.count % per_part:
            counts.append(work.count % per_part)
        return tuple(Work(WorkKind.HOLD, work.seconds, c) for c in counts)
    n = -(-work.seconds // STEP_SILENCE_BUDGET_S)
    base, extra = divmod(work.seconds, n)
    return tuple(Work(WorkKind.TIMED, base + (1 if i < extra else 0), 1) for i in range(n))


def build_plan(routine: Routine, foot: Foot, focus: Focus) -> Plan:
    """Order: exercise by exercise; inside one, set by set, and per set right then left."""
    entries = routine.entries_for(focus)
    segments: list[Segment] = []
    for entry_index, entry in enumerate(entries):
        work = work_for(entry)
        sides: tuple[str | None, ...] = foot.sides() if entry.exercise.sides is Sides.EACH else (None,)
        parts = _split(work)
        rest = entry.variant.rest_s
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
                            limb=entry.exercise.limb,
                            rest_s=0 if rest is None else rest.value,
                        )
                    )
    return Plan(routine.id, foot, focus, entries, _group_into_steps(segments))


def _group_into_steps(segments: list[Segment]) -> tuple[Step, ...]:
    """Each exercise in as few responses as its silence allows, cut only between segments
    (between sides or sets), and preferring a cut between sides."""
    groups: list[list[Segment]] = []
    for entry_index in dict.fromkeys(s.entry_index for s in segments):
        groups.extend(_cut(tuple(s for s in segments if s.entry_index == entry_index)))
    steps: list[Step] = []
    for i, group in enumerate(groups):
        entry_index = group[0].entry_index
        following = groups[i + 1][0] if i + 1 < len(groups) else None
        steps.append(
            Step(
                index=i,
                entry_index=entry_index,
                exercise_id=group[0].exercise_id,
                segments=tuple(group),
                first_of_exercise=i == 0 or groups[i - 1][0].entry_index != entry_index,
                last_of_exercise=following is None or following.entry_index != entry_index,
                wait=_wait(group[-1], following),
            )
        )
    return tuple(steps)


def _fits(segments: tuple[Segment, ...]) -> bool:
    return silence_s(segments_timing(segments)) <= STEP_SILENCE_BUDGET_S


def _cut(segments: tuple[Segment, ...]) -> list[list[Segment]]:
    """Greedy runs that fit; when a run must end, it ends at the last change of side in it if
    there is one (so "say next for your left foot" comes before "say next for set two")."""
    groups: list[list[Segment]] = []
    current: list[Segment] = []
    for segment in segments:
        if current and not _fits((*current, segment)):
            cut = next(
                (i for i in range(len(current) - 1, 0, -1) if current[i].side != current[i - 1].side),
                len(current),
            )
            groups.append(current[:cut])
            current = current[cut:]
            if current and not _fits((*current, segment)):
                groups.append(current)
                current = []
        current.append(segment)
    groups.append(current)
    return groups


def _wait(last: Segment, following: Segment | None) -> Wait:
    if following is None:
        return Wait(WaitKind.END)
    if following.entry_index != last.entry_index:
        return Wait(WaitKind.EXERCISE)
    if following.part > 1:
        return Wait(WaitKind.PART)
    if following.set_no != last.set_no and following.side == last.side:
        return Wait(WaitKind.SET, set_no=following.set_no)
    if following.side is not None and following.side != last.side:
        return Wait(WaitKind.SIDE, side=following.side)
    return Wait(WaitKind.SET, set_no=following.set_no)
