"""The timing plan of a step: what is said when, and how long the silences between are.

The same plan drives step-by-step speech (SSML breaks and silence clips), rendered audio
tracks and every announced length (``heel_coach.engine.lengths``), so all three time a hold,
a counted repetition and a rest identically. Cues are prompt keys with parameters, never text:
wording belongs to the locale's prompts.

Nothing waits on the user inside a step: holds and bouts are timed, repetitions are counted
aloud at the variant's pace, massage passes are timed one by one, and rests between sets are
timed. A step ends at a natural wait point (see ``WaitKind``), where its wait cue is said.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from heel_coach.engine.work import Segment, WaitKind, WorkKind

if TYPE_CHECKING:
    from heel_coach.engine.plan import Plan, Step

HALFWAY_MIN_S = 20
"""Holds of at least this length get a "halfway" cue."""
TEN_LEFT_MIN_S = 30
"""Holds of at least this length get a "ten seconds left" cue."""
HOLD_GAP_S = 3
"""Silence between two holds of the same set (release, breathe, start again)."""
SWITCH_S = 5
"""From "switch to your left foot" to the start of the work on it: time to change position."""


@dataclass(frozen=True)
class Cue:
    """Something said: a prompt key with parameters.

    With ``within_s`` the cue is a *beat*: the cue and the silence after it together last
    ``within_s`` seconds (a counted repetition, a timed pass, a rest), so a set of ten
    repetitions at a three-second pace takes thirty seconds however long "seven" takes to say.
    """

    key: str
    params: tuple[tuple[str, str | int], ...] = ()
    within_s: float | None = None

    def param(self, name: str) -> str | int | None:
        return dict(self.params).get(name)


@dataclass(frozen=True)
class Pause:
    """Silence in a script: the person works or rests while nothing is said."""

    seconds: float


PlanItem = Cue | Pause

WORK_START_KEYS = frozenset({"cue.start_timed", "cue.start_hold", "cue.reps_start", "cue.passes_start"})
"""A set's work starts with one of these ("... Start."): the moment a person first moves."""

CONTENT_CUES = frozenset({"exercise.instructions", "exercise.dose"})
"""Cues said from the catalogue's exercise text (instructions, dose), not from a prompt."""


def step_timing(step: Step) -> tuple[PlanItem, ...]:
    """Cues and silences for the work of a step: every segment with its side, set and rest cues."""
    return segments_timing(step.segments)


def segments_timing(segments: Sequence[Segment]) -> tuple[PlanItem, ...]:
    return _timed_segments(segments)[0]


def _timed_segments(segments: Sequence[Segment]) -> tuple[tuple[PlanItem, ...], tuple[int, ...]]:
    """The items of ``segments``, and the index of each segment's last item: its closing cue
    ("And relax.", "And release.", "And stop."), where that set's work ends."""
    items: list[PlanItem] = []
    ends: list[int] = []
    previous: Segment | None = None
    for segment in segments:
        items.extend(_segment_lead_in(segment, previous))
        items.extend(segment_work(segment))
        ends.append(len(items) - 1)
        previous = segment
    return tuple(items), tuple(ends)


def _side_key(kind: str, segment: Segment) -> str:
    return f"{kind}.{segment.limb.value}"


def _segment_lead_in(segment: Segment, previous: Segment | None) -> list[PlanItem]:
    """Rest, set and side cues before a set. Rests only follow a set on the same side: with
    both feet the other foot's set is the rest."""
    items: list[PlanItem] = []
    if segment.part > 1:
        return [Cue("cue.keep_going", (("part", segment.part), ("parts", segment.parts)))]
    new_set = previous is None or previous.set_no != segment.set_no
    if previous is not None and new_set and previous.side == segment.side and segment.rest_s:
        items.append(Cue("cue.rest", (("seconds", segment.rest_s),), within_s=segment.rest_s))
    if segment.sets > 1 and new_set:
        key = "cue.last_set" if segment.set_no == segment.sets else "cue.set"
        items.append(Cue(key, (("set", segment.set_no), ("sets", segment.sets))))
    if segment.side is not None:
        if previous is None:
            items.append(Cue(_side_key("cue.side", segment), (("side", segment.side),)))
        elif previous.side != segment.side:
            side = (("side", segment.side),)
            items.append(Cue(_side_key("cue.switch_side", segment), side, within_s=SWITCH_S))
    return items


