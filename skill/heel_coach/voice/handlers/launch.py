"""LaunchRequest: the disclaimer on first use, an offer to carry on, or a choice of routine."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from heel_coach.voice.features import progress, routine
from heel_coach.voice.handlers.base import request_type, respond, turn_of
from heel_coach.voice.state import Pending


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return request_type(handler_input) == "LaunchRequest"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        if not turn.user.disclaimer_given:
            from heel_coach.screens.requests import SafetyTopic, ShowSafety  # a first launch only

            turn.user.disclaimer_given = True
            reply.speech.sentence(turn.text("welcome.first", disclaimer=turn.speaker.safety().disclaimer))
            reply.shows.append(ShowSafety(SafetyTopic.DISCLAIMER))
            return respond(
                handler_input,
                turn.ask(reply, "welcome.first.question", "reprompt.choose_routine", Pending.ROUTINE),
            )
        if turn.active_plan() is not None:
            return respond(handler_input, routine.resume_prompt(turn, reply))
        reply.speech.sentence(turn.text("welcome.back"))
        progress.weekly_summary(handler_input, turn, reply)
        return respond(
            handler_input,
            turn.ask(reply, "welcome.back.question", "reprompt.choose_routine", Pending.ROUTINE),
        )
