"""Safety information on request: red flags (seed 002) and massage contraindications (seed 003)."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from heel_coach.screens.requests import SafetyTopic, ShowSafety
from heel_coach.voice.features import safety
from heel_coach.voice.handlers.base import intent_is, respond, turn_of
from heel_coach.voice.speech import Reply
from heel_coach.voice.state import Pending
from heel_coach.voice.turn import Turn


class RedFlagsHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "RedFlagsIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        reply.speech.sentence(turn.speaker.red_flags())
        reply.speech.sentence(turn.speaker.safety().disclaimer)
        reply.shows.append(ShowSafety(SafetyTopic.WARNING_SIGNS))
        return respond(handler_input, _follow_up(turn, reply))


class MassageSafetyHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "MassageSafetyIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        reply.speech.paragraph(turn.speaker.contraindications_full())
        reply.shows.append(ShowSafety(SafetyTopic.CONTRAINDICATIONS))
        turn.user.contraindications_given = True
        response = respond(handler_input, _follow_up(turn, reply))
        handler_input.response_builder.set_card(SimpleCard(*safety.massage_card(turn)))
        return response


def _follow_up(turn: Turn, reply: Reply) -> Reply:
    """After safety information, offer to carry on the routine (or choose one)."""
    if turn.active_plan() is not None and turn.user.routine is not None:
        return turn.ask(
            reply,
            "safety.question",
            "reprompt.resume",
            Pending.CONTINUE,
            routine=turn.speaker.routine_name(turn.catalogue.routine(turn.user.routine.routine_id)),
        )
    return turn.ask(reply, "help.idle.question", "reprompt.choose_routine", Pending.ROUTINE)
