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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from heel_coach.catalogue.model import Catalogue, Focus, Foot, SpeakingRate
from heel_coach.engine.speech_time import speech_seconds
from heel_coach.voice.speech import Listener, RoutineVoice, Speaker, closing_cues
from heel_coach.voice.turn import needs_focus

if TYPE_CHECKING:  # the audio layer is imported where a track is planned or looked up, not by
    # every cold start (a step-by-step request never touches it)
    from heel_coach.audio.manifest import Manifest
    from heel_coach.audio.tracks import Item, TrackPlan
    from heel_coach.engine.plan import Plan, Step
    from heel_coach.engine.timing import Cue

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


class TrackVoice(RoutineVoice):
    """What continuous mode says for each cue: in a step's track, and when playback starts.

    Tracks play one after another without waiting, so where step mode says "say next for your
    left foot" a track rests; the massage-safety sentence is said before playback starts
    (``features.playback``), with the routine's start and equipment (nobody says "ready": the
    stream starts). The last step's track ends without words: the closing track
    (``closing_track``) follows it with step mode's closing words. Its ``seconds`` is the
    length continuous mode announces.
    """

    start_key = "playback.start"

    def __init__(
        self, speaker: Speaker, listener: Listener, durations: Mapping[str, float] | None = None
    ) -> None:
        super().__init__(speaker, listener)
        self.durations: Mapping[str, float] = durations or {}
        """Rendered tracks' lengths by track id (the manifest): a length counts them where known."""

    def sentences(self, cue: Cue, plan: Plan) -> list[str]:
        sp, key = self.speaker, cue.key
        if key == "exercise.intro":
            name = sp.exercise_name(sp.catalogue.exercise(str(cue.param("exercise"))))
            return [sp.text("playback.exercise", name=name)]
        if key in ("massage.safety", "step.wait.part", "step.wait.end"):
            return []
        if key == "routine.ready":
            return [sp.text("playback.pause_hint")]
        if key == "step.wait.exercise":
            return [sp.text("playback.well_done")]
        if key.startswith("step.wait."):
            return [sp.text("playback.rest")]
        return super().sentences(cue, plan)

    def up_front(self, plan: Plan, start: int = 0) -> list[str]:
        """What the response that starts playback at step ``start`` says besides the opening:
        the massage warning, while it is due for this listener and a massage is still to come
        (tracks are shared, so none carries it)."""
        upcoming = {plan.steps[i].entry_index for i in range(start, len(plan.steps))}
        if self.listener.safety_due and any(plan.entries[i].exercise.is_massage for i in upcoming):
            return [self.speaker.contraindications()]
        return []

    def seconds(
        self, plan: Plan, start: int = 0, *, head: bool | None = None, from_segment: int = 0
    ) -> float:
        """How long continuous mode plays from step ``start``: the start response (when
        ``head``, by default from step 0; the massage warning included while due), every
        step's track and the closing track. A track lasts its rendered length where
        ``durations`` knows it (what the device plays), else as the renderer would lay it out
        with the one speech estimate (``track_seconds``). ``from_segment`` is not used: a track
        plays a whole step, and what has played of it is the stream's offset, which the
        playback feature subtracts."""
        from heel_coach.engine.lengths import script_seconds
        from heel_coach.engine.timing import routine_head

        self._measuring = True
        try:
            opening = script_seconds(routine_head(plan), plan, self)
        finally:
            self._measuring = False
        opening += self.speaker.seconds(" ".join(self.up_front(plan, start)))
        total = opening if (head if head is not None else start == 0) else 0.0
        short_for = self.listener.short_for
        for step in plan.steps[start:]:
            total += self._track_s(step_track(self.speaker, plan, step, short_for & {step.exercise_id}))
        return total + self._track_s(closing_track(self.speaker, plan, plan.exercise_count()))

    def _track_s(self, track: TrackPlan) -> float:
        return self.durations.get(track.track_id) or track_seconds(track, self.rate)


