"""Skill events and "delete my data": the user's data is forgotten when they ask or disable us.

Skill events carry no session and expect no speech. ``SkillDisabled`` deletes everything
stored for the user (attributes and routine history, in one transaction); the others are
acknowledged silently. ``turn.outcome.skip_save`` tells the save interceptor not to write
the user (back).
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from heel_coach.voice.handlers.base import intent_is, pending, request_type, respond, turn_of
from heel_coach.voice.state import Pending, SessionState
from heel_coach.voice.turn import Turn
from heel_coach.voice.user import UserData

_QUIET_EVENTS = (
    "AlexaSkillEvent.SkillEnabled",
    "AlexaSkillEvent.SkillPermissionAccepted",
    "AlexaSkillEvent.SkillPermissionChanged",
    "AlexaSkillEvent.SkillAccountLinked",
)


def forget_user(handler_input: HandlerInput, turn: Turn) -> None:
    """Delete the user's row and sessions (the adapter calls ``store.delete_user``)."""
    handler_input.attributes_manager.delete_persistent_attributes()
    turn.user = UserData()
    turn.session = SessionState()
    turn.outcome.skip_save = True


class SkillDisabledHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return request_type(handler_input) == "AlexaSkillEvent.SkillDisabled"

    def handle(self, handler_input: HandlerInput) -> Response:
        forget_user(handler_input, turn_of(handler_input))
        return handler_input.response_builder.response


class SkillEventHandler(AbstractRequestHandler):
    """Enabled, permission accepted or changed: nothing to store, nothing to say."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return request_type(handler_input) in _QUIET_EVENTS

    def handle(self, handler_input: HandlerInput) -> Response:
        turn_of(handler_input).outcome.skip_save = True  # an event must not create a user row
        return handler_input.response_builder.response


class DeleteMyDataHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "DeleteMyDataIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        return respond(
            handler_input,
            turn.ask(turn.reply(), "privacy.delete.confirm", "privacy.delete.reprompt", Pending.DELETE_DATA),
        )


class DeleteMyDataAnswerHandler(AbstractRequestHandler):
    """Yes deletes and ends the session; no keeps everything."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return pending(handler_input) == Pending.DELETE_DATA and intent_is(
            handler_input, "AMAZON.YesIntent", "AMAZON.NoIntent"
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        if intent_is(handler_input, "AMAZON.NoIntent"):
            reply.speech.sentence(turn.text("privacy.kept"))
            return respond(
                handler_input,
                turn.ask(reply, "help.idle.question", "reprompt.choose_routine", Pending.ROUTINE),
            )
        forget_user(handler_input, turn)
        reply.speech.sentence(turn.text("privacy.deleted"))
        reply.end_session = True
        return respond(handler_input, reply)
