"""Routine intents: start, list, describe, move through, and how much is left."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name
from ask_sdk_model import Response

from heel_coach.engine.machine import Command
from heel_coach.voice.features import progress, routine
from heel_coach.voice.handlers.base import intent_is, respond, slot_id, turn_of

NAVIGATION = {
    "AMAZON.NextIntent": Command.NEXT,
    "KeepGoingIntent": Command.NEXT,
    "AMAZON.PreviousIntent": Command.PREVIOUS,
    "AMAZON.RepeatIntent": Command.REPEAT,
    "SkipExerciseIntent": Command.SKIP,
    "AMAZON.StartOverIntent": Command.START_OVER,
    "AMAZON.PauseIntent": Command.PAUSE,
    "AMAZON.ResumeIntent": Command.RESUME,
    "TimeLeftIntent": Command.REMAINING,
}


class StartRoutineHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "StartRoutineIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        routine_id, heard = slot_id(handler_input, "Routine")
        foot_id, _ = slot_id(handler_input, "Foot")
        return respond(handler_input, routine.start_or_offer(turn, turn.reply(), routine_id, heard, foot_id))


class ListRoutinesHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "ListRoutinesIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        return respond(handler_input, routine.list_routines(turn, turn.reply()))


class DescribeExerciseHandler(AbstractRequestHandler):
    """Describe a named exercise, or the current one; never starts timing."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "DescribeExerciseIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        exercise_id, heard = slot_id(handler_input, "Exercise")
        return respond(handler_input, routine.describe_exercise(turn, turn.reply(), exercise_id, heard))


class NavigationHandler(AbstractRequestHandler):
    """Next, keep going, previous, repeat, skip, start over, pause, resume, how long is left."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, *NAVIGATION)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = routine.navigate(turn, NAVIGATION[str(get_intent_name(handler_input))])
        # After a strengthening routine, ask about effort (never symptoms) to offer progressions.
        return respond(handler_input, progress.effort_offer(turn, reply))
