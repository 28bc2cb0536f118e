"""An Echo's timing, simulated: how long a response plays and when Alexa stops listening.

Pure and clock-free: every method takes or returns simulated seconds, nothing sleeps. The
conversation runner (``heel_coach.console.device_run``), the conversation tests and
``heel-coach chat`` use it to decide whether a person's words reach the skill, in which
session, and when.

What is modelled, and on what it rests (../shared/reference/alexa-platform.md):

- Speech time: words at the locale's speaking rate plus a short pause per sentence, from
  ``heel_coach.engine.speech_time`` (the ONE estimate per locale, shared with announced
  lengths; its ``speech.yaml`` says why: 150 words a minute in English, 120 in German).
- Every ``<break time>`` (at most 10 s each, §3) and every ``<audio>`` clip. Silence clips are
  named ``silence-<n>s.mp3`` and last ``n`` s; any other clip lasts what the audio manifest says
  (``clip_seconds``). A clip the manifest does not know counts 0 s and is listed in
  ``SpeechTiming.unknown_clips`` so a figure never hides it.
- After a response with ``shouldEndSession: false`` Alexa listens ``LISTEN_WINDOW_S`` (8 s,
  the SDK's ``ask()`` docstring: reprompt "if no response for 8 seconds"), speaks the reprompt
  (timed like speech), listens 8 s more, then sends ``SessionEndedRequest`` with reason
  ``EXCEEDED_MAX_REPROMPTS`` (ask-sdk-model ``SessionEndedReason``). One reprompt only
  (UNCONFIRMED in the reference; the issue describes the same sequence).
- ``shouldEndSession: true`` (or left out, as on a device without a screen) closes the mic
  when the speech ends.
- "Alexa, ..." (the wake word) interrupts speech at that moment (barge-in); without it the
  person waits for Alexa to finish, the reprompt included.
- Outside a session only words that name the skill ("open heel coach", "ask heel coach to
  ...") reach it, as a new session; a bare "next" reaches it only as an AudioPlayer command
  while its stream is (or was last) the device's player (§4: "while your skill is playing, or
  was the last skill to play").
- AudioPlayer: a Play directive's stream starts when the speech ends and plays its length from
  the manifest; the device reports PlaybackStarted, PlaybackNearlyFinished
  (``NEARLY_FINISHED_BEFORE_S`` before the end, or at the start of a shorter stream: when
  exactly Alexa sends it is not documented, and a published sample request carries an offset
  of 122 ms, so the skill must not rely on it coming late) and PlaybackFinished, then starts
  an enqueued stream at once.

Checked with the search tool: alexa/alexa-skills-kit-sdk-for-nodejs issue 223 reports the
"usual 2x ~8 sec" wait on an Echo Dot ending in SessionEndedRequest EXCEEDED_MAX_REPROMPTS
(one reprompt), and that an Echo Show stops listening after the same wait without sending it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from heel_coach.catalogue.model import SpeakingRate
from heel_coach.engine.speech_time import speech_seconds, word_count

LISTEN_WINDOW_S = 8.0
"""How long Alexa listens after a response that keeps the session open, and after the reprompt."""
NEARLY_FINISHED_BEFORE_S = 10.0
"""When the device reports PlaybackNearlyFinished, before the end of a stream (our assumption)."""
WAKE_WORD = "alexa"
SILENCE_CLIP = re.compile(r"silence-(\d+)s\.mp3$")
PLAYER_INTENTS = frozenset(
    {
        "AMAZON.NextIntent",
        "AMAZON.PreviousIntent",
        "AMAZON.PauseIntent",
        "AMAZON.ResumeIntent",
        "AMAZON.CancelIntent",
        "AMAZON.StopIntent",
        "AMAZON.StartOverIntent",
        "AMAZON.RepeatIntent",
        "AMAZON.LoopOnIntent",
        "AMAZON.LoopOffIntent",
        "AMAZON.ShuffleOnIntent",
        "AMAZON.ShuffleOffIntent",
    }
)
"""Built-in intents Alexa routes to the skill that owns the player, without its name (§4)."""

ClipSeconds = Callable[[str], float | None]
"""Length of an audio clip or stream by URL; None when unknown."""

_TIMED_TAG = re.compile(r'<break\s+time="(\d+(?:\.\d+)?)(ms|s)"\s*/>|<audio\s+src="([^"]*)"\s*/>|<[^>]+>')
_ENTITIES = {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'", "&amp;": "&"}


def no_clips(url: str) -> float | None:
    """Clip lengths when no audio manifest is available: only silence clips are known."""
    return None


def manifest_clips(durations: Mapping[str, float]) -> ClipSeconds:
    """Clip lengths by file name (the last part of the URL), e.g. from the audio manifest."""

    def seconds(url: str) -> float | None:
        return durations.get(url.rsplit("/", 1)[-1])

    return seconds


class SoundKind(StrEnum):
    SPEECH = "speech"
    BREAK = "break"
    SILENCE = "silence"
    """A silence clip (``silence-<n>s.mp3``)."""
    CLIP = "clip"


@dataclass(frozen=True)
class Sound:
    """One piece of a response in play order."""

    kind: SoundKind
    seconds: float
    text: str = ""
    """The words spoken, or the clip's URL."""

    @property
    def words(self) -> int:
        return word_count(self.text) if self.kind is SoundKind.SPEECH else 0