def segment_work(segment: Segment) -> list[PlanItem]:
    work = segment.work
    if work.kind is WorkKind.REPS:
        return counted(
            work.count, work.seconds, "cue.reps_start", "cue.count", "cue.count_last", "cue.reps_done"
        )
    if work.kind is WorkKind.TIMED or (work.kind is WorkKind.PASSES and work.count == 1):
        return [
            Cue("cue.start_timed", (("seconds", work.seconds),)),
            *timed_silence(work.seconds),
            Cue("cue.stop"),
        ]
    if work.kind is WorkKind.PASSES:
        return counted(work.count, work.seconds, "cue.passes_start", "cue.pass", "cue.pass_last", "cue.stop")
    items: list[PlanItem] = []
    for n in range(1, work.count + 1):
        if n == 1:
            items.append(Cue("cue.start_hold", (("seconds", work.seconds), ("count", work.count))))
        else:
            items.append(Pause(HOLD_GAP_S))
            items.append(Cue("cue.hold_again", (("n", n), ("count", work.count))))
        items.extend(timed_silence(work.seconds))
        items.append(Cue("cue.release"))
    return items


def counted(count: int, pace: int, start: str, each: str, last: str, done: str) -> list[PlanItem]:
    """``count`` beats of ``pace`` seconds, each starting with its number, the last one named
    as the last ("Ten repetitions, at my count. One. Two. ... Last one. And relax.")."""
    items: list[PlanItem] = [Cue(start, (("count", count),))]
    for n in range(1, count + 1):
        if n == count and count > 1:
            items.append(Cue(last, within_s=pace))
        else:
            items.append(Cue(each, (("n", n),), within_s=pace))
    items.append(Cue(done))
    return items


def timed_silence(seconds: int) -> list[PlanItem]:
    """Exactly ``seconds`` with halfway and ten-seconds-left cues where they fit: the cues are
    beats, said inside the time, so a 30 s hold lasts 30 s from "Start" to "And release"."""
    if seconds >= TEN_LEFT_MIN_S:
        half = seconds / 2
        return [Pause(half), Cue("cue.halfway", within_s=half - 10), Cue("cue.ten_left", within_s=10)]
    if seconds >= HALFWAY_MIN_S:
        half = seconds / 2
        return [Pause(half), Cue("cue.halfway", within_s=half)]
    return [Pause(seconds)]


def silence_s(items: Sequence[PlanItem]) -> float:
    """Silence a response holds for these items (breaks and silence clips): pauses, plus the
    whole of every beat (its words are short; counting them as silence errs on the safe side)."""
    return sum(
        i.seconds if isinstance(i, Pause) else (i.within_s or 0.0)
        for i in items
        if isinstance(i, Pause) or i.within_s is not None
    )


def total_pause_s(items: Sequence[PlanItem]) -> float:
    return sum(i.seconds for i in items if isinstance(i, Pause))


# --- the whole script of a response ----------------------------------------------------------


@dataclass(frozen=True)
class StepScript:
    """A step's script, and where in it each set said ends (to tell which set a moment is in)."""

    items: tuple[PlanItem, ...]
    set_ends: tuple[int, ...]
    """Index in ``items`` of the closing cue of each set said, in order: ``step.segments[start]``
    first. A set's work is over once its closing cue starts."""


def step_script(plan: Plan, step: Step, *, intro: bool | None = None, start: int = 0) -> tuple[PlanItem, ...]:
    """Everything one step's response says, in order, as cues and silences (``scripted_step``)."""
    return scripted_step(plan, step, intro=intro, start=start).items


