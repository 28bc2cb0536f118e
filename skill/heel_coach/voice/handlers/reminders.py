"""Reminder intents, yes/no to a reminder question, the permission answer, and schedule advice."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_slot
from ask_sdk_model import Response

from heel_coach.reminders.schedule import SUGGESTIONS, days_for, parse_time, routine_for
from heel_coach.voice import reminders_flow as flow
from heel_coach.voice.handlers.base import intent_is, pending, request_type, respond, slot_id, turn_of


def _time_slot(handler_input: HandlerInput) -> str | None:
    try:
        slot = get_slot(handler_input, "Time")
    except (TypeError, AttributeError):
        return None
    return str(slot.value) if slot is not None and slot.value else None


class PermissionResponseHandler(AbstractRequestHandler):
    """``Connections.Response`` to our AskFor: the user accepted, denied, or did not answer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return request_type(handler_input) == "Connections.Response"

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        payload = getattr(handler_input.request_envelope.request, "payload", None) or {}
        status = str(payload.get("status") or "NOT_ANSWERED")
        card_thrown = payload.get("isCardThrown") in (True, "true")
        return flow.finish(
            handler_input, flow.permission_answered(handler_input, turn, turn.reply(), status, card_thrown)
        )


class ReminderAnswerHandler(AbstractRequestHandler):
    """Yes or no to "Shall I remind you ...?" (or to moving or cancelling one)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return pending(handler_input) == flow.ASK_REMINDER and intent_is(
            handler_input, "AMAZON.YesIntent", "AMAZON.NoIntent"
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        if intent_is(handler_input, "AMAZON.YesIntent"):
            return flow.finish(handler_input, flow.carry_out(handler_input, turn, reply))
        request = turn.session.pop("reminder", None) or {}
        cancelling = request.get("action") in ("cancel", "move")
        reply.speech.sentence(turn.text("reminder.kept" if cancelling else "reminder.not_set"))
        return respond(handler_input, turn.ask(reply, "reminder.follow_up", "reprompt.choose_routine", None))


class SetReminderHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "SetReminderIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        time = parse_time(_time_slot(handler_input))
        if time is None:
            return respond(
                handler_input, turn.ask(reply, "reminder.which_time", "reminder.which_time.reprompt", None)
            )
        routine_id, _ = slot_id(handler_input, "Routine")
        day_id, _ = slot_id(handler_input, "Day")
        days = days_for(day_id)
        request = {
            "action": "create",
            **time.as_dict(),
            "days": list(days) if days else None,
            "routine": routine_id if routine_id in turn.catalogue.routines else routine_for(time),
        }
        return flow.finish(handler_input, flow.propose(turn, reply, request))


class MoveReminderHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "MoveReminderIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        time = parse_time(_time_slot(handler_input))
        return flow.finish(handler_input, flow.propose_move(turn, turn.reply(), time))


class ListRemindersHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "ListRemindersIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        return flow.finish(handler_input, flow.list_reminders(handler_input, turn, turn.reply()))


class CancelReminderHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "CancelReminderIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        return flow.finish(handler_input, flow.propose_cancel(handler_input, turn, turn.reply()))


class ScheduleAdviceHandler(AbstractRequestHandler):
    """ "When should I do this?": the guides' schedule, then an offer of a morning reminder."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "ScheduleAdviceIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        reply.speech.sentence(turn.text("schedule.intro"))
        for suggestion in SUGGESTIONS:
            reply.speech.sentence(
                turn.text(suggestion.key, routine=flow.routine_name(turn, suggestion.routine_id))
            )
        reply.speech.sentence(turn.text("schedule.weeks"))
        first = SUGGESTIONS[0]
        turn.session["reminder"] = {
            "action": "create",
            **first.time.as_dict(),
            "days": None,
            "routine": first.routine_id,
        }
        return respond(
            handler_input,
            turn.ask(
                reply,
                "schedule.offer",
                "reminder.confirm.reprompt",
                flow.ASK_REMINDER,
                time=flow.say_time(turn, first.time),
                routine=flow.routine_name(turn, first.routine_id),
            ),
        )
