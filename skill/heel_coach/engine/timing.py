"""The timing plan of a step: what is said when, and how long the silences between are.

The same plan drives step-by-step speech (SSML breaks and silence clips) and, later,
rendered audio tracks, so both modes time a hold identically. Cues are prompt keys with
parameters, never text: wording belongs to the locale's prompts.
"""

from __future__ import annotations

from dataclasses import dataclass

from heel_coach.engine.plan import HOLD_GAP_S, Segment, Step, WorkKind

HALFWAY_MIN_S = 20
"""Holds of at least this length get a "halfway" cue."""
TEN_LEFT_MIN_S = 30
"""Holds of at least this length get a "ten seconds left" cue."""


@dataclass(frozen=True)
class Cue:
    key: str
    params: tuple[tuple[str, str | int], ...] = ()

    def param(self, name: str) -> str | int | None:
        return dict(self.params).get(name)


@dataclass(frozen=True)
class Pause:
    seconds: float


PlanItem = Cue | Pause


def step_timing(step: Step) -> tuple[PlanItem, ...]:
    """Cues and silences for every segment of a step, with side switches and set cues."""
    items: list[PlanItem] = []
    previous: Segment | None = None
    for segment in step.segments:
        items.extend(_segment_lead_in(segment, previous, first=previous is None))
        items.extend(segment_work(segment))
        previous = segment
    return tuple(items)


def _segment_lead_in(segment: Segment, previous: Segment | None, *, first: bool) -> list[PlanItem]:
    items: list[PlanItem] = []
    if segment.part > 1:
        items.append(Cue("cue.keep_going", (("part", segment.part), ("parts", segment.parts))))
        return items
    if segment.sets > 1 and (previous is None or previous.set_no != segment.set_no):
        key = "cue.last_set" if segment.set_no == segment.sets else "cue.set"
        if previous is not None:
            items.append(Cue("cue.rest"))
            items.append(Pause(HOLD_GAP_S))
        items.append(Cue(key, (("set", segment.set_no), ("sets", segment.sets))))
    if segment.side is not None:
        if first:
            items.append(Cue("cue.side", (("side", segment.side),)))
        elif previous is not None and previous.side != segment.side:
            items.append(Cue("cue.switch_side", (("side", segment.side),)))
    return items


def segment_work(segment: Segment) -> list[PlanItem]:
    work = segment.work
    if work.kind is WorkKind.REPS:
        return [Cue("cue.do_reps", (("count", work.count),))]
    if work.kind is WorkKind.TIMED:
        return [
            Cue("cue.start_timed", (("seconds", work.seconds),)),
            *timed_silence(work.seconds),
            Cue("cue.stop"),
        ]
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


def timed_silence(seconds: int) -> list[PlanItem]:
    """Silence of exactly ``seconds`` with halfway and ten-seconds-left cues where they fit."""
    if seconds >= TEN_LEFT_MIN_S:
        half = seconds / 2
        return [Pause(half), Cue("cue.halfway"), Pause(half - 10), Cue("cue.ten_left"), Pause(10)]
    if seconds >= HALFWAY_MIN_S:
        half = seconds / 2
        return [Pause(half), Cue("cue.halfway"), Pause(half)]
    return [Pause(seconds)]


def total_pause_s(items: tuple[PlanItem, ...] | list[PlanItem]) -> float:
    return sum(i.seconds for i in items if isinstance(i, Pause))