def scripted_step(plan: Plan, step: Step, *, intro: bool | None = None, start: int = 0) -> StepScript:
    """Everything one step's response says, in order, as cues and silences.

    ``intro`` (default: on the first step of an exercise) puts the massage-safety cue (before
    the routine's first massage), the exercise's introduction, its instructions and its dose
    in front of the work; the voice layer decides the wording (full or short instructions,
    whether the safety sentence is still due). The step ends with its wait cue.

    ``start`` > 0 says the step from that segment on (a repeat or a resume where the person
    was, never the sets already finished), led by a cue naming where it picks up ("From set
    two, left foot.").
    """
    entry = plan.entries[step.entry_index]
    items: list[PlanItem] = []
    timed, ends = _timed_segments(step.segments[start:])
    work = list(timed)
    if start > 0 and (picked_up := from_cue(step, start)) is not None:
        items.append(picked_up)
    if step.first_of_exercise if intro is None else intro:
        number = (("number", step.entry_index + 1), ("count", plan.exercise_count()))
        exercise = (("exercise", step.exercise_id),)
        if entry.exercise.is_massage and step.entry_index == plan.first_massage_entry():
            items.append(Cue("massage.safety"))
        items.append(Cue("exercise.intro", number + exercise))
        bout = _first_bout_silence(work)
        if bout is None:
            items.append(Cue("exercise.instructions", exercise))
        else:
            # A timed bout (a massage, a roll) starts once the person is in position: the
            # movement is described while they do it, inside the bout's first silence.
            index, silence = bout
            items.append(Cue("exercise.instructions", (*exercise, ("part", "before"))))
            work[index] = Cue(
                "exercise.instructions", (*exercise, ("part", "during")), within_s=silence.seconds
            )
        if entry.dose.sets > 1:  # one set: its start cue says the dose ("Hold for thirty seconds")
            items.append(Cue("exercise.dose", (("entry", step.entry_index),)))
    lead = len(items)
    items.extend(work)
    items.append(wait_cue(step))
    return StepScript(tuple(items), tuple(lead + end for end in ends))


def from_cue(step: Step, start: int) -> Cue | None:
    """What a step said from its segment ``start`` opens with: the set, and the side when the
    step works both (one foot chosen: its side is never named twice); None if neither helps."""
    segment = step.segments[start]
    two_sides = len({s.side for s in step.segments}) > 1
    if segment.sets > 1 and two_sides:
        params: tuple[tuple[str, str | int], ...] = (("set", segment.set_no), ("side", str(segment.side)))
        return Cue(_side_key("cue.from.set_side", segment), params)
    if segment.sets > 1:
        return Cue("cue.from.set", (("set", segment.set_no),))
    if two_sides and segment.side is not None:
        return Cue(_side_key("cue.from.side", segment), (("side", segment.side),))
    return None


def _first_bout_silence(work: Sequence[PlanItem]) -> tuple[int, Pause] | None:
    """The silence after the first "Start" of a step's work, if that work is a timed bout
    (holds and counted sets are described before they start: None)."""
    for i, item in enumerate(work):
        if isinstance(item, Cue) and item.key in WORK_START_KEYS:
            following = work[i + 1] if i + 1 < len(work) else None
            if item.key == "cue.start_timed" and isinstance(following, Pause):
                return i + 1, following
            return None
    return None


def wait_cue(step: Step) -> Cue:
    """What the step says at its end, where the skill waits for "next"."""
    wait = step.wait
    if wait.kind is WaitKind.SIDE and wait.side is not None:
        return Cue(_side_key("step.wait.side", step.segments[-1]), (("side", wait.side),))
    if wait.kind is WaitKind.SET and wait.set_no is not None:
        return Cue("step.wait.set", (("set", wait.set_no),))
    return Cue(f"step.wait.{wait.kind.value}")


def routine_head(plan: Plan) -> tuple[PlanItem, ...]:
    """What starting a routine says before its first step: its name, length and equipment, and
    the invitation to say "ready" (the first step follows it)."""
    return (
        Cue("routine.start", (("routine", plan.routine_id),)),
        Cue("routine.equipment"),
        Cue("routine.ready"),
    )


def routine_tail(plan: Plan) -> tuple[PlanItem, ...]:
    """What the end of a routine says after "next" on its last step."""
    return (Cue("routine.finished", (("routine", plan.routine_id),)),)
