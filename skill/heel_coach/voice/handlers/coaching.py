"""Pain, mid-exercise questions, breaks, and answers given out of context.

``PainHandler`` is registered with the guards: "it hurts" means the same in every state,
during a question, a step, or continuous playback. ``OutOfContextAnswerHandler`` comes right
after the handlers of our own questions: a foot, focus or effort answer nobody asked for
(or a yes/no with no question open) changes nothing.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name
from ask_sdk_model import Response

from heel_coach.voice.features import coaching, playback, safety
from heel_coach.voice.handlers.base import intent_is, pending, respond, slot_id, turn_of
from heel_coach.voice.handlers.playback import player_offset
from heel_coach.voice.interceptors import library_of
from heel_coach.voice.state import Pending
from heel_coach.voice.tracks import TrackLibrary

_ANSWERS = {
    "ChooseFootIntent": Pending.FOOT,
    "ChooseFocusIntent": Pending.FOCUS,
    "EffortIntent": Pending.EFFORT,
}
"""Answers and the question they answer."""


def _playing(handler_input: HandlerInput) -> TrackLibrary | None:
    """The track library when continuous playback is active on this device, else None."""
    if not playback.supports_audio_player(handler_input) or not playback.is_active(turn_of(handler_input)):
        return None
    return library_of(handler_input)


class PainHandler(AbstractRequestHandler):
    """ "It hurts", in any state: stop, the seeds' rules and warning signs, then skip or stop."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "PainIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = safety.it_hurts(
            turn, turn.reply(), pending(handler_input), _playing(handler_input), player_offset(handler_input)
        )
        return respond(handler_input, reply)


class OutOfContextAnswerHandler(AbstractRequestHandler):
    """ "Left" or "hard" mid-exercise, "yes" with nothing asked: nothing changes.

    A foot or focus choice is taken as an answer to its question; when idle (no routine going,
    no other question open) it is still taken, as a preference. Effort ("that was hard") is
    taken except mid-exercise or at the foot or focus question. Yes and no are taken only while
    some question is open.
    """

    def can_handle(self, handler_input: HandlerInput) -> bool:
        question = pending(handler_input)
        if intent_is(handler_input, "AMAZON.YesIntent", "AMAZON.NoIntent"):
            return question is None
        if not intent_is(handler_input, *_ANSWERS):
            return False
        if question == _ANSWERS[str(get_intent_name(handler_input))]:
            return False
        busy = turn_of(handler_input).active_plan() is not None
        if intent_is(handler_input, "EffortIntent"):  # feedback is welcome, but not mid-exercise
            return question in (Pending.FOOT, Pending.FOCUS) or (
                busy and question in (None, Pending.CONTINUE)
            )
        return busy or question not in (None, Pending.ROUTINE)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        intent = str(get_intent_name(handler_input))
        return respond(
            handler_input, coaching.out_of_context(turn, turn.reply(), intent, pending(handler_input))
        )


class ExercisePurposeHandler(AbstractRequestHandler):
    """ "What is this for": why the current (or named) exercise is done, from the seeds."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "ExercisePurposeIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        exercise_id, heard = slot_id(handler_input, "Exercise")
        return respond(handler_input, coaching.purpose(turn, turn.reply(), exercise_id, heard))


class EquipmentHandler(AbstractRequestHandler):
    """ "What do I need": the current exercise's equipment, or a routine's before it starts."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "EquipmentIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        routine_id, _ = slot_id(handler_input, "Routine")
        return respond(handler_input, coaching.equipment(turn, turn.reply(), routine_id))


class WhichSideHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "WhichSideIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        return respond(handler_input, coaching.which_side(turn, turn.reply()))


class SetsLeftHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "SetsLeftIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        return respond(handler_input, coaching.sets_left(turn, turn.reply()))


LEAVING = {"BreakIntent": coaching.BREAK, "StopForNowIntent": coaching.STOP_FOR_NOW}


class LeaveHandler(AbstractRequestHandler):
    """ "Hang on" or "that's enough for today": pause with the place kept (playback too)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, *LEAVING)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        why = LEAVING[str(get_intent_name(handler_input))]
        reply = coaching.leave(turn, turn.reply(), why, _playing(handler_input), player_offset(handler_input))
        return respond(handler_input, reply)
