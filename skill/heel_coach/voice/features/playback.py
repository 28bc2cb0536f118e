"""Continuous playback: a routine played as a queue of AudioPlayer tracks, one per engine Step.

The engine still decides where the user is (``machine.apply``); this module only turns its
state into Play/Stop directives and AudioPlayer events back into engine commands. AudioPlayer
requests have no session, so everything lives in the persisted user data: the routine state
(position, ``offset_ms``) and ``user.playback``, a snapshot of the state playback last
wrote. Continuous mode is on while that snapshot equals the stored state: any step-by-step
command changes the state and so switches it off without anyone having to remember to.

Which track a step has, and its token, is ``heel_coach.voice.tracks``'s business.

Hands-free is the default path where it can work: ``before_start`` runs at the start of every
routine (``Turn.before_start``, set per request by ``HandsFreeInterceptor`` below)
and offers playback once; the answer is ``user.playback_prefs.choice``. When audio keeps
failing we give up, owe the user one sentence (``Notice.AUDIO_FAILED``, said by the next
response that may speak) and the routine carries on step by step from the same place.

The end: AudioPlayer events cannot speak, so the closing words are a track of their own
(``tracks.closing_track``), enqueued after the last step's track with the count of exercises
done. The routine is recorded when the last step's track finishes (its exercises are done);
the record stays on while the closing words play, so "Alexa, pause" or "stop" still stops
them, and is dropped when they end.

Coming back: a routine paused while playing is offered again at launch with a question that
says what "yes" does (``resume_question``): play on from the kept offset where this device
can, step by step where it cannot.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

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

from heel_coach.catalogue.model import Focus, Foot
from heel_coach.voice.features import routine as routine_feature
from heel_coach.voice.speech import Reply
from heel_coach.voice.state import Notice, Pending, PlaybackChoice, PlaybackPrefs, PlaybackRecord
from heel_coach.voice.tracks import Token, TrackLibrary, TrackRef, TrackVoice, track_voice
from heel_coach.voice.turn import TURN, Turn

# The engine, progress statistics and screen requests are imported where they are used, so a
# launch loads only what it needs (Lambda cold start: benchmarks/RESULTS.md, figure 7).
if TYPE_CHECKING:
    from heel_coach.engine import machine
    from heel_coach.engine.machine import Command, Transition
    from heel_coach.engine.plan import Plan
    from heel_coach.engine.state import RoutineState

MAX_FAILED_RETRIES = 2
"""PlaybackFailed re-plays the failed track (from where it failed) this many times, then we give
up on audio. Two retries ride out a dropped connection or a CDN hiccup (the usual
MEDIA_ERROR_SERVICE_UNAVAILABLE); a third failure of the same track is almost always a file
that is missing or broken, and every attempt is seconds of silence for someone standing
mid-exercise, so step-by-step coaching serves them better. The count is per track: it
restarts only when another step starts, so a track that fails at the same point every time
cannot loop forever."""


def _voice(turn: Turn, library: TrackLibrary) -> TrackVoice:
    """This user's wording of continuous mode; its ``seconds`` is every length continuous mode
    announces (at the start, "how long is left", the recorded routine): the rendered tracks'
    own lengths where the manifest knows them, so each is what the device will play."""
    return track_voice(
        turn.speaker,
        turn.user.exercises.familiar(),
        library.durations(turn.speaker.locale),
        safety_due=not turn.user.contraindications_given,
    )


def _track(turn: Turn, library: TrackLibrary, plan: Plan, index: int) -> TrackRef | None:
    """Step ``index``'s track in this user's wording (the short form of familiar exercises)."""
    return library.track(turn.speaker, plan, index, turn.user.exercises.familiar())


# -- the continuous-mode record -------------------------------------------------------------


def is_active(turn: Turn) -> bool:
    record = turn.user.playback
    return record is not None and turn.user.routine is not None and record.state == turn.user.routine


def _remember(turn: Turn, failures: int = 0) -> None:
    assert turn.user.routine is not None
    turn.user.playback = PlaybackRecord(turn.user.routine, failures)


def _forget(turn: Turn) -> None:
    turn.user.playback = None


def _failures(turn: Turn) -> int:
    return turn.user.playback.failures if turn.user.playback is not None else 0


def _prefs(turn: Turn) -> PlaybackPrefs:
    if turn.user.playback_prefs is None:
        turn.user.playback_prefs = PlaybackPrefs()
    return turn.user.playback_prefs


def choice(turn: Turn) -> PlaybackChoice | None:
    return turn.user.playback_prefs.choice if turn.user.playback_prefs is not None else None


def choose(turn: Turn, chosen: PlaybackChoice) -> None:
    _prefs(turn).choice = chosen


def _give_up(turn: Turn) -> None:
    """Stop treating the routine as played; the place is kept and the user is told later."""
    _forget(turn)
    _prefs(turn).notice = Notice.AUDIO_FAILED


def owed_notice(turn: Turn, reply: Reply) -> str | None:
    """The sentence we owe, once, for a response that may speak (Launch or Intent requests).

    Dropped unsaid when this very reply starts audio again: "the audio didn't play" would be
    false by the time the user hears it.
    """
    prefs = turn.user.playback_prefs
    if prefs is None or prefs.notice is None:
        return None
    prefs.notice = None
    if any(isinstance(d, PlayDirective) for d in reply.directives):
        return None
    return turn.text("playback.gave_up")


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
    from heel_coach.screens.requests import ShowTrack

    state = turn.user.routine
    assert state is not None
    ref = _track(turn, library, plan, state.position)
    if ref is None:
        return False
    reply.directives.append(
        play(ref, PlayBehavior.REPLACE_ALL, offset_ms, title=_title(turn, plan, state.position))
    )
    reply.shows.append(ShowTrack(state.position, max(0, min(offset_ms, ref.duration_ms))))
    _remember(turn)
    return True


def _massage_notice(turn: Turn, plan: Plan, reply: Reply) -> None:
    """Tracks never carry the once-per-user massage contraindications: say them up front
    (``TrackVoice.up_front``, which the announced length counts)."""
    state = turn.user.routine
    start = state.position if state is not None else 0
    voice = track_voice(turn.speaker, safety_due=not turn.user.contraindications_given)
    for sentence in voice.up_front(plan, start):
        reply.speech.paragraph(sentence)
        turn.user.contraindications_given = True


# -- starting --------------------------------------------------------------------------------


def start(turn: Turn, library: TrackLibrary, routine_id: str, reply: Reply, *, audio_player: bool) -> Reply:
    """ "Play my morning routine": the first track, or step-by-step with one sentence why not."""

    turn.session.pending = None
    if not audio_player:
        reply.speech.sentence(turn.text("playback.no_audio_player"))
        return routine_feature.start_routine(turn, routine_id, reply)
    choose(turn, PlaybackChoice.HANDS_FREE)
    foot, focus = turn.user.foot or Foot.BOTH, turn.user.focus or Focus.SOLE
    plan = turn.plans.get(routine_id, foot, focus)
    if _track(turn, library, plan, 0) is None:
        reply.speech.sentence(turn.text("playback.unavailable"))
        return routine_feature.start_routine(turn, routine_id, reply)
    return _play_from_start(turn, library, plan, reply)


def _play_from_start(
    turn: Turn, library: TrackLibrary, plan: Plan, reply: Reply, *, offered: bool = False
) -> Reply:
    """The routine's opening as continuous mode says it (name, length, equipment, how to
    pause: ``TrackVoice``), the massage warning when due, then the first track. Right after
    the offer (``offered``), which named nothing new but has just said how to pause, only the
    length is said before the equipment: the words before the first movement stay few."""
    from heel_coach.engine import machine
    from heel_coach.engine.timing import Cue, routine_head

    turn.session.pending = None
    turn.session.routine = None
    turn.user.routine = machine.start(plan).state
    voice = _voice(turn, library)
    if offered:
        voice.start_key = "playback.start.offered"
    for cue in routine_head(plan):
        assert isinstance(cue, Cue)  # the opening is words only
        if cue.key == "routine.ready" and offered:
            continue
        for sentence in voice.sentences(cue, plan):
            reply.speech.sentence(sentence)
    _massage_notice(turn, plan, reply)
    _play_current(turn, library, plan, reply)
    reply.end_session = True
    return reply


def before_start(
    library: TrackLibrary, audio_player: bool, turn: Turn, plan: Plan, reply: Reply
) -> Reply | None:
    """At the start of any routine: offer hands-free once, then do what the user chose.

    None (step mode) without AudioPlayer, without the routine's audio, or by choice.
    """
    if not audio_player or _track(turn, library, plan, 0) is None:
        return None
    chosen = choice(turn)
    if chosen is PlaybackChoice.STEP:
        return None
    if chosen is None:
        turn.session.routine = plan.routine_id
        return turn.ask(reply, "playback.offer", "playback.offer.reprompt", Pending.PLAY_THROUGH)
    return _play_from_start(turn, library, plan, reply)


def resume_question(library: TrackLibrary, audio_player: bool, turn: Turn) -> str | None:
    """``Turn.resume_question``: the prompt key of "Shall we carry on?" for a routine that was
    playing hands-free when it stopped, saying what "yes" will do; None for step mode's own.

    On this device with its track rendered, yes plays on from the kept offset
    (``CarryOnHandler``); on a device without AudioPlayer it coaches step by step."""
    plan, state = turn.active_plan(), turn.user.routine
    if plan is None or state is None or not is_active(turn):
        return None
    if not audio_player:
        return "welcome.resume.question.steps"
    if _track(turn, library, plan, state.position) is not None:
        return "welcome.resume.question.play"
    return None


def answer_offer(turn: Turn, library: TrackLibrary, hands_free: bool, reply: Reply) -> Reply:
    """Yes / no (or "play it" / "step by step") to the hands-free offer: remembered for good."""
    routine_id = turn.session.routine
    turn.session.pending = None
    choose(turn, PlaybackChoice.HANDS_FREE if hands_free else PlaybackChoice.STEP)
    if routine_id is None or routine_id not in turn.catalogue.routines:
        return routine_feature.list_routines(turn, reply)
    if not hands_free:
        reply.speech.sentence(turn.text("playback.step_chosen"))
    elif turn.before_start is not None:
        turn.before_start = partial(_play_after_offer, library)
    # The hook now finds the choice made: it plays (hands-free) or lets step mode start.
    return routine_feature.start_routine(turn, routine_id, reply)


def _play_after_offer(library: TrackLibrary, turn: Turn, plan: Plan, reply: Reply) -> Reply | None:
    """Yes to the offer: play, without repeating what the person has just heard."""
    if _track(turn, library, plan, 0) is None:
        return None
    return _play_from_start(turn, library, plan, reply, offered=True)


def play_from_here(turn: Turn, library: TrackLibrary, reply: Reply) -> Reply:
    """ "Hands free" during a step-by-step routine: play on from the current step."""
    from heel_coach.engine.machine import Command

    choose(turn, PlaybackChoice.HANDS_FREE)
    plan, state = turn.active_plan(), turn.user.routine
    assert plan is not None and state is not None
    turn.session.pending = None
    if _track(turn, library, plan, state.position) is None:
        reply.speech.sentence(turn.text("playback.unavailable"))
        return routine_feature.navigate(turn, Command.RESUME, reply)
    turn.user.routine = replace(state, paused=False, offset_ms=0)
    return _carry_on_playing(turn, library, plan, reply)


def step_by_step(turn: Turn, library: TrackLibrary, reply: Reply) -> Reply:
    """ "Step by step": remembered; stops playback and coaches on from the same step."""
    from heel_coach.engine.machine import Command

    if turn.session.pending is Pending.PLAY_THROUGH:
        return answer_offer(turn, library, False, reply)
    choose(turn, PlaybackChoice.STEP)
    turn.session.pending = None
    reply.speech.sentence(turn.text("playback.step_chosen"))
    if is_active(turn):
        _forget(turn)
        reply.directives.append(StopDirective())
        return routine_feature.navigate(turn, Command.RESUME, reply)
    if turn.active_plan() is not None:
        return routine_feature.resume_prompt(turn, reply)
    return turn.ask(reply, "welcome.back.question", "reprompt.choose_routine", Pending.ROUTINE)


def keep_going(turn: Turn, library: TrackLibrary, reply: Reply) -> Reply:
    """ "Keep going" in step mode: move on and play the rest; step mode if it is not rendered."""
    from heel_coach.engine import machine
    from heel_coach.engine.machine import Command

    plan, state = turn.active_plan(), turn.user.routine
    if plan is None or state is None or _track(turn, library, plan, state.position + 1) is None:
        return routine_feature.navigate(turn, Command.NEXT, reply)
    turn.session.pending = None
    turn.user.routine = machine.apply(state, plan, Command.NEXT).state
    return _carry_on_playing(turn, library, plan, reply)


def _carry_on_playing(turn: Turn, library: TrackLibrary, plan: Plan, reply: Reply) -> Reply:
    """Step mode hands over to playback at the current step (already checked to be rendered)."""
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
    """Pause / resume / next / previous / skip / start over / repeat / how long is left during
    continuous mode.

    ``speak`` is False for PlaybackController requests, whose responses carry no speech.
    """
    from heel_coach.engine import machine
    from heel_coach.engine.machine import Command

    plan, state = turn.plan(), turn.user.routine
    if plan is None or state is None:
        _forget(turn)
        return reply
    turn.session.pending = None
    if cmd is Command.REMAINING:
        return _time_left(turn, library, plan, reply, offset_ms)
    if state.finished(plan) and cmd not in (Command.PAUSE, Command.START_OVER):
        return _closing_command(turn, library, plan, cmd, reply, speak=speak)
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
        return _finish(turn, library, plan, transition, reply, speak=speak)
    if _play_current(turn, library, plan, reply, offset):
        if speak:
            reply.end_session = True
        return reply
    # The track vanished (re-render, text change): carry on step by step, and say why.
    _give_up(turn)
    if speak:
        notice = owed_notice(turn, reply)
        if notice:
            reply.speech.sentence(notice)
        return turn.speaker.render(transition.events, plan, reply, turn.voice(safety=False))
    return reply


def _time_left(turn: Turn, library: TrackLibrary, plan: Plan, reply: Reply, offset_ms: int | None) -> Reply:
    """ "How long is left" during continuous mode: the tracks still to play, by their rendered
    lengths (what the start announced), less what has played of the current one. Then the
    stream plays on from where the question stopped it; a paused routine stays paused."""
    from heel_coach.engine import machine
    from heel_coach.engine.machine import Command

    state = turn.user.routine
    assert state is not None
    offset = state.offset_ms if offset_ms is None else offset_ms
    left = machine.apply(state, plan, Command.REMAINING).events[-1]
    assert isinstance(left, machine.Remaining)
    seconds = _voice(turn, library).seconds(plan, left.position, head=False) - offset / 1000
    reply.speech.sentence(turn.speaker.remaining(left, max(0.0, seconds)))
    turn.user.routine = replace(state, offset_ms=offset)
    if state.paused:
        _remember(turn, _failures(turn))
        reply.end_session = True
        return reply
    return command(turn, library, Command.RESUME, reply, offset_ms=offset, speak=True)


def _finish(
    turn: Turn, library: TrackLibrary, plan: Plan, transition: Transition, reply: Reply, *, speak: bool
) -> Reply:
    """ "Next" past the last step: recorded exactly as in step mode (``turn.outcome.finished``),
    then the closing track plays (or, not rendered, step mode's closing words where we may
    speak)."""
    finished = _record_finish(turn, library, plan, transition)
    closing = library.closing(turn.speaker, plan, len(finished.exercises_done))
    if closing is not None:
        reply.directives.append(play(closing, PlayBehavior.REPLACE_ALL, title=_routine_title(turn, plan)))
        _remember(turn)
        if speak:
            reply.end_session = True
        return reply
    _forget(turn)
    reply.directives.append(StopDirective())
    if speak:
        return turn.speaker.render(transition.events, plan, reply, turn.voice(safety=False))
    return reply


def _record_finish(
    turn: Turn, library: TrackLibrary, plan: Plan, transition: Transition
) -> machine.RoutineFinished:
    """The routine is recorded as played continuously, with the length continuous mode
    announced for it (not step mode's: the tracks play without waiting for "next")."""
    from heel_coach.engine import machine

    finished = next(e for e in transition.events if isinstance(e, machine.RoutineFinished))
    turn.outcome.finished = finished
    turn.outcome.mode = "continuous"
    turn.outcome.planned_s = _voice(turn, library).seconds(plan)
    return finished


def _closing_command(
    turn: Turn, library: TrackLibrary, plan: Plan, cmd: Command, reply: Reply, *, speak: bool
) -> Reply:
    """A command while the closing words play, or after they stopped: the routine is over and
    recorded. Resume and repeat say them again (resume from where they stopped); anything
    else stops them and leaves continuous mode."""
    from heel_coach.engine.machine import Command

    state = turn.user.routine
    assert state is not None
    closing = _closing_after(turn, library, plan, state)
    if cmd in (Command.RESUME, Command.REPEAT) and closing is not None:
        offset = state.offset_ms if cmd is Command.RESUME else 0
        turn.user.routine = replace(state, paused=False, offset_ms=offset)
        reply.directives.append(
            play(closing, PlayBehavior.REPLACE_ALL, offset, title=_routine_title(turn, plan))
        )
        _remember(turn)
    else:
        _forget(turn)
        reply.directives.append(StopDirective())
    if speak:
        reply.end_session = True
    return reply


def _routine_title(turn: Turn, plan: Plan) -> str:
    return turn.speaker.routine_name(turn.catalogue.routine(plan.routine_id))


def _following(turn: Turn, library: TrackLibrary, plan: Plan, step: int) -> tuple[TrackRef, str] | None:
    """The track to enqueue after step ``step``'s (and its title): the next step's, or after
    the last step the closing words for the exercises done by then."""
    if step + 1 < len(plan.steps):
        ref = _track(turn, library, plan, step + 1)
        return None if ref is None else (ref, _title(turn, plan, step + 1))
    state = turn.user.routine
    if step + 1 != len(plan.steps) or state is None:
        return None
    at_last = state if state.position == step else state.moved_to(step)
    ref = _closing_after(turn, library, plan, at_last)
    return None if ref is None else (ref, _routine_title(turn, plan))


def _closing_after(turn: Turn, library: TrackLibrary, plan: Plan, state: RoutineState) -> TrackRef | None:
    """The closing track for the exercises done once ``state``'s step is finished (for a
    finished routine: its own summary); None when that does not end the routine or the track
    is not rendered."""
    from heel_coach.engine import machine
    from heel_coach.engine.machine import Command

    finished = machine.apply(state, plan, Command.NEXT).events[-1]
    if not isinstance(finished, machine.RoutineFinished):
        return None
    return library.closing(turn.speaker, plan, len(finished.exercises_done))


# -- AudioPlayer events ------------------------------------------------------------------------


def on_event(
    turn: Turn, library: TrackLibrary, kind: str, raw_token: Any, offset_ms: int | None, reply: Reply
) -> Reply:
    """Started / NearlyFinished / Finished / Stopped / Failed for one of our tracks.

    ``offset_ms`` is where the event happened in the track; for PlaybackFailed it is the
    failed request's ``currentPlaybackState`` offset, None when the player was not in that track.
    """
    from heel_coach.engine import machine
    from heel_coach.engine.machine import Command

    token = Token.parse(raw_token)
    plan, state = turn.plan(), turn.user.routine
    if token is None or plan is None or state is None or not is_active(turn):
        return reply
    if (token.routine_id, token.foot, token.focus) != (state.routine_id, state.foot, state.focus):
        return reply
    offset = offset_ms or 0
    if kind == "PlaybackStarted":
        same_track = token.step == state.position
        if token.step == state.position + 1 and not state.finished(plan):
            transition = machine.apply(state, plan, Command.NEXT)  # the queue moved on
            if any(isinstance(e, machine.RoutineFinished) for e in transition.events):
                _record_finish(
                    turn, library, plan, transition
                )  # the closing words began before Finished came
            state = transition.state
        elif not same_track:
            state = state.moved_to(token.step)
        turn.user.routine = replace(state, offset_ms=offset, paused=False)
        _remember(turn, _failures(turn) if same_track else 0)
    elif kind == "PlaybackNearlyFinished":
        following = _following(turn, library, plan, token.step)
        if following is not None:
            ref, title = following
            reply.directives.append(play(ref, PlayBehavior.ENQUEUE, 0, previous=str(raw_token), title=title))
    elif kind == "PlaybackFinished":
        if token.step == state.position and not state.finished(plan):
            transition = machine.apply(state, plan, Command.NEXT)
            turn.user.routine = transition.state
            if any(isinstance(e, machine.RoutineFinished) for e in transition.events):
                # The exercises are done: recorded now, whatever happens to the closing words.
                finished = _record_finish(turn, library, plan, transition)
                if library.closing(turn.speaker, plan, len(finished.exercises_done)) is None:
                    _forget(turn)
                else:
                    _remember(turn)  # the closing words play on (enqueued at NearlyFinished)
            elif _track(turn, library, plan, transition.state.position) is None:
                _give_up(turn)  # nothing was enqueued: the player falls silent here
            else:
                _remember(turn)
        elif state.finished(plan) and token.step == len(plan.steps):
            _forget(turn)  # the closing words ended: continuous mode is over
    elif kind == "PlaybackStopped":
        if token.step == state.position:
            turn.user.routine = replace(state, offset_ms=offset)
            _remember(turn, _failures(turn))
    elif kind == "PlaybackFailed":
        if state.finished(plan):
            _forget(turn)  # the closing words: the routine is recorded, nothing to coach
        else:
            _retry(turn, library, plan, token, offset_ms, reply)
    return reply


def _retry(
    turn: Turn, library: TrackLibrary, plan: Plan, token: Token, offset_ms: int | None, reply: Reply
) -> None:
    """Play the failed track again from where it failed, or give up after MAX_FAILED_RETRIES."""
    state = turn.user.routine
    assert state is not None
    if token.step != state.position:  # the enqueued track failed as it was about to start
        state = state.moved_to(token.step)
        failures = 1
    else:
        failures = _failures(turn) + 1
    at = offset_ms if offset_ms is not None else state.offset_ms
    turn.user.routine = replace(state, offset_ms=at, paused=False)
    if failures > MAX_FAILED_RETRIES or not _play_current(turn, library, plan, reply, at):
        _give_up(turn)
        return
    _remember(turn, failures)


# -- the request's hooks ---------------------------------------------------------------------


def supports_audio_player(handler_input: HandlerInput) -> bool:
    context = handler_input.request_envelope.context
    system = context.system if context is not None else None
    device = system.device if system is not None else None
    interfaces = device.supported_interfaces if device is not None else None
    return interfaces is not None and interfaces.audio_player is not None


class HandsFreeInterceptor(AbstractRequestInterceptor):
    """Gives the routine feature its hooks where audio is published: at the start of a routine
    the hands-free offer or playback (devices with AudioPlayer; the feature also checks the
    routine's audio is rendered), and the question offering to carry on a routine that was
    playing (on any device: it says whether yes plays on or goes step by step)."""

    def __init__(self, library: TrackLibrary) -> None:
        self.library = library

    def process(self, handler_input: HandlerInput) -> None:
        turn = handler_input.attributes_manager.request_attributes.get(TURN)
        if not isinstance(turn, Turn) or not self.library.enabled:
            return
        audio_player = supports_audio_player(handler_input)
        turn.resume_question = partial(resume_question, self.library, audio_player)
        if audio_player:
            turn.before_start = partial(before_start, self.library, True)
