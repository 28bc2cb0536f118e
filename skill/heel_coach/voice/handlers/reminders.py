"""Reminder intents, yes/no to a reminder question, the permission answer, and schedule advice.

The reminders feature (its Reminders API client and schedule rules) is imported inside each
``handle``, not at import: no other request needs it, and every AWS Lambda cold start pays for
what the handler list imports (benchmarks/RESULTS.md, figure 7).
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_slot
from ask_sdk_model import Response
from ask_sdk_model.ui import AskForPermissionsConsentCard

from heel_coach.voice.handlers.base import intent_is, pending, request_type, respond, slot_id, turn_of
from heel_coach.voice.speech import Reply
from heel_coach.voice.state import Pending


def _time_slot(handler_input: HandlerInput) -> str | None:
    try:
        slot = get_slot(handler_input, "Time")
    except (TypeError, AttributeError):
        return None
    return str(slot.value) if slot is not None and slot.value else None


def finish(handler_input: HandlerInput, reply: Reply) -> Response:
    """``respond``, plus the AskForPermissionsConsent card when this turn needs one."""
    response = respond(handler_input, reply)
    turn = turn_of(handler_input)
    if turn.outcome.consent_card:
        from heel_coach.services.reminders import REMINDERS_SCOPE

        handler_input.response_builder.set_card(AskForPermissionsConsentCard(permissions=[REMINDERS_SCOPE]))
    return response


class PermissionResponseHandler(AbstractRequestHandler):
    """``Connections.Response`` to our AskFor: the user accepted, denied, or did not answer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return request_type(handler_input) == "Connections.Response"

    def handle(self, handler_input: HandlerInput) -> Response:
        from heel_coach.voice.features import reminders

        turn = turn_of(handler_input)
        payload = getattr(handler_input.request_envelope.request, "payload", None) or {}
        status = str(payload.get("status") or "NOT_ANSWERED")
        card_thrown = payload.get("isCardThrown") in (True, "true")
        return finish(
            handler_input,
            reminders.permission_answered(handler_input, turn, turn.reply(), status, card_thrown),
        )


class ReminderAnswerHandler(AbstractRequestHandler):
    """Yes or no to "Shall I remind you ...?" (or to moving or cancelling one)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return pending(handler_input) == Pending.REMINDER and intent_is(
            handler_input, "AMAZON.YesIntent", "AMAZON.NoIntent"
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        from heel_coach.voice.features import reminders

        turn = turn_of(handler_input)
        if intent_is(handler_input, "AMAZON.YesIntent"):
            return finish(handler_input, reminders.carry_out(handler_input, turn, turn.reply()))
        return respond(handler_input, reminders.decline(turn, turn.reply()))


class SetReminderHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "SetReminderIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        from heel_coach.reminders.schedule import parse_time
        from heel_coach.voice.features import reminders

        turn = turn_of(handler_input)
        time = parse_time(_time_slot(handler_input))
        routine_id, _ = slot_id(handler_input, "Routine")
        day_id, _ = slot_id(handler_input, "Day")
        return finish(handler_input, reminders.propose_new(turn, turn.reply(), time, routine_id, day_id))


class MoveReminderHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "MoveReminderIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        from heel_coach.reminders.schedule import parse_time
        from heel_coach.voice.features import reminders

        turn = turn_of(handler_input)
        time = parse_time(_time_slot(handler_input))
        return finish(handler_input, reminders.propose_move(turn, turn.reply(), time))


class ListRemindersHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "ListRemindersIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        from heel_coach.voice.features import reminders

        turn = turn_of(handler_input)
        return finish(handler_input, reminders.list_reminders(handler_input, turn, turn.reply()))


class CancelReminderHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "CancelReminderIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        from heel_coach.voice.features import reminders

        turn = turn_of(handler_input)
        return finish(handler_input, reminders.propose_cancel(handler_input, turn, turn.reply()))


class ScheduleAdviceHandler(AbstractRequestHandler):
    """ "When should I do this?": the guides' schedule, then an offer of a morning reminder."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "ScheduleAdviceIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        from heel_coach.voice.features import reminders

        turn = turn_of(handler_input)
        return respond(handler_input, reminders.schedule_advice(turn, turn.reply()))
