"""What one continuous-mode track says and when: a step's timing plan turned into a track plan.

A track covers one engine Step. Its content comes from the same ``heel_coach.engine.timing.step_timing``
that step-by-step speech uses, so both modes time a hold identically; wording comes from the
locale's prompts and the catalogue text. Tracks are content-addressed: the id is a hash of what
is said and the silences between, so identical steps in different routines share one file.

Items of a track plan:

* ``say``  speech that takes its own time (the clock advances by its length);
* ``over`` speech laid over a running silence at the current clock (mid-hold cues like
  "halfway" and rep counts), so a 30 s hold is 30 s from "Start" to "And release";
* ``gap``  exact silence, in seconds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from heel_coach.catalogue.model import Catalogue, Focus, RoutineEntry
from heel_coach.engine.plan import Foot, Plan, Step, WorkKind, build_plan
from heel_coach.engine.timing import Pause, step_timing
from heel_coach.voice import phrasing
from heel_coach.voice.speech import Speaker

TRACK_FORMAT = 1
OVERLAY_CUES = frozenset({"cue.halfway", "cue.ten_left"})
"""Cues that mark a point inside a hold (timing.timed_silence): laid over the silence."""
REST_BETWEEN_STEPS_S = 10
"""Rest at the end of a step when the same exercise goes on in the next track (step mode
waits for "next" there instead)."""
END_OF_EXERCISE_S = 2
"""A breath after the last step of an exercise, before the next exercise's introduction."""
LEAD_IN_S = 0.25
"""Every track starts quiet: the MP3 encoder eats its first 69 ms, and a track that starts
with sound decodes 69 ms late (measured with lameenc + miniaudio), which would skew cues."""

Item = tuple[str, str | float]


@dataclass(frozen=True)
class TrackPlan:
    locale: str
    items: tuple[Item, ...]

    @property
    def track_id(self) -> str:
        """Engine-independent id: the same words and silences give the same id everywhere."""
        return _digest({"v": TRACK_FORMAT, "locale": self.locale, "items": self.items})[:16]

    def texts(self) -> list[str]:
        return [str(value) for kind, value in self.items if kind != "gap"]

    def text(self) -> str:
        return " ".join(self.texts())

    def to_json(self) -> list[list[str | float]]:
        return [[kind, value] for kind, value in self.items]

    def planned_silence_s(self) -> float:
        return sum(float(v) for k, v in self.items if k == "gap")


def _digest(data: object) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def file_hash(plan: TrackPlan, engine: str, spec: object) -> str:
    """Name of the rendered file: engine, words, timing and output format all change it."""
    return _digest({"engine": engine, "track": plan.track_id, "items": plan.items, "spec": repr(spec)})[:24]


def step_track(speaker: Speaker, plan: Plan, step: Step) -> TrackPlan:
    """The track of one step of ``plan``, as continuous mode plays it."""
    entry = plan.entries[step.entry_index]
    items: list[Item] = [("gap", LEAD_IN_S)]
    if step.first_of_exercise:
        items.extend(("say", s) for s in intro_sentences(speaker, entry))
    for item in step_timing(step):
        if isinstance(item, Pause):
            items.append(("gap", float(item.seconds)))
        elif item.key == "cue.do_reps":
            items.extend(_counted_reps(speaker, step))
        else:
            kind = "over" if item.key in OVERLAY_CUES else "say"
            items.append((kind, speaker.cue_text(item)))
    items.extend(_ending(speaker, plan, step))
    return TrackPlan(speaker.locale, tuple(items))


def intro_sentences(speaker: Speaker, entry: RoutineEntry) -> list[str]:
    """Name, equipment, position, steps, cautions and dose: what step mode says first."""
    exercise = entry.exercise
    text = exercise.text[speaker.locale]
    out = [speaker.text("playback.exercise", name=text.name)]
    if exercise.equipment:
        items = [phrasing.with_article(e) for e in exercise.equipment]
        out.append(speaker.text("exercise.equipment", equipment=phrasing.join_list(items)))
    out.extend(s for s in (text.position, *text.steps, *text.cautions) if s.strip())
    dose = speaker.dose_phrase(entry)
    if dose:
        out.append(dose)
    return out


def _counted_reps(speaker: Speaker, step: Step) -> list[Item]:
    """Repetitions cannot wait for "next" in a track: count them out at the exercise's pace."""
    work = step.segments[0].work
    assert work.kind is WorkKind.REPS
    pace = work.estimate_s / max(1, work.count)
    items: list[Item] = [("say", speaker.text("playback.do_reps", count=phrasing.number_words(work.count)))]
    for n in range(1, work.count + 1):
        items.append(
            ("over", speaker.text("playback.count", n=phrasing.capitalise(phrasing.number_words(n))))
        )
        items.append(("gap", float(pace)))
    return items


def _ending(speaker: Speaker, plan: Plan, step: Step) -> list[Item]:
    last = step.segments[-1]
    if step.index == len(plan.steps) - 1:
        return [("say", speaker.text("playback.finished")), ("say", speaker.red_flags())]
    if last.part < last.parts:
        return [("gap", 1.0)]
    if not step.last_of_exercise:
        return [("say", speaker.text("playback.rest")), ("gap", float(REST_BETWEEN_STEPS_S))]
    return [("say", speaker.text("playback.well_done")), ("gap", float(END_OF_EXERCISE_S))]


def plans_for(catalogue: Catalogue, routine_ids: Iterable[str] | None = None) -> Iterator[Plan]:
    """Every (routine, foot, focus) plan; focus only varies where a routine has focus entries."""
    for routine_id in routine_ids or catalogue.routines:
        routine = catalogue.routine(routine_id)
        focuses = list(Focus) if any(e.focus is not None for e in routine.entries) else [Focus.SOLE]
        for foot in Foot:
            for focus in focuses:
                yield build_plan(routine, foot, focus)


def wanted_tracks(
    speaker: Speaker, catalogue: Catalogue, routine_ids: Iterable[str] | None = None
) -> dict[str, TrackPlan]:
    """Unique tracks (by id) needed to play the given routines in every foot and focus."""
    out: dict[str, TrackPlan] = {}
    for plan in plans_for(catalogue, routine_ids):
        for step in plan.steps:
            track = step_track(speaker, plan, step)
            out.setdefault(track.track_id, track)
    return out
