"""Continuous mode: AudioPlayer events, PlaybackController buttons, and the intents that start
or steer playback. Event responses carry directives only, never speech."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name
from ask_sdk_model import Response

from heel_coach.engine.machine import Command
from heel_coach.voice.features import playback, routine
from heel_coach.voice.handlers.base import intent_is, request_type, respond, slot_id, turn_of
from heel_coach.voice.interceptors import library_of
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
}


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


class AudioPlayerEventHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return request_type(handler_input) in AUDIO_EVENTS

    def handle(self, handler_input: HandlerInput) -> Response:
        request = handler_input.request_envelope.request
        kind = request_type(handler_input).split(".", 1)[1]
        turn = turn_of(handler_input)
        offset = int(getattr(request, "offset_in_milliseconds", 0) or 0)
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


class PlayRoutineHandler(AbstractRequestHandler):
    """ "Play my morning routine": continuous mode when the device and the audio allow it."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "PlayRoutineIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        routine_id, heard = slot_id(handler_input, "Routine")
        if routine_id is None or routine_id not in turn.catalogue.routines:
            foot_id, _ = slot_id(handler_input, "Foot")  # same questions as "start ..."
            return respond(
                handler_input, routine.start_or_offer(turn, turn.reply(), routine_id, heard, foot_id)
            )
        reply = playback.start(
            turn, library_of(handler_input), routine_id, turn.reply(),
            audio_player=supports_audio_player(handler_input),
        )  # fmt: skip
        return respond(handler_input, reply)


class KeepGoingHandler(AbstractRequestHandler):
    """ "Keep going" in step-by-step mode switches to continuous playback where it can."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not intent_is(handler_input, "KeepGoingIntent") or not supports_audio_player(handler_input):
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
    """Pause, resume, next, previous, start over, repeat, skip, stop while in continuous mode."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not intent_is(handler_input, *WHILE_PLAYING) or not supports_audio_player(handler_input):
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