@dataclass(frozen=True)
class SpeechTiming:
    """How long one outputSpeech (or reprompt) plays, and of what."""

    sounds: tuple[Sound, ...] = ()
    unknown_clips: tuple[str, ...] = ()

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sounds)

    @property
    def speech_s(self) -> float:
        return sum(s.seconds for s in self.sounds if s.kind is SoundKind.SPEECH)

    @property
    def silence_s(self) -> float:
        """Breaks and silence clips: the timed work a person does while Alexa is quiet."""
        return sum(s.seconds for s in self.sounds if s.kind in (SoundKind.BREAK, SoundKind.SILENCE))

    @property
    def clip_s(self) -> float:
        return sum(s.seconds for s in self.sounds if s.kind is SoundKind.CLIP)

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.sounds)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sounds if s.kind is SoundKind.SPEECH)

    def describe(self) -> str:
        """One line for the console: how long the response plays, and of what."""
        parts = [f"{self.words} words in {self.speech_s:.0f} s"]
        if self.silence_s:
            parts.append(f"{self.silence_s:.0f} s of silences")
        if self.clip_s or self.unknown_clips:
            parts.append(f"{self.clip_s:.0f} s of audio clips")
        if self.unknown_clips:
            parts.append(f"{len(self.unknown_clips)} clips of unknown length")
        return f"[speaks {self.seconds:.0f} s: {', '.join(parts)}]"

    def text_until(self, at_s: float) -> str:
        """The words heard before ``at_s`` seconds into the response (a barge-in cuts there)."""
        heard: list[str] = []
        start = 0.0
        for sound in self.sounds:
            if start >= at_s:
                break
            if sound.kind is SoundKind.SPEECH:
                words = sound.text.split()
                fraction = min(1.0, (at_s - start) / sound.seconds) if sound.seconds else 1.0
                heard.extend(words[: round(len(words) * fraction)])
            start += sound.seconds
        return " ".join(heard)


def time_ssml(ssml: str, rate: SpeakingRate, clip_seconds: ClipSeconds = no_clips) -> SpeechTiming:
    """Time an SSML document (or plain text) in a locale spoken at ``rate``: speech between
    breaks and clips, then silences.

    Text is timed in runs between timing tags (``<break>``, ``<audio>``), so tags like
    ``<s>`` or ``<p>`` do not add pauses of their own.
    """
    sounds: list[Sound] = []
    unknown: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = re.sub(r"\s+", " ", _unescape("".join(run))).strip()
        run.clear()
        if text:
            sounds.append(Sound(SoundKind.SPEECH, speech_seconds(text, rate), text))

    pos = 0
    for match in _TIMED_TAG.finditer(ssml):
        run.append(ssml[pos : match.start()])
        pos = match.end()
        if match.group(1) is not None:
            flush()
            value = float(match.group(1))
            sounds.append(Sound(SoundKind.BREAK, value / 1000 if match.group(2) == "ms" else value))
        elif match.group(3) is not None:
            flush()
            url = _unescape(match.group(3))
            if (silence := SILENCE_CLIP.search(url)) is not None:
                sounds.append(Sound(SoundKind.SILENCE, float(silence.group(1)), url))
            else:
                seconds = clip_seconds(url)
                if seconds is None:
                    unknown.append(url)
                sounds.append(Sound(SoundKind.CLIP, seconds or 0.0, url))
        else:
            run.append(" ")
    run.append(ssml[pos:])
    flush()
    return SpeechTiming(tuple(sounds), tuple(unknown))


def _unescape(text: str) -> str:
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    return text


@dataclass(frozen=True)
class Stream:
    """An AudioPlayer stream as a Play directive gives it."""

    token: str
    url: str
    offset_ms: int
    seconds: float
    """Length of the whole track (None-safe: 0 when the manifest does not know it)."""

    @property
    def remaining_s(self) -> float:
        return max(0.0, self.seconds - self.offset_ms / 1000)


