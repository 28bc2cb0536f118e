"""When each part of a step happens on the device, so the screen's countdown runs with the speech.

The exercise screen carries this timeline in its data source and the document picks the
phase to show from APL's own clock (``elapsedTime``, milliseconds since the document was
shown), so no request is needed per second. The timeline is the step's script
(``heel_coach.engine.timing.step_script``, the one the SSML and the tracks are built from)
laid out in time, each item with its length on the device: a pause lasts exactly as long as
its SSML break or silence clip; a beat (a cue with ``within_s``: "halfway", a counted
repetition, a rest, a side switch) lasts its ``within_s`` (longer only if its words are);
other cues last as long as their words take at the shared speaking rate
(``engine.speech_time``), or, in continuous mode, as long as they measure in the rendered
track. So inside a hold the count is exact ("halfway" and "ten seconds left" are said inside
the hold's own time), and the only drift against the voice is the speech estimate's error on
the words said before the hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from heel_coach.engine.plan import Step
from heel_coach.engine.timing import Pause, PlanItem

WORK_START_CUES = frozenset({"cue.start_timed", "cue.start_hold", "cue.hold_again"})
WORK_END_CUES = frozenset({"cue.stop", "cue.release"})
COUNT_START_CUES = frozenset({"cue.reps_start", "cue.passes_start"})
COUNT_BEATS = frozenset({"cue.count", "cue.count_last", "cue.pass", "cue.pass_last"})
COUNT_END_CUES = frozenset({"cue.reps_done", "cue.stop"})
REST_BEATS = ("cue.rest", "cue.switch_side")
"""Beats whose time is a pause in the work (a rest, changing to the other foot): counted down."""
WAIT_CUES = "step.wait"

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
    """One stretch of the exercise screen's count: what it shows from ``start_ms`` to ``end_ms``."""

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


ScriptItem = tuple[PlanItem, float]
"""A script item with its length on the device in seconds (a pause: its own length)."""


def device_length(item: PlanItem, spoken_s: float) -> float:
    """How long ``item`` takes on the device when its words take ``spoken_s``."""
    if isinstance(item, Pause):
        return item.seconds
    if item.within_s is not None:
        return max(item.within_s, spoken_s)
    return spoken_s


def step_timeline(step: Step, script: Iterable[ScriptItem], *, start_s: float) -> tuple[list[Phase], int]:
    """Phases of one step's script starting ``start_s`` after the screen appears.

    Returns the phases (without the open-ended tail) and the time the script ends.
    """
    first = step.segments[0]
    side, set_no, sets = first.side, first.set_no, first.sets
    phases: list[Phase] = []
    t = _ms(start_s)
    mode: PhaseKind | None = None  # WORK inside a hold or bout, REPS while counting
    remaining = total = 0.0
    hold_s = float(first.work.seconds)

    def add(kind: PhaseKind, length_s: float, from_s: float, to_s: float, of: float) -> None:
        nonlocal t
        length = _ms(length_s)
        if length <= 0:
            return
        phases.append(Phase(kind, t, t + length, from_s, to_s, of, side, set_no, sets, step.index))
        t += length

    for item, length in script:
        if isinstance(item, Pause):
            if mode is PhaseKind.WORK:
                add(PhaseKind.WORK, length, remaining, remaining - item.seconds, total)
                remaining -= item.seconds
            elif mode is PhaseKind.REPS:
                add(PhaseKind.REPS, length, remaining, remaining, total)
            else:
                add(PhaseKind.REST, length, item.seconds, 0, item.seconds)
            continue
        params = dict(item.params)
        if "side" in params:
            side = str(params["side"])
        if item.key in ("cue.set", "cue.last_set"):
            set_no, sets = int(params["set"]), int(params["sets"])
        elif item.key.startswith("cue.from.") and "set" in params:  # said again from a later set
            set_no = int(params["set"])
        key = item.key
        if key in WORK_START_CUES:
            # "hold again" names no length: it repeats the hold its set started with
            hold_s = float(item.param("seconds") or hold_s)
            total = remaining = hold_s
            add(PhaseKind.READY, length, remaining, remaining, total)
            mode = PhaseKind.WORK
        elif key in COUNT_START_CUES:
            total = float(item.param("count") or 0)
            add(PhaseKind.READY, length, total, total, total)
            mode, remaining = PhaseKind.REPS, 0.0
        elif mode is PhaseKind.REPS and key in COUNT_BEATS:
            remaining = float(item.param("n") or total)  # the count just said
            add(PhaseKind.REPS, length, remaining, remaining, total)
        elif mode is PhaseKind.REPS and key in COUNT_END_CUES:
            add(PhaseKind.REPS, length, total, total, total)
            mode = None
        elif mode is PhaseKind.WORK and key in WORK_END_CUES:
            add(PhaseKind.WORK, length, 0, 0, total)
            mode = None
        elif mode is PhaseKind.WORK and item.within_s is not None:
            add(PhaseKind.WORK, length, remaining, remaining - item.within_s, total)
            remaining -= item.within_s
        elif item.within_s is not None and key.startswith(REST_BEATS):
            add(PhaseKind.REST, length, item.within_s, 0, item.within_s)
        elif key.startswith(WAIT_CUES):
            add(PhaseKind.DONE, length, 0, 0, 0)
        else:
            add(PhaseKind.READY, length, 0, 0, 0)
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


def screen_timeline(parts: Iterable[tuple[Step, Sequence[ScriptItem], float]]) -> list[Phase]:
    """Phases of one or more consecutive steps, each ``(step, script, time before it)``.

    The first phase starts at 0 (the screen appears with the speech); a READY phase covers
    each step's spoken lead-in; the last step ends in an open-ended DONE phase.
    """
    phases: list[Phase] = []
    t_s = 0.0
    last: Step | None = None
    for step, script, lead_s in parts:
        step_phases, end_ms = step_timeline(step, script, start_s=t_s + lead_s)
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
        if tail is not None and tail.kind is PhaseKind.DONE:
            # The wait cue ends the script: its phase stays up until the next response.
            phases[-1] = replace(tail, end_ms=tail.start_ms + OPEN_END_MS)
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