WAIT_GAP_S = {
    "step.wait.exercise": float(END_OF_EXERCISE_S),
    "step.wait.part": 1.0,
    "step.wait.set": float(REST_BETWEEN_STEPS_S),
    "step.wait.side.foot": float(REST_BETWEEN_STEPS_S),
    "step.wait.side.leg": float(REST_BETWEEN_STEPS_S),
}
"""Silence after a track's ending, before the next track's first words."""


def track_voice(
    speaker: Speaker,
    short_for: frozenset[str] = frozenset(),
    durations: Mapping[str, float] | None = None,
    *,
    safety_due: bool = False,
) -> TrackVoice:
    """Tracks are shared by every user: no safety sentence inside; full instructions, or the
    short form for the exercises in ``short_for`` (both forms are rendered: ``wanted_tracks``).
    ``durations``: the rendered tracks' lengths (``TrackLibrary.durations``) for announcements;
    ``safety_due``: the listener has not heard the massage warning (``TrackVoice.up_front``)."""
    return TrackVoice(speaker, Listener(safety_due=safety_due, short_for=short_for), durations)


def step_track(
    speaker: Speaker, plan: Plan, step: Step, short_for: frozenset[str] = frozenset()
) -> TrackPlan:
    """The track of one step of ``plan``, as continuous mode plays it: the step's script.

    Beats (counted repetitions, timed passes, rests, side switches) are laid over their
    silence, so ten repetitions at a three-second pace take thirty seconds, as in step mode;
    so is the description of a timed bout's movement, said while the person works (step mode
    says it there too), which keeps the words before "Start" to the starting position.
    """
    from heel_coach.audio.tracks import TrackPlan
    from heel_coach.engine.timing import Pause, step_script

    voice = track_voice(speaker, short_for & {step.exercise_id})
    items: list[Item] = [("gap", LEAD_IN_S)]
    for item in step_script(plan, step):
        if isinstance(item, Pause):
            items.append(("gap", float(item.seconds)))
            continue
        sentences = voice.sentences(item, plan)
        if item.within_s is not None:
            items.extend(("over", sentence) for sentence in sentences)
            items.append(("gap", float(item.within_s)))
        else:
            kind = "over" if item.key in OVERLAY_CUES else "say"
            items.extend((kind, sentence) for sentence in sentences)
        if item.key in WAIT_GAP_S:
            items.append(("gap", WAIT_GAP_S[item.key]))
    return TrackPlan(speaker.locale, tuple(items))


def closing_track(speaker: Speaker, plan: Plan, done: int) -> TrackPlan:
    """The track played after the last step: step mode's closing words for ``done`` of the
    routine's exercises (``speech.closing_cues``), after a breath. Its own track because the
    count is known only at the end (an exercise may be skipped), while every step's track is
    shared by all who play it; one is rendered for each possible count."""
    from heel_coach.audio.tracks import TrackPlan

    voice = track_voice(speaker)
    items: list[Item] = [("gap", LEAD_IN_S + END_OF_EXERCISE_S)]
    for cue in closing_cues(plan, done, plan.exercise_count()):
        items.extend(("say", sentence) for sentence in voice.sentences(cue, plan))
    return TrackPlan(speaker.locale, tuple(items))


def track_seconds(track: TrackPlan, rate: SpeakingRate) -> float:
    """A track's length before it is rendered, laid out as ``audio.render.assemble`` lays it:
    ``say`` advances the clock by its speech (the one estimate, ``engine.speech_time``, at the
    locale's ``rate``), ``over``
    sounds from the clock (once the clip before it has ended) without moving it, ``gap`` is exact."""
    clock = busy = 0.0
    for kind, value in track.items:
        if kind == "gap":
            clock += float(value)
            continue
        start = max(clock, busy)
        busy = start + speech_seconds(str(value), rate)
        if kind == "say":
            clock = busy
    return max(clock, busy)


