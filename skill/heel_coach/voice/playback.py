"""Continuous mode: a routine played as a queue of AudioPlayer tracks, one per engine Step.

The engine still decides where the user is (``machine.apply``); this module only turns its
state into Play/Stop directives and AudioPlayer events back into engine commands. AudioPlayer
requests have no session, so everything lives in the persisted user data: the routine state
(position, ``offset_ms``) and ``extra["playback"]``, a snapshot of the state playback last
wrote. Continuous mode is on while that snapshot equals the stored state: any step-by-step
command changes the state and so switches it off without anyone having to remember to.

Tokens: ``hc1|<routine>|<foot>|<focus>|<step>|<track id>`` (well under 1024 characters).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.interfaces.audioplayer import (
    AudioItem,
    AudioItemMetadata,
    PlayBehavior,
    PlayDirective,
    StopDirective,
    Stream,
)

from heel_coach.audio.manifest import Manifest, load_manifest, manifest_path
from heel_coach.audio.tracks import step_track
from heel_coach.catalogue.model import Focus
from heel_coach.engine import machine
from heel_coach.engine.machine import Command, Transition
from heel_coach.engine.plan import Foot, Plan
from heel_coach.voice import phrasing
from heel_coach.voice.coach import Turn
from heel_coach.voice.speech import Reply

LIBRARY = "heelcoach.playback"
TOKEN_PREFIX = "hc1"
PLAYBACK = "playback"
MAX_FAILED_RETRIES = 2
"""PlaybackFailed re-plays the current track this many times in a row, then gives up."""


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

    def track(self, turn: Turn, plan: Plan, index: int) -> TrackRef | None:
        """The rendered track of step ``index``, or None (not rendered, or the text changed)."""
        if not self.enabled or not 0 <= index < len(plan.steps):
            return None
        locale = turn.speaker.locale
        manifest = self.manifest(locale)
        if manifest is None:
            return None
        key = (locale, plan.routine_id, plan.foot, plan.focus, index)
        track_id = self._ids.get(key)
        if track_id is None:
            track_id = step_track(turn.speaker, plan, plan.steps[index]).track_id
            self._ids[key] = track_id
        entry = manifest.tracks.get(track_id)
        if entry is None:
            return None
        token = Token(plan.routine_id, plan.foot, plan.focus, index, track_id)
        return TrackRef(f"{self.base_url}/{locale}/{entry.file}", token, entry.duration_ms)


class AttachLibraryInterceptor(AbstractRequestInterceptor):
    """Hands the library to handlers through request attributes (no globals, no I/O)."""

    def __init__(self, library: TrackLibrary) -> None:
        self.library = library

    def process(self, handler_input: HandlerInput) -> None:
        handler_input.attributes_manager.request_attributes[LIBRARY] = self.library


def library_of(handler_input: HandlerInput) -> TrackLibrary:
    library = handler_input.attributes_manager.request_attributes.get(LIBRARY)
    return library if isinstance(library, TrackLibrary) else TrackLibrary(Path("audio"), "")


def supports_audio_player(handler_input: HandlerInput) -> bool:
    context = handler_input.request_envelope.context
    system = context.system if context is not None else None
    device = system.device if system is not None else None
    interfaces = device.supported_interfaces if device is not None else None
    return interfaces is not None and interfaces.audio_player is not None


def player_offset(handler_input: HandlerInput) -> int | None:
    """Where the device's player is in our current track (from the request's context)."""
    player = getattr(handler_input.request_envelope.context, "audio_player", None)
    if player is None or Token.parse(player.token) is None:
        return None
    return int(player.offset_in_milliseconds or 0)


# -- the continuous-mode record -------------------------------------------------------------


def is_active(turn: Turn) -> bool:
    record = turn.user.extra.get(PLAYBACK)
    state = turn.user.routine
    return isinstance(record, dict) and state is not None and record.get("state") == state.to_dict()


def _remember(turn: Turn, failures: int = 0) -> None:
    assert turn.user.routine is not None
    turn.user.extra[PLAYBACK] = {"state": turn.user.routine.to_dict(), "failures": failures}


def _forget(turn: Turn) -> None:
    turn.user.extra.pop(PLAYBACK, None)


def _failures(turn: Turn) -> int:
    record = turn.user.extra.get(PLAYBACK)
    value = record.get("failures", 0) if isinstance(record, dict) else 0
    return value if isinstance(value, int) else 0


# -- directives ---------------------------------------------------------------------------------


def play(ref: TrackRef, behavior: PlayBehavior, offset_ms: int = 0, previous: str | None = None,
         title: str | None = None) -> PlayDirective:  # fmt: skip
    stream = Stream(
        token=str(ref.token), url=ref.url, offset_in_milliseconds=max(0, min(offset_ms, ref.duration_ms)),
        expected_previous_token=previous,
    )  # fmt: skip
    metadata = AudioItemMetadata(title=title) if title else None
    return PlayDirective(play_behavior=behavior, audio_item=AudioItem(stream=stream, metadata=metadata))


def _title(turn: Turn, plan: Plan, index: int) -> str:
    return turn.speaker.exercise_name(turn.catalogue.exercise(plan.steps[index].exercise_id))


def _play_current(turn: Turn, library: TrackLibrary, plan: Plan, reply: Reply, offset_ms: int = 0) -> bool:
    """Add a REPLACE_ALL Play of the current step; False when its track is not rendered."""
    state = turn.user.routine
    assert state is not None
    ref = library.track(turn, plan, state.position)
    if ref is None:
        return False
    reply.directives.append(
        play(ref, PlayBehavior.REPLACE_ALL, offset_ms, title=_title(turn, plan, state.position))
    )
    _remember(turn)
    return True


def _massage_notice(turn: Turn, plan: Plan, reply: Reply) -> None:
    """Tracks never carry the once-per-user massage contraindications: say them up front."""
    state = turn.user.routine
    start = state.position if state is not None else 0
    upcoming = {plan.steps[i].entry_index for i in range(start, len(plan.steps))}
    if not turn.user.contraindications_given and any(plan.entries[i].exercise.is_massage for i in upcoming):
        reply.speech.paragraph(turn.speaker.contraindications())
        turn.user.contraindications_given = True


# -- starting --------------------------------------------------------------------------------


def start(turn: Turn, library: TrackLibrary, routine_id: str, reply: Reply, *, audio_player: bool) -> Reply:
    """ "Play my morning routine": the first track, or step-by-step with one sentence why not."""
    from heel_coach.voice import coach

    turn.session["pending"] = None
    if not audio_player:
        reply.speech.sentence(turn.text("playback.no_audio_player"))
        return coach.start_routine(turn, routine_id, reply)
    foot, focus = turn.user.foot or Foot.BOTH, turn.user.focus or Focus.SOLE
    plan = turn.plans.get(routine_id, foot, focus)
    if library.track(turn, plan, 0) is None:
        reply.speech.sentence(turn.text("playback.unavailable"))
        return coach.start_routine(turn, routine_id, reply)
    turn.user.routine = machine.start(plan).state
    routine = turn.catalogue.routine(routine_id)
    reply.speech.sentence(
        turn.text(
            "playback.start", routine=turn.speaker.routine_name(routine),
            foot_phrase=turn.speaker.foot_phrase(foot), duration=phrasing.approximate_duration(plan.total_s),
        )
    )  # fmt: skip
    _massage_notice(turn, plan, reply)
    _play_current(turn, library, plan, reply)
    reply.end_session = True
    return reply


def keep_going(turn: Turn, library: TrackLibrary, reply: Reply) -> Reply:
    """ "Keep going" in step mode: move on and play the rest; step mode if it is not rendered."""
    from heel_coach.voice import coach

    plan, state = turn.active_plan(), turn.user.routine
    if plan is None or state is None or library.track(turn, plan, state.position + 1) is None:
        return coach.navigate(turn, Command.NEXT, reply)
    turn.session["pending"] = None
    turn.user.routine = machine.apply(state, plan, Command.NEXT).state
    routine = turn.catalogue.routine(plan.routine_id)
    reply.speech.sentence(turn.text("playback.resume", routine=turn.speaker.routine_name(routine)))
    _massage_notice(turn, plan, reply)
    _play_current(turn, library, plan, reply)
    reply.end_session = True
    return reply


# -- commands while playing (intents and PlaybackController) ---------------------------------


def command(
    turn: Turn, library: TrackLibrary, cmd: Command, reply: Reply, *, offset_ms: int | None, speak: bool
) -> Reply:
    """Pause / resume / next / previous / skip / start over / repeat during continuous mode.

    ``speak`` is False for PlaybackController requests, whose responses carry no speech.
    """
    plan, state = turn.plan(), turn.user.routine
    if plan is None or state is None:
        _forget(turn)
        return reply
    turn.session["pending"] = None
    if cmd is Command.PAUSE:
        offset = state.offset_ms if offset_ms is None else offset_ms
        turn.user.routine = replace(state, paused=True, offset_ms=offset)
        _remember(turn)
        reply.directives.append(StopDirective())
        if speak:
            reply.end_session = True
        return reply
    transition = machine.apply(state, plan, cmd)
    offset = transition.state.offset_ms if cmd is Command.RESUME else 0
    turn.user.routine = transition.state
    if any(isinstance(e, machine.RoutineFinished) for e in transition.events):
        return _finish(turn, plan, transition, reply, speak=speak)
    if _play_current(turn, library, plan, reply, offset):
        if speak:
            reply.end_session = True
        return reply
    _forget(turn)  # the track vanished (re-render, text change): carry on step by step
    if speak:
        return turn.speaker.render(transition.events, plan, reply, contraindications_due=False)
    return reply


def _finish(turn: Turn, plan: Plan, transition: Transition, reply: Reply, *, speak: bool) -> Reply:
    """The routine is over: recorded exactly as in step mode (``turn.notes["finished"]``)."""
    _forget(turn)
    for event in transition.events:
        if isinstance(event, machine.RoutineFinished):
            turn.notes["finished"] = event
            turn.notes["mode"] = "continuous"
    reply.directives.append(StopDirective())
    if speak:
        return turn.speaker.render(transition.events, plan, reply, contraindications_due=False)
    return reply


# -- AudioPlayer events ------------------------------------------------------------------------


def on_event(
    turn: Turn, library: TrackLibrary, kind: str, raw_token: Any, offset_ms: int, reply: Reply
) -> Reply:
    """Started / NearlyFinished / Finished / Stopped / Failed for one of our tracks."""
    token = Token.parse(raw_token)
    plan, state = turn.plan(), turn.user.routine
    if token is None or plan is None or state is None or not is_active(turn):
        return reply
    if (token.routine_id, token.foot, token.focus) != (state.routine_id, state.foot, state.focus):
        return reply
    if kind == "PlaybackStarted":
        if token.step == state.position + 1 and not state.finished(plan):
            state = machine.apply(state, plan, Command.NEXT).state
        elif token.step != state.position:
            state = state.moved_to(token.step)
        turn.user.routine = replace(state, offset_ms=offset_ms, paused=False)
        _remember(turn)
    elif kind == "PlaybackNearlyFinished":
        ref = library.track(turn, plan, token.step + 1)
        if ref is not None:
            title = _title(turn, plan, token.step + 1)
            reply.directives.append(play(ref, PlayBehavior.ENQUEUE, 0, previous=str(raw_token), title=title))
    elif kind == "PlaybackFinished":
        if token.step == state.position and not state.finished(plan):
            transition = machine.apply(state, plan, Command.NEXT)
            turn.user.routine = transition.state
            if any(isinstance(e, machine.RoutineFinished) for e in transition.events):
                _forget(turn)
                turn.notes["finished"] = transition.events[-1]
                turn.notes["mode"] = "continuous"
            else:
                _remember(turn)
    elif kind == "PlaybackStopped":
        if token.step == state.position:
            turn.user.routine = replace(state, offset_ms=offset_ms)
            _remember(turn, _failures(turn))
    elif kind == "PlaybackFailed":
        failures = _failures(turn) + 1
        if failures > MAX_FAILED_RETRIES:
            _forget(turn)  # give up quietly; the place is kept for step-by-step mode
            return reply
        _play_current(turn, library, plan, reply, state.offset_ms)
        _remember(turn, failures)
    return reply
