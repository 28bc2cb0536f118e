"""Built-in intents and requests every skill must answer: help, stop, cancel, fallback, session end."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from heel_coach.voice.features import routine as routine_feature
from heel_coach.voice.features import safety
from heel_coach.voice.handlers.base import intent_is, pending, request_type, respond, turn_of
from heel_coach.voice.speech import Reply
from heel_coach.voice.state import Pending
from heel_coach.voice.turn import Turn


class HelpHandler(AbstractRequestHandler):
    """Help that depends on where the user is."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "AMAZON.HelpIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        question = pending(handler_input)
        if question == Pending.FOOT:
            reply.speech.sentence(turn.text("help.choosing"))
            return respond(handler_input, turn.ask(reply, "ask.foot", "reprompt.foot", Pending.FOOT))
        if question == Pending.FOCUS:
            reply.speech.sentence(turn.text("help.choosing_focus"))
            return respond(handler_input, turn.ask(reply, "ask.focus", "reprompt.focus", Pending.FOCUS))
        plan = turn.active_plan()
        if plan is not None and turn.user.routine is not None:
            step = plan.steps[turn.user.routine.position]
            reply.speech.sentence(
                turn.text(
                    "help.routine",
                    exercise=turn.speaker.exercise_name(turn.catalogue.exercise(step.exercise_id)),
                    number=turn.speaker.words.number(step.entry_index + 1),
                    count=turn.speaker.words.number(plan.exercise_count()),
                )
            )
            return respond(
                handler_input,
                turn.ask(reply, "help.routine.question", "reprompt.step", Pending.CONTINUE),
            )
        reply.speech.sentence(turn.text("help.idle"))
        return respond(
            handler_input,
            turn.ask(reply, "help.idle.question", "reprompt.choose_routine", Pending.ROUTINE),
        )


class StopCancelHandler(AbstractRequestHandler):
    """Stop and cancel end the session; the place in the routine is kept for next time (the set
    the person was in, when they stopped mid-exercise)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(
            handler_input, "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        plan = safety.hold_place(turn, reply)
        if plan is not None and turn.user.routine is not None:
            step = plan.steps[turn.user.routine.resumes_at(plan)]
            reply.speech.sentence(
                turn.text(
                    "stop.saved",
                    exercise=turn.speaker.exercise_name(turn.catalogue.exercise(step.exercise_id)),
                    routine=turn.speaker.routine_name(turn.catalogue.routine(plan.routine_id)),
                )
            )
        else:
            reply.speech.sentence(turn.text("goodbye"))
        reply.end_session = True
        turn.session.pending = None
        return respond(handler_input, reply)


class LoopShuffleHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(
            handler_input,
            "AMAZON.LoopOnIntent",
            "AMAZON.LoopOffIntent",
            "AMAZON.ShuffleOnIntent",
            "AMAZON.ShuffleOffIntent",
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        reply.speech.sentence(turn.text("loop_shuffle"))
        return respond(handler_input, _reprompt_for_state(turn, reply))


class FallbackHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "AMAZON.FallbackIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        reply.speech.sentence(turn.text("fallback"))
        return respond(handler_input, _reprompt_for_state(turn, reply))


class SessionEndedHandler(AbstractRequestHandler):
    """Alexa plays nothing for SessionEndedRequest. When it stopped listening after a whole
    step (EXCEEDED_MAX_REPROMPTS: the step was said to its end), that step's sets are done and
    the next launch carries on after them; otherwise the saved position stands."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return request_type(handler_input) == "SessionEndedRequest"

    def handle(self, handler_input: HandlerInput) -> Response:
        reason = getattr(handler_input.request_envelope.request, "reason", None)
        if getattr(reason, "value", reason) == "EXCEEDED_MAX_REPROMPTS":
            routine_feature.ended_at_wait(turn_of(handler_input))
        return handler_input.response_builder.response


class UnhandledRequestHandler(AbstractRequestHandler):
    """Catch-all, registered last: an intent or request we do not expect gets a polite answer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        if request_type(handler_input) not in ("IntentRequest", "LaunchRequest"):
            return handler_input.response_builder.response
        turn = turn_of(handler_input)
        reply = turn.reply()
        reply.speech.sentence(turn.text("fallback"))
        return respond(handler_input, _reprompt_for_state(turn, reply))


def _reprompt_for_state(turn: Turn, reply: Reply) -> Reply:
    if turn.active_plan() is not None:
        return turn.ask(reply, "reprompt.step", "reprompt.step", Pending.CONTINUE)
    return turn.ask(reply, "help.idle.question", "reprompt.choose_routine", Pending.ROUTINE)