@dataclass(frozen=True)
class Reply:
    """What the device does with one response body."""

    speech: SpeechTiming
    reprompt: SpeechTiming | None
    keeps_session: bool
    play: Stream | None = None
    play_behavior: str | None = None
    stops_player: bool = False

    @classmethod
    def from_body(
        cls, body: Mapping[str, Any], rate: SpeakingRate, clip_seconds: ClipSeconds = no_clips
    ) -> Reply:
        """``rate``: how fast the response's locale is spoken."""
        response: Mapping[str, Any] = body.get("response") or {}
        speech = time_ssml(_speech_of(response.get("outputSpeech")), rate, clip_seconds)
        reprompt_speech = (response.get("reprompt") or {}).get("outputSpeech")
        reprompt = time_ssml(_speech_of(reprompt_speech), rate, clip_seconds) if reprompt_speech else None
        play: Stream | None = None
        behavior: str | None = None
        stops = False
        for directive in response.get("directives") or []:
            kind = directive.get("type")
            if kind == "AudioPlayer.Play":
                stream = directive["audioItem"]["stream"]
                url = str(stream.get("url") or "")
                play = Stream(
                    str(stream.get("token")), url, int(stream.get("offsetInMilliseconds") or 0),
                    clip_seconds(url) or 0.0,
                )  # fmt: skip
                behavior = str(directive.get("playBehavior") or "REPLACE_ALL")
            elif kind == "AudioPlayer.Stop" or (
                kind == "AudioPlayer.ClearQueue" and directive.get("clearBehavior") == "CLEAR_ALL"
            ):
                stops = True
        return cls(speech, reprompt, response.get("shouldEndSession") is False, play, behavior, stops)


def _speech_of(speech: Any) -> str:
    if not isinstance(speech, Mapping):
        return ""
    return str(speech.get("ssml") or speech.get("text") or "")


@dataclass(frozen=True)
class Timeline:
    """Where one response puts the device, in simulated seconds."""

    start: float
    speech_end: float
    reprompt: tuple[float, float] | None = None
    """When the reprompt is spoken (after the first listen window)."""
    session_ends: float | None = None
    """When Alexa gives up and sends SessionEndedRequest (EXCEEDED_MAX_REPROMPTS); None when the
    response itself closed the session."""

    @property
    def mic_closes(self) -> float:
        return self.session_ends if self.session_ends is not None else self.speech_end

    def describe(self) -> str:
        """One line for the console: where Alexa would stop listening."""
        if self.session_ends is None or self.reprompt is None:
            return "[mic closed when the speech ends: the session is over]"
        reprompt_s = self.reprompt[1] - self.reprompt[0]
        return (
            f"[mic open {LISTEN_WINDOW_S:.0f} s ... reprompt {reprompt_s:.0f} s ... mic closes at "
            f"+{self.session_ends - self.speech_end:.0f} s: session would end]"
        )


class Route(StrEnum):
    """Where a person's words go."""

    SESSION = "session"
    """Into the open session."""
    NEW_SESSION = "new_session"
    """They name the skill: a new session (LaunchRequest or a one-shot intent)."""
    PLAYER = "player"
    """Out of session, to the skill that owns the player (built-in AudioPlayer intents)."""
    LOST = "lost"
    """Nobody: Alexa answers by itself; the skill never hears it."""


@dataclass(frozen=True)
class Delivery:
    route: Route
    at: float
    """When the person starts speaking (after waiting for Alexa to finish, if they did)."""
    timed_out_at: float | None = None
    """The session ended (EXCEEDED_MAX_REPROMPTS) at this moment, before the words."""
    barged_in: bool = False
    heard_reprompt: bool = False


@dataclass
class Player:
    """The device's AudioPlayer: one current stream, one queued."""

    current: Stream | None = None
    started: float = 0.0
    queued: Stream | None = None
    activity: str = "IDLE"
    stopped_offset_ms: int = 0
    started_sent: bool = False
    nearly_sent: bool = False

    @property
    def ends(self) -> float:
        return self.started + (self.current.remaining_s if self.current else 0.0)

    def offset_ms(self, at: float) -> int:
        if self.current is None:
            return 0
        if self.activity != "PLAYING":
            return self.stopped_offset_ms
        return self.current.offset_ms + round(max(0.0, min(at, self.ends) - self.started) * 1000)


@dataclass(frozen=True)
class PlayerEvent:
    at: float
    kind: str
    """``AudioPlayer.PlaybackStarted`` and so on."""
    token: str
    offset_ms: int


