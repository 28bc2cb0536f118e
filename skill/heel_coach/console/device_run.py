"""Run a routine on the simulated Echo with a simulated person, over the real skill.

The person (``heel_coach.simulator.person``) hears each response, works, and speaks; the
device model (``heel_coach.simulator.device``) decides when and whether those words reach the
skill; ``VoiceClient`` sends them as Alexa would, stamped with the simulated time. The result
holds the figures of issue 9: words before the first movement, the longest turn, timeouts,
sets done twice, whether the routine reached its end, and simulated versus announced time.
Used by the device conversation tests and ``heel-coach figures``.

Hands-free (``Scenario.hands_free``, on an app with published audio): the person says yes to
"I can play it through ... Shall I?", then listens to the streams the device plays (each
track's words from the manifest's layout, ``StreamScript``) and works through them without a
word; the device sends the AudioPlayer events back. An ``Interruption`` has them say
something mid-stream, with the wake word, halfway through the first track: "Alexa, pause" then
"Alexa, resume" (or, after the session has gone, "Alexa, open heel coach" and yes), or "Alexa,
tell heel coach it hurts".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from heel_coach.catalogue.model import Catalogue, Focus, SpeakingRate
from heel_coach.console.client import Heard, VoiceClient
from heel_coach.console.envelopes import Device
from heel_coach.engine.speech_time import speech_seconds, word_count
from heel_coach.simulator.device import (
    ClipSeconds,
    EchoDevice,
    PlayerEvent,
    Reply,
    Route,
    SpeechTiming,
    Stream,
    StreamScripts,
    Timeline,
    no_clips,
    no_scripts,
)
from heel_coach.simulator.person import (
    REACTION_S,
    Action,
    CueReader,
    Person,
    SetDone,
    Template,
    repeated_sets,
)

PRIOR_RUNS = 3
"""A returning user has done the same routine to its end this many times, one a day, before
the measured run (the issue's "full instructions the first few times"). Those earlier days are
done briskly (the person answers as soon as Alexa stops, skipping the work) so that the history
exists even while sets time out; only the measured run is judged."""
TURN_LIMIT = 400
GIVE_UP_AFTER = 10
"""Sessions lost in one run before the person gives up (a run that keeps timing out would
otherwise loop on the same set)."""
START = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
"""When a simulated run starts (any fixed moment: request timestamps follow the simulated clock)."""
PAUSED_S = 120.0
"""How long a person stays paused before "Alexa, resume" (our figure)."""
RELAUNCH_AFTER_S = 3 * 3600.0
"""How long after "Alexa, pause" a person opens the skill again (our figure: later that day)."""


class Interruption(StrEnum):
    """What a hands-free person says mid-stream (halfway through the first track)."""

    NONE = "none"
    PAUSE_RESUME = "pause-resume"
    """ "Alexa, pause", then after ``PAUSED_S`` "Alexa, resume" (no name: our stream is the player)."""
    PAUSE_RELAUNCH = "pause-relaunch"
    """ "Alexa, pause"; ``RELAUNCH_AFTER_S`` later "Alexa, open heel coach", and yes to play on."""
    PAIN = "pain"
    """ "Alexa, tell heel coach it hurts": the stream stops; the person takes the offer to skip."""


@dataclass(frozen=True)
class BargeIn:
    """The person speaks, wake word first, ``at_s`` seconds into the first response that
    introduces ``exercise_id`` ("Alexa, repeat" mid-set): they hear only what came before."""

    exercise_id: str
    at_s: float
    words: str = "repeat"


@dataclass(frozen=True)
class Scenario:
    routine_id: str
    foot: str = "both"
    """"both", "left" or "right"."""
    returning: bool = False
    focus: Focus = Focus.SOLE
    patient: bool = False
    """A device that never stops listening: lengths can be measured where sessions time out."""
    hands_free: bool = False
    """Yes to the hands-free offer: the routine plays as AudioPlayer streams (needs rendered audio)."""
    interruption: Interruption = Interruption.NONE
    barge_in: BargeIn | None = None

    @property
    def label(self) -> str:
        user = "returning" if self.returning else "new"
        label = f"{self.routine_id}/{self.foot}/{user}" + ("/patient" if self.patient else "")
        if self.hands_free:
            label += "/hands-free"
        if self.interruption is not Interruption.NONE:
            label += f"/{self.interruption.value}"
        if self.barge_in is not None:
            label += f"/{self.barge_in.words}@{self.barge_in.exercise_id}+{self.barge_in.at_s:g}s"
        return label


@dataclass(frozen=True)
class BargeOutcome:
    """What happened around a ``BargeIn``: what the person had done, and how the skill went on."""

    at_s: float
    speech: SpeechTiming
    """The response they spoke over, as the device played it."""
    finished: tuple[SetDone, ...]
    """Sets of the exercise the person had finished when they spoke."""
    in_set: SetDone | None
    """The set under way when they spoke (begun, its closing cue not heard)."""
    answer: str = ""
    """The skill's answer to their words."""
    restarted: SetDone | None = None
    """The first set begun after their words (in the answer, or after a break: on resuming)."""

    def went_on(self, said: str, started: tuple[SetDone, ...]) -> BargeOutcome:
        """The next response heard after the words: the first one is the answer."""
        return replace(self, answer=self.answer or said, restarted=started[0] if started else None)


@dataclass(frozen=True)
class Turn:
    """One response as the device played it."""

    said: str
    """What the person said to get it."""
    route: str
    """Where the words went (``simulator.device.Route``): the session, a new one, or the player."""
    text: str
    words: int
    seconds: float
    silence_s: float
    timeline: Timeline


@dataclass
class RunResult:
    scenario: Scenario
    locale: str = "en-US"
    turns: list[Turn] = field(default_factory=list)
    timeouts: int = 0
    lost: list[str] = field(default_factory=list)
    """Words that reached nobody (a bare "next" after the session ended)."""
    performed: list[SetDone] = field(default_factory=list)
    reached_end: bool = False
    words_before_first_move: int | None = None
    announced_s: float | None = None
    routine_started_at: float | None = None
    routine_ended_at: float | None = None
    unknown_clips: set[str] = field(default_factory=set)
    streams: list[str] = field(default_factory=list)
    """Tokens of the streams that started, in order (hands-free)."""
    stream_s: float = 0.0
    """Seconds of stream played (hands-free)."""
    player_requests: int = 0
    """AudioPlayer events sent to the skill."""
    said_mid_stream: list[str] = field(default_factory=list)
    """What the person said while a stream was playing or stopped (the interruption)."""
    unscripted_streams: set[str] = field(default_factory=set)
    """Streams whose words were unknown (no layout): the person could not follow them."""
    stream_texts: list[str] = field(default_factory=list)
    """The words heard from streams, one entry per stretch played (hands-free)."""
    barge: BargeOutcome | None = None

    @property
    def repeats(self) -> list[SetDone]:
        return repeated_sets(self.performed)

    @property
    def longest_words(self) -> Turn:
        return max(self.turns, key=lambda t: t.words)

    @property
    def longest_seconds(self) -> Turn:
        return max(self.turns, key=lambda t: t.seconds)

    @property
    def simulated_s(self) -> float | None:
        """From the response that announces the routine to the end of the one that says it is over."""
        if self.routine_started_at is None or self.routine_ended_at is None:
            return None
        return self.routine_ended_at - self.routine_started_at

    @property
    def ratio(self) -> float | None:
        if self.simulated_s is None or not self.announced_s:
            return None
        return self.simulated_s / self.announced_s


@dataclass
class DeviceRun:
    """One person on one Echo (one ``VoiceClient``: one user, one device, one database)."""

    client: VoiceClient
    catalogue: Catalogue
    templates: Mapping[str, Template]
    clip_seconds: ClipSeconds = no_clips
    locale: str = "en-US"
    scripts: StreamScripts = no_scripts
    """What each stream says, and when (hands-free runs)."""

    @property
    def rate(self) -> SpeakingRate:
        """How fast the locale is spoken, by Alexa and (for timing) by the person."""
        return self.catalogue.speaking_rate[self.locale]

    def run(self, scenario: Scenario, start: datetime = START) -> RunResult:
        """The scenario's measured run; a returning user first does ``PRIOR_RUNS`` earlier days."""
        if scenario.returning:
            for days_ago in range(PRIOR_RUNS, 0, -1):
                self.run_once(scenario, start - timedelta(days=days_ago), brisk=True)
        return self.run_once(scenario, start)

    def run_once(self, scenario: Scenario, start: datetime, *, brisk: bool = False) -> RunResult:
        return _Run(self, scenario, start, brisk).go()


def _stream_of(heard: Heard) -> bool:
    return heard.directive("AudioPlayer.Play") is not None


@dataclass
class _Run:
    """One run of one scenario: the device, the person, and what they have done so far."""

    owner: DeviceRun
    scenario: Scenario
    start: datetime
    brisk: bool
    echo: EchoDevice = field(init=False)
    person: Person = field(init=False)
    result: RunResult = field(init=False)
    words_so_far: int = 0
    listening: tuple[Stream, int] | None = None
    """The stream playing and the offset (ms) it started from: what the person is hearing."""
    interrupted: bool = False
    then: tuple[str, float] | None = None
    """What the person says next, and how long after the answer, once playback is paused."""
    barge: BargeIn | None = field(init=False)
    """The scenario's words over a response (step mode), until said; never on a brisk day."""

    def __post_init__(self) -> None:
        self.echo = EchoDevice(patient=self.scenario.patient)
        self.person = Person(
            self.owner.catalogue,
            CueReader.from_templates(self.owner.templates),
            self.scenario.routine_id,
            self.scenario.foot,
            self.scenario.focus,
            self.owner.locale,
            hands_free=self.scenario.hands_free,
        )
        self.result = RunResult(self.scenario, self.owner.locale)
        self.barge = None if self.brisk else self.scenario.barge_in

    @property
    def client(self) -> VoiceClient:
        return self.owner.client

    def phrase(self, meaning: str) -> str:
        assert self.client.matcher is not None
        invocation = self.client.matcher.model.invocation_name
        return self.person.language.person_says[meaning].format(invocation=invocation)

    def go(self) -> RunResult:
        echo, result = self.echo, self.result
        device: Device = self.client.device
        device.end_session()
        device.clock = lambda: self.start + timedelta(seconds=echo.now)
        launch = self.phrase("launch")
        say: str | None = launch
        wake, at = True, 0.0
        for _ in range(TURN_LIMIT):
            assert say is not None
            assert self.client.matcher is not None
            utterance = self.client.matcher.recognize_best(say)
            names_skill = utterance.kind == "launch" or utterance.new_session_phrase
            delivery = echo.hear(at, wake_word=wake, names_skill=names_skill, intent=utterance.intent_name)
            self.player_until(delivery.at)
            if delivery.timed_out_at is not None:
                echo.advance(delivery.timed_out_at)
                self.client.end("EXCEEDED_MAX_REPROMPTS")
                result.timeouts += 1
                if result.timeouts >= GIVE_UP_AFTER:
                    break
            if delivery.route is Route.LOST:
                result.lost.append(say)
                say, wake = launch, True
                at = delivery.at + speech_seconds(say, self.owner.rate) + REACTION_S
                continue
            echo.advance(delivery.at + speech_seconds(say, self.owner.rate))
            self.sync_player()
            if delivery.route is Route.PLAYER:
                assert utterance.intent_name is not None
                heard = self.client.intent(utterance.intent_name, new_session=True)
            else:
                heard = self.client.say(say)
            if heard.status != 200:
                raise RuntimeError(f"HTTP {heard.status} for {say!r}: {heard.body}")
            reply = Reply.from_body(heard.body, self.owner.rate, self.owner.clip_seconds)
            timeline = echo.play_reply(reply)
            result.unknown_clips.update(reply.speech.unknown_clips)
            result.turns.append(self.turn(say, delivery.route, reply, timeline))
            if self.barge is not None and self.person.introduces(reply.speech.text) == self.barge.exercise_id:
                # They hear the response up to the moment they speak (all of it, if it ended).
                barge, self.barge = self.barge, None
                partial = self.person.react(reply.speech.text_until(barge.at_s))
                result.performed.extend(partial.performed)
                finished = tuple(d for d in partial.performed if d.exercise_id == barge.exercise_id)
                result.barge = BargeOutcome(barge.at_s, reply.speech, finished, self.person.current)
                say, wake, at = barge.words, True, timeline.start + barge.at_s
                continue
            action = self.person.react(reply.speech.text)
            if result.barge is not None and result.barge.restarted is None:
                result.barge = result.barge.went_on(reply.speech.text, action.started)
            self.heard(action, reply.speech.words, timeline.start)
            if action.finished:
                result.reached_end = True
                # To the end of its closing words: the announced length counts them too.
                result.routine_ended_at = timeline.speech_end
                if action.say is not None and echo.session_open:
                    echo.advance(timeline.speech_end + REACTION_S)
                    self.client.say(action.say)  # the effort answer: part of the day, not the routine
                break
            if self.then is not None and not echo.session_open and not _stream_of(heard):
                (say, delay), self.then = self.then, None  # paused: "Alexa, resume", or later reopen
                self.result.said_mid_stream.append(say)
                wake, at = True, timeline.speech_end + delay
                continue
            if _stream_of(heard) and not echo.session_open:
                # Hands-free: no session while the stream plays; the person works and listens.
                follow = self.follow_stream(timeline.speech_end)
                if follow is None:
                    break
                say, wake, at = follow
                continue
            if action.say is None:
                break
            say, wake = action.say, not echo.session_open
            at = timeline.speech_end + (REACTION_S if self.brisk else action.after_s)
        if self.client.device.session_id:
            self.client.end()
        return result

    def heard(self, action: Action, words: int, at: float) -> None:
        """Figures from what the person just heard (a response, or part of a stream)."""
        result = self.result
        result.performed.extend(action.performed)
        if action.announced_s is not None and result.announced_s is None:
            result.announced_s = action.announced_s
            result.routine_started_at = at
        if result.words_before_first_move is None:
            if action.first_move_words is not None:
                result.words_before_first_move = self.words_so_far + action.first_move_words
            else:
                self.words_so_far += words

    def turn(self, said: str, route: Route, reply: Reply, timeline: Timeline) -> Turn:
        speech = reply.speech
        return Turn(said, route.value, speech.text, speech.words, speech.seconds, speech.silence_s, timeline)

    # -- hands-free: the streams ------------------------------------------------------------------
    def follow_stream(self, since: float) -> tuple[str, bool, float] | None:
        """Let the streams play from ``since``; the person's next words and when, or None when
        the last stream ended (the routine is over, or the skill stopped playing)."""
        echo = self.echo
        self.player_until(since)
        while True:
            player = echo.player
            if player.current is None or player.activity != "PLAYING":
                return None
            self.player_until(player.started)  # PlaybackStarted: the person is listening
            if echo.player is not player or player.activity != "PLAYING":
                continue
            cut = self.interruption_at()
            if cut is not None and cut < player.ends:
                self.player_until(cut)
                if echo.player is player and player.activity == "PLAYING":
                    return self.interrupt(cut)
                continue
            self.player_until(player.ends)

    def interruption_due(self) -> bool:
        return self.scenario.interruption is not Interruption.NONE and not self.interrupted and not self.brisk

    def interruption_at(self) -> float | None:
        """Halfway through the first track of the routine (the measured run only)."""
        if not self.interruption_due() or len(self.result.streams) != 1 or self.listening is None:
            return None
        stream, _ = self.listening
        return self.echo.player.started + stream.remaining_s / 2

    def interrupt(self, at: float) -> tuple[str, bool, float]:
        """The scenario's words mid-stream; what they say once the skill has answered (after
        a pause) waits in ``then``. After "it hurts" the person answers the skill's offer."""
        self.interrupted = True
        kind = self.scenario.interruption
        if kind is Interruption.PAUSE_RESUME:
            self.then = (self.phrase("resume"), PAUSED_S)
        elif kind is Interruption.PAUSE_RELAUNCH:
            self.then = (self.phrase("launch"), RELAUNCH_AFTER_S)
        words = self.phrase("hurts" if kind is Interruption.PAIN else "pause")
        self.result.said_mid_stream.append(words)
        return words, True, at

    # -- the device's AudioPlayer -----------------------------------------------------------
    def player_until(self, until: float) -> None:
        """Send the player events due before ``until``, in time order; apply any ENQUEUE."""
        echo = self.echo
        while True:
            events = echo.player_events(until)
            finished = echo.finish_stream(until) if not events else None
            if finished is not None:
                events = [finished]
            if not events:
                echo.advance(until)
                return
            for event in events:
                echo.advance(event.at)
                self.follow(event)
                self.sync_player()
                heard = self.client.audio_event(event.kind, token=event.token, offset_ms=event.offset_ms)
                self.result.player_requests += 1
                if heard.status != 200:
                    raise RuntimeError(f"HTTP {heard.status} for {event.kind}: {heard.body}")
                reply = Reply.from_body(heard.body, self.owner.rate, self.owner.clip_seconds)
                if reply.play is not None:
                    echo.enqueue(reply.play, reply.play_behavior or "ENQUEUE", echo.now)

    def follow(self, event: PlayerEvent) -> None:
        """The person hears the stream: from where it started to where it stopped or ended."""
        if event.kind == "AudioPlayer.PlaybackStarted":
            assert self.echo.player.current is not None
            self.listening = (self.echo.player.current, event.offset_ms)
            self.result.streams.append(event.token)
            return
        if event.kind not in ("AudioPlayer.PlaybackFinished", "AudioPlayer.PlaybackStopped"):
            return
        if self.listening is None or self.listening[0].token != event.token:
            return
        stream, from_ms = self.listening
        self.listening = None
        self.result.stream_s += max(0, event.offset_ms - from_ms) / 1000
        script = self.owner.scripts(stream.url)
        if script is None:
            self.result.unscripted_streams.add(stream.url)
            return
        text = script.text_between(from_ms / 1000, event.offset_ms / 1000)
        self.result.stream_texts.append(text)
        action = self.person.react(text)
        self.heard(action, word_count(text), self.echo.now)
        if action.finished and not self.result.reached_end:
            self.result.reached_end = True
            self.result.routine_ended_at = event.at

    def sync_player(self) -> None:
        """The context.AudioPlayer Alexa puts in every request."""
        device = self.client.device
        player = self.echo.player
        device.player_activity = player.activity
        device.player_token = player.current.token if player.current else None
        device.player_offset_ms = player.offset_ms(self.echo.now)


def routine_scenarios(
    routine_ids: list[str], feet: list[str], returning: list[bool]
) -> list[Scenario]:  # fmt: skip
    return [Scenario(r, f, ret) for r in routine_ids for f in feet for ret in returning]
