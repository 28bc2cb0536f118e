"""Answers to our own questions: which foot, which focus, yes/no to carrying on.

These come first among intent handlers because "left" or "yes" only mean something in the
light of the question we just asked (kept in session attributes, read without I/O).
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from heel_coach.catalogue.model import Focus
from heel_coach.engine.machine import Command
from heel_coach.engine.plan import Foot
from heel_coach.voice.features import routine
from heel_coach.voice.handlers.base import intent_is, pending, respond, slot_id, turn_of
from heel_coach.voice.state import Pending


class ChooseFootHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "ChooseFootIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        foot_id, _ = slot_id(handler_input, "Foot")
        if foot_id is None:
            return respond(handler_input, turn.ask(reply, "ask.foot", "reprompt.foot", Pending.FOOT))
        routine.set_foot(turn, Foot(foot_id))
        return respond(handler_input, routine.continue_after_choice(turn, reply))


class ChooseFocusHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "ChooseFocusIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        focus_id, _ = slot_id(handler_input, "Focus")
        if focus_id is None:
            return respond(handler_input, turn.ask(reply, "ask.focus", "reprompt.focus", Pending.FOCUS))
        routine.set_focus(turn, Focus(focus_id))
        return respond(handler_input, routine.continue_after_choice(turn, reply))


class PendingQuestionRepromptHandler(AbstractRequestHandler):
    """Anything but an answer while we wait for foot/focus: ask again (stop/help still work)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return pending(handler_input) in (Pending.FOOT, Pending.FOCUS) and intent_is(
            handler_input, "AMAZON.FallbackIntent", "AMAZON.YesIntent", "AMAZON.NoIntent"
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        if pending(handler_input) == Pending.FOOT:
            return respond(handler_input, turn.ask(reply, "ask.foot", "reprompt.foot", Pending.FOOT))
        return respond(handler_input, turn.ask(reply, "ask.focus", "reprompt.focus", Pending.FOCUS))


class YesHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "AMAZON.YesIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        if turn.active_plan() is not None:  # a routine under way: yes carries it on
            return respond(handler_input, routine.navigate(turn, Command.RESUME))
        reply = turn.reply()
        reply.speech.sentence(turn.speaker.routine_list(turn.routine_seconds))
        return respond(
            handler_input,
            turn.ask(reply, "routines.list.question", "reprompt.choose_routine", Pending.ROUTINE),
        )


class NoHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "AMAZON.NoIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        if pending(handler_input) == Pending.RESUME:
            reply.speech.sentence(turn.text("no.ok"))
            reply.speech.sentence(turn.speaker.routine_list(turn.routine_seconds))
            return respond(
                handler_input,
                turn.ask(reply, "routines.list.question", "reprompt.choose_routine", Pending.ROUTINE),
            )
        reply.speech.sentence(turn.text("goodbye"))
        reply.end_session = True
        return respond(handler_input, reply)
