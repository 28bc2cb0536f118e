"""Continuous mode: AudioPlayer events, PlaybackController buttons, and the intents that start,
steer or turn down playback. Event responses carry directives only, never speech."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name
from ask_sdk_model import Response

from heel_coach.engine.machine import Command
from heel_coach.voice.features import playback, routine
from heel_coach.voice.handlers.base import intent_is, pending, request_type, respond, slot_id, turn_of
from heel_coach.voice.interceptors import library_of
from heel_coach.voice.state import Pending, PlaybackChoice
from heel_coach.voice.tracks import Token

AUDIO_EVENTS = (
    "AudioPlayer.PlaybackStarted",
    "AudioPlayer.PlaybackNearlyFinished",
    "AudioPlayer.PlaybackFinished",
    "AudioPlayer.PlaybackStopped",
    "AudioPlayer.PlaybackFailed",
)
CONTROLLER = {
    "PlaybackController.PlayCommandIssued": Command.RESUME,
    "PlaybackController.PauseCommandIssued": Command.PAUSE,
    "PlaybackController.NextCommandIssued": Command.NEXT,
    "PlaybackController.PreviousCommandIssued": Command.PREVIOUS,
}
WHILE_PLAYING = {
    "AMAZON.PauseIntent": Command.PAUSE,
    "AMAZON.StopIntent": Command.PAUSE,
    "AMAZON.CancelIntent": Command.PAUSE,
    "AMAZON.ResumeIntent": Command.RESUME,
    "KeepGoingIntent": Command.RESUME,
    "AMAZON.NextIntent": Command.NEXT,
    "AMAZON.PreviousIntent": Command.PREVIOUS,
    "AMAZON.StartOverIntent": Command.START_OVER,
    "AMAZON.RepeatIntent": Command.REPEAT,
    "SkipExerciseIntent": Command.SKIP,
    "TimeLeftIntent": Command.REMAINING,
}


def player_offset(handler_input: HandlerInput) -> int | None:
    """Where the device's player is in our current track (from the request's context)."""
    player = getattr(handler_input.request_envelope.context, "audio_player", None)
    if player is None or Token.parse(player.token) is None:
        return None
    return int(player.offset_in_milliseconds or 0)


def event_offset(handler_input: HandlerInput) -> int | None:
    """Where in its track the event happened. PlaybackFailed has no offset of its own: the
    player's ``currentPlaybackState`` has it, when the player was in the failed track."""
    request = handler_input.request_envelope.request
    if request_type(handler_input) != "AudioPlayer.PlaybackFailed":
        return int(getattr(request, "offset_in_milliseconds", 0) or 0)
    current = getattr(request, "current_playback_state", None)
    if current is None or current.token != getattr(request, "token", None):
        return None
    return int(current.offset_in_milliseconds or 0)


class AudioPlayerEventHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return request_type(handler_input) in AUDIO_EVENTS

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        kind = request_type(handler_input).split(".", 1)[1]
        turn = turn_of(handler_input)
        offset = event_offset(handler_input)
        reply = playback.on_event(
            turn,
            library_of(handler_input),
            kind,
            getattr(request, "token", None),
            offset,
            turn.reply(),
        )
        return respond(handler_input, reply)


class PlaybackControllerHandler(AbstractRequestHandler):
    """Buttons on the device or the app: no speech allowed in the answer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return request_type(handler_input) in CONTROLLER

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        if playback.is_active(turn):
            reply = playback.command(
                turn, library_of(handler_input), CONTROLLER[request_type(handler_input)], reply,
                offset_ms=player_offset(handler_input), speak=False,
            )  # fmt: skip
        return respond(handler_input, reply)


class SystemExceptionHandler(AbstractRequestHandler):
    """Alexa tells us a response to an AudioPlayer request was invalid: nothing to say."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return request_type(handler_input) == "System.ExceptionEncountered"

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


