"""Continuous-mode tracks from the voice side: what each step's track says, and where it is.

A track covers one engine Step. Its content comes from the same ``heel_coach.engine.timing.step_timing``
that step-by-step speech uses, so both modes time a hold identically; its instructions come
from ``Speaker.instructions``, the function step-by-step speech uses, so both modes say the
same sentences. The result is a ``heel_coach.audio.tracks.TrackPlan`` (data the audio layer
renders); ``TrackLibrary`` finds the rendered file of a step through the locale's manifest.

Tokens: ``hc1|<routine>|<foot>|<focus>|<step>|<track id>`` (well under 1024 characters).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from heel_coach.audio.manifest import Manifest, load_manifest, manifest_path
from heel_coach.audio.tracks import Item, TrackPlan
from heel_coach.catalogue.model import Catalogue, Focus, RoutineEntry
from heel_coach.engine.plan import Foot, Plan, Step, WorkKind, build_plan
from heel_coach.engine.timing import Pause, step_timing
from heel_coach.voice import phrasing
from heel_coach.voice.speech import Speaker
from heel_coach.voice.turn import needs_focus

TOKEN_PREFIX = "hc1"
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
    out = [speaker.text("playback.exercise", name=speaker.exercise_name(exercise))]
    out.extend(speaker.instructions(exercise))
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
        focuses = list(Focus) if needs_focus(routine) else [Focus.SOLE]
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


@dataclass(frozen=True)
class Token:
    routine_id: str
    foot: Foot
    focus: Focus
    step: int
    track_id: str

    def __str__(self) -> str:
        parts = (
            TOKEN_PREFIX,
            self.routine_id,
            self.foot.value,
            self.focus.value,
            str(self.step),
            self.track_id,
        )
        return "|".join(parts)

    @classmethod
    def parse(cls, raw: object) -> Token | None:
        """Our token, or None for anything else (another skill's, corrupt, or absent)."""
        if not isinstance(raw, str) or len(raw) > 1024:
            return None
        parts = raw.split("|")
        if len(parts) != 6 or parts[0] != TOKEN_PREFIX or not parts[4].isdigit():
            return None
        try:
            return cls(parts[1], Foot(parts[2]), Focus(parts[3]), int(parts[4]), parts[5])
        except ValueError:
            return None


@dataclass(frozen=True)
class TrackRef:
    url: str
    token: Token
    duration_ms: int


class TrackLibrary:
    """Rendered tracks of each locale (``audio/<locale>/manifest.json``) and their public URLs.

    Disabled when ``base_url`` is empty: Alexa can only fetch streams over public HTTPS.
    The manifest is re-read when its file changes, so a render does not need a restart.
    """

    def __init__(self, audio_dir: Path, base_url: str) -> None:
        self.audio_dir = Path(audio_dir)
        self.base_url = base_url.rstrip("/")
        self._cache: dict[str, tuple[tuple[int, int], Manifest | None]] = {}
        self._ids: dict[tuple[str, str, Foot, Focus, int], str] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return bool(self.base_url)

    def manifest(self, locale: str) -> Manifest | None:
        path = manifest_path(self.audio_dir, locale)
        try:
            stat = path.stat()
        except OSError:
            return None
        key = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._cache.get(locale)
            if cached is not None and cached[0] == key:
                return cached[1]
        loaded = load_manifest(self.audio_dir, locale)
        with self._lock:
            self._cache[locale] = (key, loaded)
        return loaded

    def track(self, speaker: Speaker, plan: Plan, index: int) -> TrackRef | None:
        """The rendered track of step ``index``, or None (not rendered, or the text changed)."""
        if not self.enabled or not 0 <= index < len(plan.steps):
            return None
        locale = speaker.locale
        manifest = self.manifest(locale)
        if manifest is None:
            return None
        key = (locale, plan.routine_id, plan.foot, plan.focus, index)
        track_id = self._ids.get(key)
        if track_id is None:
            track_id = step_track(speaker, plan, plan.steps[index]).track_id
            self._ids[key] = track_id
        entry = manifest.tracks.get(track_id)
        if entry is None:
            return None
        token = Token(plan.routine_id, plan.foot, plan.focus, index, track_id)
        return TrackRef(f"{self.base_url}/{locale}/{entry.file}", token, entry.duration_ms)
