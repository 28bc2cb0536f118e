"""Run a routine on the simulated Echo with a simulated person, over the real skill.

The person (``heel_coach.simulator.person``) hears each response, works, and speaks; the
device model (``heel_coach.simulator.device``) decides when and whether those words reach the
skill; ``VoiceClient`` sends them as Alexa would, stamped with the simulated time. The result
holds the figures of issue 9: words before the first movement, the longest turn, timeouts,
sets done twice, whether the routine reached its end, and simulated versus announced time.
Used by the device conversation tests and ``heel-coach figures``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from heel_coach.catalogue.model import Catalogue, Focus, SpeakingRate
from heel_coach.console.client import Heard, VoiceClient
from heel_coach.console.envelopes import Device
from heel_coach.engine.speech_time import speech_seconds
from heel_coach.simulator.device import (
    ClipSeconds,
    EchoDevice,
    Reply,
    Route,
    SpeechTiming,
    Timeline,
    no_clips,
)
from heel_coach.simulator.person import REACTION_S, CueReader, Person, SetDone, Template, repeated_sets

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
    barge_in: BargeIn | None = None

    @property
    def label(self) -> str:
        user = "returning" if self.returning else "new"
        label = f"{self.routine_id}/{self.foot}/{user}" + ("/patient" if self.patient else "")
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
        echo = EchoDevice(patient=scenario.patient)
        device: Device = self.client.device
        device.end_session()
        device.clock = lambda: start + timedelta(seconds=echo.now)
        person = Person(
            self.catalogue,
            CueReader.from_templates(self.templates),
            scenario.routine_id,
            scenario.foot,
            scenario.focus,
            self.locale,
        )
        result = RunResult(scenario, self.locale)
        words_so_far = 0
        assert self.client.matcher is not None
        launch = person.language.person_says["launch"].format(
            invocation=self.client.matcher.model.invocation_name
        )
        say, wake, at = launch, True, 0.0
        barge = None if brisk else scenario.barge_in
        for _ in range(TURN_LIMIT):
            assert self.client.matcher is not None
            utterance = self.client.matcher.recognize_best(say)
            names_skill = utterance.kind == "launch" or utterance.new_session_phrase
            delivery = echo.hear(at, wake_word=wake, names_skill=names_skill, intent=utterance.intent_name)
            self._player_until(echo, delivery.at)
            if delivery.timed_out_at is not None:
                echo.advance(delivery.timed_out_at)
                self.client.end("EXCEEDED_MAX_REPROMPTS")
                result.timeouts += 1
                if result.timeouts >= GIVE_UP_AFTER:
                    break
            if delivery.route is Route.LOST:
                result.lost.append(say)
                say, wake = launch, True
                at = delivery.at + speech_seconds(say, self.rate) + REACTION_S
                continue
            echo.advance(delivery.at + speech_seconds(say, self.rate))
            self._sync_player(echo)
            if delivery.route is Route.PLAYER:
                assert utterance.intent_name is not None
                heard = self.client.intent(utterance.intent_name, new_session=True)
            else:
                heard = self.client.say(say)
            if heard.status != 200:
                raise RuntimeError(f"HTTP {heard.status} for {say!r}: {heard.body}")
            reply = Reply.from_body(heard.body, self.rate, self.clip_seconds)
            timeline = echo.play_reply(reply)
            result.unknown_clips.update(reply.speech.unknown_clips)
            result.turns.append(self._turn(say, reply, timeline))
            if barge is not None and person.introduces(reply.speech.text) == barge.exercise_id:
                # They hear the response up to the moment they speak (all of it, if it ended).
                partial = person.react(reply.speech.text_until(barge.at_s))
                result.performed.extend(partial.performed)
                finished = tuple(d for d in partial.performed if d.exercise_id == barge.exercise_id)
                result.barge = BargeOutcome(barge.at_s, reply.speech, finished, person.current)
                say, wake, at, barge = barge.words, True, timeline.start + barge.at_s, None
                continue
            action = person.react(reply.speech.text)
            result.performed.extend(action.performed)
            if result.barge is not None and result.barge.restarted is None:
                result.barge = result.barge.went_on(reply.speech.text, action.started)
            if action.announced_s is not None and result.announced_s is None:
                result.announced_s = action.announced_s
                result.routine_started_at = timeline.start
            if result.words_before_first_move is None:
                if action.first_move_words is not None:
                    result.words_before_first_move = words_so_far + action.first_move_words
                else:
                    words_so_far += reply.speech.words
            if action.finished:
                result.reached_end = True
                # To the end of its closing words: the announced length counts them too.
                result.routine_ended_at = timeline.speech_end
                if action.say is not None and echo.session_open:
                    echo.advance(timeline.speech_end + REACTION_S)
                    self.client.say(action.say)  # the effort answer: part of the day, not the routine
                break
            if action.say is None:
                break
            say, wake = action.say, not echo.session_open
            at = timeline.speech_end + (REACTION_S if brisk else action.after_s)
        if self.client.device.session_id:
            self.client.end()
        return result

    def _turn(self, said: str, reply: Reply, timeline: Timeline) -> Turn:
        speech = reply.speech
        return Turn(said, speech.text, speech.words, speech.seconds, speech.silence_s, timeline)

    # -- AudioPlayer: what the Echo reports while a stream plays ---------------------------------
    def _player_until(self, echo: EchoDevice, until: float) -> None:
        """Send the player events due before ``until``, in time order; apply any ENQUEUE."""
        while True:
            events = echo.player_events(until)
            finished = echo.finish_stream(until) if not events else None
            if finished is not None:
                events = [finished]
            if not events:
                return
            for event in events:
                echo.advance(event.at)
                self._sync_player(echo)
                heard = self.client.audio_event(event.kind, token=event.token, offset_ms=event.offset_ms)
                self._enqueue(echo, heard)

    def _enqueue(self, echo: EchoDevice, heard: Heard) -> None:
        reply = Reply.from_body(heard.body, self.rate, self.clip_seconds)
        if reply.play is not None:
            echo.enqueue(reply.play, reply.play_behavior or "ENQUEUE", echo.now)

    def _sync_player(self, echo: EchoDevice) -> None:
        """The context.AudioPlayer Alexa puts in every request."""
        device = self.client.device
        player = echo.player
        device.player_activity = player.activity
        device.player_token = player.current.token if player.current else None
        device.player_offset_ms = player.offset_ms(echo.now)


def routine_scenarios(
    routine_ids: list[str], feet: list[str], returning: list[bool]
) -> list[Scenario]:  # fmt: skip
    return [Scenario(r, f, ret) for r in routine_ids for f in feet for ret in returning]
