"""Progress intents: "how am I doing", how hard that was, and yes/no to a progression."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from heel_coach.voice.features import progress
from heel_coach.voice.handlers.base import intent_is, pending, respond, slot_id, turn_of
from heel_coach.voice.state import Pending


class ProgressHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "ProgressIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        return respond(handler_input, progress.how_am_i_doing(handler_input, turn, turn.reply()))


class EffortHandler(AbstractRequestHandler):
    """ "That was easy": offer the seeds' next step; "about right" / "hard": stay put."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "EffortIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        effort, _ = slot_id(handler_input, "Effort")
        return respond(handler_input, progress.effort_answered(turn, turn.reply(), effort))


class ProgressionAnswerHandler(AbstractRequestHandler):
    """Yes or no to "Shall I remind you of that next time?": remember the chosen level."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return pending(handler_input) == Pending.PROGRESSION and intent_is(
            handler_input, "AMAZON.YesIntent", "AMAZON.NoIntent"
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        accepted = intent_is(handler_input, "AMAZON.YesIntent")
        return respond(handler_input, progress.progression_answered(turn, turn.reply(), accepted=accepted))