@dataclass
class EchoDevice:
    """The simulated device: its session, its mic windows and its player, on a simulated clock."""

    now: float = 0.0
    patient: bool = False
    """Never stop listening (no timeouts): for measuring lengths where sessions time out."""
    session_open: bool = False
    timeline: Timeline | None = None
    last_reply: Reply | None = None
    player: Player = field(default_factory=Player)

    # -- a response arrives ------------------------------------------------------------------
    def play_reply(self, reply: Reply) -> Timeline:
        """The skill answered a request sent at ``now``: speech, then windows or the stream."""
        start = self.now
        speech_end = start + reply.speech.seconds
        timeline = Timeline(start, speech_end)
        if reply.keeps_session:
            prompt_s = reply.reprompt.seconds if reply.reprompt else 0.0
            reprompt = (speech_end + LISTEN_WINDOW_S, speech_end + LISTEN_WINDOW_S + prompt_s)
            timeline = replace(timeline, reprompt=reprompt, session_ends=reprompt[1] + LISTEN_WINDOW_S)
        self.session_open = reply.keeps_session
        self.timeline = timeline
        self.last_reply = reply
        if reply.stops_player and self.player.current is not None:
            self.player.stopped_offset_ms = self.player.offset_ms(start)
            self.player.activity = "STOPPED"
        if reply.play is not None:
            self.enqueue(reply.play, reply.play_behavior or "REPLACE_ALL", speech_end)
        return timeline

    def enqueue(self, stream: Stream, behavior: str, at: float) -> None:
        if behavior == "ENQUEUE" and self.player.current is not None and self.player.activity == "PLAYING":
            self.player.queued = stream
            return
        self.player = Player(current=stream, started=at, activity="PLAYING")

    # -- the player ----------------------------------------------------------------------------
    def player_events(self, until: float) -> list[PlayerEvent]:
        """Events the device sends before ``until`` (call repeatedly: a reply may enqueue)."""
        events: list[PlayerEvent] = []
        p = self.player
        if p.current is None or p.activity != "PLAYING":
            return events
        token = p.current.token
        if p.started <= until and not p.started_sent:
            events.append(PlayerEvent(p.started, "AudioPlayer.PlaybackStarted", token, p.current.offset_ms))
            p.started_sent = True
        nearly = max(p.started, p.ends - NEARLY_FINISHED_BEFORE_S)
        if not p.nearly_sent and nearly <= until:
            events.append(
                PlayerEvent(nearly, "AudioPlayer.PlaybackNearlyFinished", token, p.offset_ms(nearly))
            )
            p.nearly_sent = True
        return events

    def finish_stream(self, until: float) -> PlayerEvent | None:
        """PlaybackFinished if the current stream ends before ``until``; the queue moves on."""
        p = self.player
        if p.current is None or p.activity != "PLAYING" or p.ends > until:
            return None
        event = PlayerEvent(p.ends, "AudioPlayer.PlaybackFinished", p.current.token, p.offset_ms(p.ends))
        if p.queued is not None:
            self.player = Player(current=p.queued, started=p.ends, activity="PLAYING")
        else:
            p.activity = "FINISHED"
            p.stopped_offset_ms = event.offset_ms
        return event

    @property
    def player_active(self) -> bool:
        """Our stream is, or was last, the player's: bare AudioPlayer commands reach the skill."""
        return self.player.current is not None and self.player.activity != "IDLE"

    # -- a person speaks -------------------------------------------------------------------
    def hear(self, at: float, *, wake_word: bool, names_skill: bool, intent: str | None) -> Delivery:
        """Where words the person starts saying at ``at`` go (``at`` >= the request's time).

        Without the wake word a person waits for Alexa to stop talking: words that would fall
        inside the speech or the reprompt start when it ends.
        """
        timeline = self.timeline
        barged = heard_reprompt = False
        if timeline is not None:
            if at < timeline.speech_end:
                if wake_word:
                    barged = True
                else:
                    at = timeline.speech_end
            if timeline.reprompt is not None and timeline.reprompt[0] <= at < timeline.reprompt[1]:
                if wake_word:
                    barged = True
                else:
                    at = timeline.reprompt[1]
            heard_reprompt = timeline.reprompt is not None and at >= timeline.reprompt[1]
        timed_out: float | None = None
        in_session = self.session_open
        if in_session and not self.patient and timeline is not None and timeline.session_ends is not None:
            if at > timeline.session_ends:
                timed_out = timeline.session_ends
                in_session = False
        if in_session:
            route = Route.SESSION
        elif wake_word and names_skill:
            route = Route.NEW_SESSION
        elif wake_word and intent in PLAYER_INTENTS and self.player_active:
            route = Route.PLAYER
        else:
            route = Route.LOST
        if timed_out is not None:
            self.session_open = False
        if route is Route.PLAYER and self.player.activity == "PLAYING":
            self.player.stopped_offset_ms = self.player.offset_ms(at)
        return Delivery(route, at, timed_out, barged, heard_reprompt)

    def advance(self, to: float) -> None:
        self.now = max(self.now, to)

    def close_session(self) -> None:
        self.session_open = False
