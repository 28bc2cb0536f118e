"""When each part of a step happens on the device, so the screen's countdown runs with the speech.

The exercise screen carries this timeline in its data source and the document picks the
phase to show from APL's own clock (``elapsedTime``, milliseconds since the document was
shown), so no request is needed per second. The timeline is the step's timing plan
(``heel_coach.engine.timing.step_timing``, the same plan the SSML is built from) laid out
in time: every pause lasts exactly as long as its SSML break or silence clip, and every
spoken cue lasts as long as the shared speech-time estimate (``engine.speech_time``) says.
So the countdown is exact inside a hold, and the only drift against the voice is the
estimate's error on the words spoken before it (the lead-in and the cues so far).

Inside a hold, the spoken "halfway" and "ten seconds left" cues freeze the countdown while
they are said: the count therefore ticks for exactly the hold's length, shows half the hold
as "halfway" is said and 10 as "ten seconds left" is said.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from heel_coach.engine.plan import Step
from heel_coach.engine.timing import Cue, PlanItem

WORK_START_CUES = frozenset({"cue.start_timed", "cue.start_hold", "cue.hold_again"})
WORK_END_CUES = frozenset({"cue.stop", "cue.release"})
REST_CUES = frozenset({"cue.rest"})
REPS_CUES = frozenset({"cue.do_reps"})

OPEN_END_MS = 24 * 3600 * 1000
"""End of the last phase: the screen keeps showing it until the next response replaces it."""


class PhaseKind(StrEnum):
    READY = "ready"
    """Instructions or a cue are being said; the count shows the coming hold's length."""
    WORK = "work"
    """A hold or timed bout: the count runs down (frozen while a cue inside it is said)."""
    REST = "rest"
    """A timed rest between holds or sets: the count runs down."""
    REPS = "reps"
    """Repetitions at the user's own pace: the count shows how many, not a time."""
    DONE = "done"
    """The step's timed part is over: waiting for "next" (or the next step)."""