class PlayThroughAnswerHandler(AbstractRequestHandler):
    """Yes or no to "I can play it through ... Shall I?" (the hands-free offer at the start of
    a routine); anything unrecognised asks again rather than dropping the routine the user
    just started."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return pending(handler_input) is Pending.PLAY_THROUGH and intent_is(
            handler_input, "AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.FallbackIntent"
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        if intent_is(handler_input, "AMAZON.FallbackIntent"):
            reply = turn.ask(
                turn.reply(), "playback.offer.reprompt", "playback.offer.reprompt", Pending.PLAY_THROUGH
            )
            return respond(handler_input, reply)
        yes = intent_is(handler_input, "AMAZON.YesIntent")
        reply = playback.answer_offer(turn, library_of(handler_input), yes, turn.reply())
        return respond(handler_input, reply)


class CarryOnHandler(AbstractRequestHandler):
    """Yes to "Shall I play on from where you stopped?" (the launch, or "start my routine",
    for a routine that was playing hands-free): playback goes on from the kept offset, as
    "resume" does. Before ``dialog.YesHandler``, which carries on step by step."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if pending(handler_input) is not Pending.RESUME or not intent_is(handler_input, "AMAZON.YesIntent"):
            return False
        turn = turn_of(handler_input)
        return (
            playback.supports_audio_player(handler_input)
            and library_of(handler_input).enabled
            and turn.active_plan() is not None
            and playback.is_active(turn)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = playback.command(
            turn, library_of(handler_input), Command.RESUME, turn.reply(), offset_ms=None, speak=True
        )
        return respond(handler_input, reply)


class StepByStepHandler(AbstractRequestHandler):
    """ "Step by step", "one step at a time": the user's choice from now on, playing or not."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "StepByStepIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        return respond(handler_input, playback.step_by_step(turn, library_of(handler_input), turn.reply()))


class PlayRoutineHandler(AbstractRequestHandler):
    """ "Play my morning routine", "hands free": continuous mode when the device and the audio
    allow it, remembered as the user's choice."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "PlayRoutineIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        library, audio_player = library_of(handler_input), playback.supports_audio_player(handler_input)
        if pending(handler_input) is Pending.PLAY_THROUGH:  # "play it" answers the offer
            return respond(handler_input, playback.answer_offer(turn, library, True, turn.reply()))
        routine_id, heard = slot_id(handler_input, "Routine")
        if routine_id is None or routine_id not in turn.catalogue.routines:
            if heard is None and audio_player and library.enabled and turn.active_plan() is not None:
                if not playback.is_active(turn):  # "hands free" mid-routine: play on from here
                    return respond(handler_input, playback.play_from_here(turn, library, turn.reply()))
            reply = turn.reply()
            if heard is None and audio_player:
                playback.choose(turn, PlaybackChoice.HANDS_FREE)
            elif heard is None:  # "hands free" on a device that cannot play long audio
                reply.speech.sentence(turn.text("playback.no_audio_player"))
            foot_id, _ = slot_id(handler_input, "Foot")  # same questions as "start ..."
            return respond(handler_input, routine.start_or_offer(turn, reply, routine_id, heard, foot_id))
        reply = playback.start(
            turn, library_of(handler_input), routine_id, turn.reply(),
            audio_player=playback.supports_audio_player(handler_input),
        )  # fmt: skip
        return respond(handler_input, reply)


class KeepGoingHandler(AbstractRequestHandler):
    """ "Keep going" in step-by-step mode switches to continuous playback where it can."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not intent_is(handler_input, "KeepGoingIntent") or not playback.supports_audio_player(
            handler_input
        ):
            return False
        turn = turn_of(handler_input)
        return (
            library_of(handler_input).enabled
            and turn.active_plan() is not None
            and not playback.is_active(turn)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = playback.keep_going(turn, library_of(handler_input), turn.reply())
        return respond(handler_input, reply)


class WhilePlayingHandler(AbstractRequestHandler):
    """Pause, resume, next, previous, start over, repeat, skip, stop, how long is left while in
    continuous mode."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not intent_is(handler_input, *WHILE_PLAYING) or not playback.supports_audio_player(handler_input):
            return False
        return playback.is_active(turn_of(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        cmd = WHILE_PLAYING[str(get_intent_name(handler_input))]
        reply = playback.command(
            turn, library_of(handler_input), cmd, turn.reply(),
            offset_ms=player_offset(handler_input), speak=True,
        )  # fmt: skip
        return respond(handler_input, reply)
