"""Continuous mode: AudioPlayer events, PlaybackController buttons, and the intents that start
or steer playback. Event responses carry directives only, never speech."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name
from ask_sdk_model import Response

from heel_coach.engine.machine import Command
from heel_coach.voice import playback
from heel_coach.voice.handlers.base import intent_is, request_type, respond, slot_id, turn_of

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
            playback.library_of(handler_input),
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
                turn, playback.library_of(handler_input), CONTROLLER[request_type(handler_input)], reply,
                offset_ms=playback.player_offset(handler_input), speak=False,
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
        from heel_coach.voice.handlers.routine import StartRoutineHandler

        turn = turn_of(handler_input)
        routine_id, _ = slot_id(handler_input, "Routine")
        if routine_id is None or routine_id not in turn.catalogue.routines:
            return StartRoutineHandler().handle(handler_input)  # same questions as "start ..."
        reply = playback.start(
            turn, playback.library_of(handler_input), routine_id, turn.reply(),
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
            playback.library_of(handler_input).enabled
            and turn.active_plan() is not None
            and not playback.is_active(turn)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = playback.keep_going(turn, playback.library_of(handler_input), turn.reply())
        return respond(handler_input, reply)


class WhilePlayingHandler(AbstractRequestHandler):
    """Pause, resume, next, previous, start over, repeat, skip, stop while in continuous mode."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not intent_is(handler_input, *WHILE_PLAYING) or not playback.supports_audio_player(handler_input):
            return False
        return playback.is_active(turn_of(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        cmd = WHILE_PLAYING[str(get_intent_name(handler_input))]
        reply = playback.command(
            turn, playback.library_of(handler_input), cmd, turn.reply(),
            offset_ms=playback.player_offset(handler_input), speak=True,
        )  # fmt: skip
        return respond(handler_input, reply)