@dataclass(frozen=True)
class Phase:
    kind: PhaseKind
    start_ms: int
    end_ms: int
    from_s: float
    """Count shown at ``start_ms``; it moves linearly to ``to_s`` at ``end_ms``."""
    to_s: float
    total_s: float
    """Length of the hold or rest this phase belongs to (the ring is full at 0, empty at total)."""
    side: str | None
    set_no: int
    sets: int
    step_index: int

    @property
    def ticking(self) -> bool:
        return self.from_s != self.to_s

    def shown_at(self, t_ms: int) -> int:
        """The whole number the document shows at ``t_ms`` (the same formula as the APL)."""
        span = self.end_ms - self.start_ms
        value = self.from_s - (self.from_s - self.to_s) * (t_ms - self.start_ms) / span
        return int(-(-value // 1))  # ceil


def _ms(seconds: float) -> int:
    return int(round(seconds * 1000))


def step_timeline(
    step: Step,
    items: Iterable[PlanItem],
    *,
    start_s: float,
    cue_seconds: Callable[[Cue], float],
) -> tuple[list[Phase], int]:
    """Phases of one step's timing plan ``items`` starting ``start_s`` after the screen appears.

    ``start_s`` is the speech before the plan (intro, instructions); ``cue_seconds`` says how
    long a cue takes to say. Returns the phases (without the open-ended tail) and the time
    at which the plan ends.
    """
    first = step.segments[0]
    side, set_no, sets = first.side, first.set_no, first.sets
    phases: list[Phase] = []
    t = _ms(start_s)
    mode: PhaseKind | None = None  # WORK inside a hold, REST after a rest cue, REPS after reps cue
    remaining = 0.0
    total = 0.0
    hold_s = float(first.work.seconds)

    def add(kind: PhaseKind, length_ms: int, from_s: float, to_s: float, of: float) -> None:
        nonlocal t
        if length_ms <= 0:
            return
        phases.append(Phase(kind, t, t + length_ms, from_s, to_s, of, side, set_no, sets, step.index))
        t += length_ms

    for item in items:
        if isinstance(item, Cue):
            params = dict(item.params)
            if "side" in params:
                side = str(params["side"])
            if item.key in ("cue.set", "cue.last_set"):
                set_no, sets = int(params["set"]), int(params["sets"])
            length = _ms(cue_seconds(item))
            if item.key in WORK_START_CUES:
                # "hold again" names no length: it repeats the hold its set started with
                hold_s = float(item.param("seconds") or hold_s)
                total = remaining = hold_s
                add(PhaseKind.READY, length, remaining, remaining, total)
                mode = PhaseKind.WORK
            elif item.key in WORK_END_CUES:
                add(PhaseKind.WORK, length, 0, 0, total)
                mode = None
            elif item.key in REPS_CUES:
                count = float(item.param("count") or 0)
                add(PhaseKind.REPS, length, count, count, count)
                mode, remaining, total = PhaseKind.REPS, count, count
            elif mode is PhaseKind.WORK or mode is PhaseKind.REPS:
                add(mode, length, remaining, remaining, total)
            else:
                add(PhaseKind.READY, length, 0, 0, 0)
                if item.key in REST_CUES:
                    mode = PhaseKind.REST
        else:
            length = _ms(item.seconds)
            if mode is PhaseKind.WORK:
                add(PhaseKind.WORK, length, remaining, remaining - item.seconds, total)
                remaining -= item.seconds
            elif mode is PhaseKind.REPS:
                add(PhaseKind.REPS, length, remaining, remaining, total)
            else:
                add(PhaseKind.REST, length, item.seconds, 0, item.seconds)
                mode = None
    return _fill_ready(phases), t


def _fill_ready(phases: list[Phase]) -> list[Phase]:
    """A READY phase shows the length of the hold that follows it (or of the one it ends)."""
    out = list(phases)
    upcoming: Phase | None = None
    for i in range(len(out) - 1, -1, -1):
        phase = out[i]
        if phase.kind is not PhaseKind.READY:
            upcoming = phase if phase.kind in (PhaseKind.WORK, PhaseKind.REPS) else upcoming
            continue
        if phase.total_s == 0 and upcoming is not None:
            out[i] = replace(phase, from_s=upcoming.total_s, to_s=upcoming.total_s, total_s=upcoming.total_s)
    return out


def screen_timeline(
    parts: Iterable[tuple[Step, tuple[PlanItem, ...], float]], cue_seconds: Callable[[Cue], float]
) -> list[Phase]:
    """Phases of one or more consecutive steps, each ``(step, plan items, speech before it)``.

    The first phase starts at 0 (the screen appears with the speech); a READY phase covers
    each step's spoken lead-in; the last step ends in an open-ended DONE phase.
    """
    phases: list[Phase] = []
    t_s = 0.0
    last: Step | None = None
    for step, items, lead_s in parts:
        step_phases, end_ms = step_timeline(step, items, start_s=t_s + lead_s, cue_seconds=cue_seconds)
        first = step.segments[0]
        lead_start = _ms(t_s)
        head = step_phases[0].start_ms if step_phases else end_ms
        if head > lead_start:
            show = step_phases[0].from_s if step_phases else 0.0
            phases.append(
                Phase(
                    PhaseKind.READY,
                    lead_start,
                    head,
                    show,
                    show,
                    show,
                    first.side,
                    first.set_no,
                    first.sets,
                    step.index,
                )
            )
        phases.extend(step_phases)
        t_s = end_ms / 1000
        last = step
    if last is not None:
        done_at = _ms(t_s)
        tail = phases[-1] if phases else None
        if tail is not None and tail.kind is PhaseKind.REPS:
            # Repetitions at the user's pace: the count stays up until they say "next".
            phases.append(replace(tail, start_ms=done_at, end_ms=done_at + OPEN_END_MS))
        else:
            seg = last.segments[-1]
            phases.append(
                Phase(
                    PhaseKind.DONE,
                    done_at,
                    done_at + OPEN_END_MS,
                    0,
                    0,
                    0,
                    seg.side,
                    seg.set_no,
                    seg.sets,
                    last.index,
                )
            )
    return phases