def plans_for(catalogue: Catalogue, routine_ids: Iterable[str] | None = None) -> Iterator[Plan]:
    """Every (routine, foot, focus) plan; focus only varies where a routine has focus entries."""
    from heel_coach.engine.plan import build_plan

    for routine_id in routine_ids or catalogue.routines:
        routine = catalogue.routine(routine_id)
        focuses = list(Focus) if needs_focus(routine) else [Focus.SOLE]
        for foot in Foot:
            for focus in focuses:
                yield build_plan(routine, foot, focus)


def wanted_tracks(
    speaker: Speaker, catalogue: Catalogue, routine_ids: Iterable[str] | None = None
) -> dict[str, TrackPlan]:
    """Unique tracks (by id) needed to play the given routines in every foot and focus, with
    each exercise's instructions in full and in the short form (a returning user's wording)."""
    return tracks_for(speaker, plans_for(catalogue, routine_ids))


def tracks_for(speaker: Speaker, plans: Iterable[Plan]) -> dict[str, TrackPlan]:
    """Unique tracks (by id) that play ``plans``: every step in full and in the short form,
    and the closing words for every count of exercises done."""
    out: dict[str, TrackPlan] = {}
    for plan in plans:
        for step in plan.steps:
            for short_for in (frozenset(), frozenset({step.exercise_id})):
                track = step_track(speaker, plan, step, short_for)
                out.setdefault(track.track_id, track)
        for done in range(plan.exercise_count() + 1):
            track = closing_track(speaker, plan, done)
            out.setdefault(track.track_id, track)
    return out


@dataclass(frozen=True)
class Token:
    """The AudioPlayer token of a step's track: enough to find the step again when an event
    comes back without a session."""

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
    """A rendered track of a step: where Alexa fetches it, its token and its length."""

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
        self._ids: dict[tuple[str, str, Foot, Focus, int, bool], str] = {}
        self._closing_ids: dict[tuple[str, str, Focus, int], str] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return bool(self.base_url)

    def manifest(self, locale: str) -> Manifest | None:
        from heel_coach.audio.manifest import load_manifest, manifest_path

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

    def durations(self, locale: str) -> dict[str, float]:
        """Every rendered track's length in seconds, by track id ({} before a render)."""
        manifest = self.manifest(locale) if self.enabled else None
        return {} if manifest is None else {k: e.duration_s for k, e in manifest.tracks.items()}

    def track(
        self, speaker: Speaker, plan: Plan, index: int, short_for: frozenset[str] = frozenset()
    ) -> TrackRef | None:
        """The rendered track of step ``index`` in this user's wording (``short_for``: the
        exercises they hear in the short form), or None (not rendered, or the text changed)."""
        if not self.enabled or not 0 <= index < len(plan.steps):
            return None
        step = plan.steps[index]
        short = step.exercise_id in short_for
        key = (speaker.locale, plan.routine_id, plan.foot, plan.focus, index, short)
        track_id = self._ids.get(key)
        if track_id is None:
            track_id = step_track(speaker, plan, step, short_for & {step.exercise_id}).track_id
            self._ids[key] = track_id
        return self._ref(speaker.locale, plan, index, track_id)

    def closing(self, speaker: Speaker, plan: Plan, done: int) -> TrackRef | None:
        """The rendered closing track (``closing_track``) for ``done`` exercises, or None. Its
        token's step is ``len(plan.steps)``: the position of a finished routine."""
        if not self.enabled:
            return None
        key = (speaker.locale, plan.routine_id, plan.focus, done)
        track_id = self._closing_ids.get(key)
        if track_id is None:
            track_id = closing_track(speaker, plan, done).track_id
            self._closing_ids[key] = track_id
        return self._ref(speaker.locale, plan, len(plan.steps), track_id)

    def _ref(self, locale: str, plan: Plan, index: int, track_id: str) -> TrackRef | None:
        manifest = self.manifest(locale)
        entry = manifest.tracks.get(track_id) if manifest is not None else None
        if entry is None:
            return None
        token = Token(plan.routine_id, plan.foot, plan.focus, index, track_id)
        return TrackRef(f"{self.base_url}/{locale}/{entry.file}", token, entry.duration_ms)
