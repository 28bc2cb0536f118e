"""Reminders: confirm in words, ask for permission by voice, then call the Reminders API.

Every reminder is created or changed only after the user said yes to a question that states
its time and recurrence (certification: explicit consent per reminder). Without the
reminders permission we send ``Connections.SendRequest``/AskFor and keep the confirmed
request in persistent attributes until the ``Connections.Response`` arrives. A reminder's
token is stored only after the API confirmed it; every API failure becomes a sentence that
says what happened and what to do, never a claim that a reminder exists.
"""

from __future__ import annotations

import logging
from datetime import time as clock

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.interfaces.connections import SendRequestDirective

from heel_coach.errors import ServiceError
from heel_coach.reminders.schedule import (
    DAY_SETS,
    SUGGESTIONS,
    LocalTime,
    ReminderSchedule,
    days_for,
    routine_for,
)
from heel_coach.services.reminders import DAYS, REMINDERS_SCOPE, Reminder, RemindersClient
from heel_coach.voice import formatting
from heel_coach.voice.alexa_api import AlexaApi, api_of, fetch_time_zone
from heel_coach.voice.speech import Reply
from heel_coach.voice.state import Pending, ReminderItem, ReminderRequest, Reminders
from heel_coach.voice.turn import Turn

_LOG = logging.getLogger(__name__)


_ERROR_KEYS = {
    "permission_missing": "reminder.error.permission",
    "forbidden": "reminder.error.permission",
    "rate_limited": "reminder.error.busy",
    "invalid": "reminder.error.invalid",
    "conflict": "reminder.error.invalid",
}


# -- wording ----------------------------------------------------------------------------------


def say_time(turn: Turn, time: LocalTime) -> str:
    """The clock time as the locale writes it (Babel, with the locale's pattern from its data):
    "7 AM", "7 am", "7 a.m.", "7 Uhr", "19:30 Uhr"."""
    pattern = turn.text("time.pattern.hour" if time.minute == 0 else "time.pattern.hour_minute")
    return formatting.clock_time(turn.speaker.locale, clock(time.hour, time.minute), pattern)


def say_recurrence(turn: Turn, days: tuple[str, ...] | None) -> str:
    if days is None:
        return turn.text("recurrence.daily")
    if days == DAY_SETS["weekdays"]:
        return turn.text("recurrence.weekdays")
    if days == DAY_SETS["weekends"]:
        return turn.text("recurrence.weekends")
    locale = turn.speaker.locale
    names = [formatting.day_name(locale, DAYS.index(d)) for d in days]
    return turn.text("recurrence.days", days=turn.speaker.words.join(names))


def routine_name(turn: Turn, routine_id: str) -> str:
    routine = turn.catalogue.routines.get(routine_id) or turn.catalogue.routine("full")
    return turn.speaker.routine_name(routine)


def _params(turn: Turn, item: ReminderItem | ReminderRequest) -> dict[str, str]:
    return {
        "time": say_time(turn, LocalTime(item.hour, item.minute)),
        "recurrence": say_recurrence(turn, item.days),
        "routine": routine_name(turn, item.routine),
    }


# -- stored facts ------------------------------------------------------------------------------


def stored(turn: Turn) -> Reminders:
    """The user's reminder record (created the first time reminders come up)."""
    if turn.user.reminders is None:
        turn.user.reminders = Reminders()
    return turn.user.reminders


def _item(reminder: Reminder, routine: str) -> ReminderItem:
    days = tuple(reminder.days) if reminder.days else None
    return ReminderItem(reminder.alert_token, reminder.hour, reminder.minute, days, routine)


def _routine_of(turn: Turn, reminder: Reminder) -> str:
    for item in stored(turn).items:
        if item.token == reminder.alert_token:
            return item.routine
    return routine_for(LocalTime(reminder.hour, reminder.minute))


# -- questions -----------------------------------------------------------------------------------


def propose(turn: Turn, reply: Reply, request: ReminderRequest) -> Reply:
    """Ask for explicit consent, stating time and recurrence; yes carries ``request`` out."""
    turn.session.reminder = request
    key = {"create": "reminder.confirm", "move": "reminder.move.confirm"}[request.action]
    return turn.ask(reply, key, "reminder.confirm.reprompt", Pending.REMINDER, **_params(turn, request))


def _active_reminders(handler_input: HandlerInput, turn: Turn, reply: Reply) -> list[Reminder] | Reply:
    """The user's reminders that are on, or the reply to give instead: without the permission
    we cannot see them, so we say so rather than claim there are none."""
    api = api_of(handler_input)
    if api is not None and not api.consent:
        reply.speech.sentence(turn.text("reminder.no_permission.list"))
        return turn.ask(reply, "reminder.follow_up", "reprompt.choose_routine", None)
    if api is None:
        return _failed(turn, reply, ServiceError("no Alexa API", 0, "unreachable"), "list")
    try:
        return [r for r in _client(api).list() if r.status == "ON"]
    except ServiceError as exc:
        return _failed(turn, reply, exc, "list")


def propose_cancel(handler_input: HandlerInput, turn: Turn, reply: Reply) -> Reply:
    reminders = _active_reminders(handler_input, turn, reply)
    if isinstance(reminders, Reply):
        return reminders
    if not reminders:
        stored(turn).items = []
        reply.speech.sentence(turn.text("reminder.none"))
        return turn.ask(reply, "reminder.follow_up", "reprompt.choose_routine", None)
    turn.session.reminder = ReminderRequest("cancel", tokens=tuple(r.alert_token for r in reminders))
    if len(reminders) > 1:
        return turn.ask(
            reply,
            "reminder.cancel.confirm_all",
            "reminder.cancel.reprompt",
            Pending.REMINDER,
            count=turn.speaker.words.number(len(reminders)),
        )
    item = _item(reminders[0], _routine_of(turn, reminders[0]))
    return turn.ask(
        reply, "reminder.cancel.confirm", "reminder.cancel.reprompt", Pending.REMINDER, **_params(turn, item)
    )


def propose_move(turn: Turn, reply: Reply, time: LocalTime | None) -> Reply:
    items = stored(turn).items
    if not items:
        reply.speech.sentence(turn.text("reminder.none"))
        return turn.ask(reply, "reminder.follow_up", "reprompt.choose_routine", None)
    if time is None:
        return turn.ask(reply, "reminder.move.which_time", "reminder.which_time.reprompt", None)
    current = items[0]
    request = ReminderRequest(
        "move", time.hour, time.minute, current.days, current.routine, token=current.token
    )
    return propose(turn, reply, request)


def propose_new(
    turn: Turn, reply: Reply, time: LocalTime | None, routine_id: str | None, day_id: str | None
) -> Reply:
    """ "Remind me at seven": ask for the time if we did not hear one, else ask for consent."""
    if time is None:
        return turn.ask(reply, "reminder.which_time", "reminder.which_time.reprompt", None)
    routine = routine_id if routine_id in turn.catalogue.routines else routine_for(time)
    days = days_for(day_id)
    return propose(turn, reply, ReminderRequest("create", time.hour, time.minute, days or None, routine))


def decline(turn: Turn, reply: Reply) -> Reply:
    """No to a reminder question: nothing is created, moved or cancelled."""
    request, turn.session.reminder = turn.session.reminder, None
    cancelling = request is not None and request.action in ("cancel", "move")
    reply.speech.sentence(turn.text("reminder.kept" if cancelling else "reminder.not_set"))
    return turn.ask(reply, "reminder.follow_up", "reprompt.choose_routine", None)


def schedule_advice(turn: Turn, reply: Reply) -> Reply:
    """ "When should I do this?": the guides' schedule, then an offer of a morning reminder."""
    reply.speech.sentence(turn.text("schedule.intro"))
    for suggestion in SUGGESTIONS:
        reply.speech.sentence(turn.text(suggestion.key, routine=routine_name(turn, suggestion.routine_id)))
    reply.speech.sentence(turn.text("schedule.weeks"))
    first = SUGGESTIONS[0]
    turn.session.reminder = ReminderRequest(
        "create", first.time.hour, first.time.minute, None, first.routine_id
    )
    return turn.ask(
        reply,
        "schedule.offer",
        "reminder.confirm.reprompt",
        Pending.REMINDER,
        time=say_time(turn, first.time),
        routine=routine_name(turn, first.routine_id),
    )


# -- doing it ------------------------------------------------------------------------------------


def carry_out(handler_input: HandlerInput, turn: Turn, reply: Reply) -> Reply:
    """The user said yes: do what ``session.reminder`` says, asking for permission first."""
    request, turn.session.reminder = turn.session.reminder, None
    turn.session.pending = None
    if request is None:
        return turn.ask(reply, "reminder.which_time", "reminder.which_time.reprompt", None)
    api = api_of(handler_input)
    if api is not None and not api.consent and request.action != "cancel":
        return ask_permission(turn, reply, request)
    return execute(api, turn, reply, request)


def ask_permission(turn: Turn, reply: Reply, request: ReminderRequest) -> Reply:
    """Hand over to Alexa's own permission prompt; no speech, no reprompt (Alexa speaks)."""
    stored(turn).pending = request
    reply.directives.append(
        SendRequestDirective(
            name="AskFor",
            payload={
                "@type": "AskForPermissionsConsentRequest",
                "@version": "1",
                "permissionScope": REMINDERS_SCOPE,
            },
            token="heelcoach-reminder",
        )
    )
    reply.end_session = None
    return reply


def permission_answered(
    handler_input: HandlerInput, turn: Turn, reply: Reply, status: str, card_thrown: bool
) -> Reply:
    """``Connections.Response``: ACCEPTED goes on with the confirmed request; else explain."""
    record = stored(turn)
    request, record.pending = record.pending, None
    if status == "ACCEPTED" and request is not None:
        return execute(api_of(handler_input), turn, reply, request)
    if status == "ACCEPTED":
        return turn.ask(reply, "reminder.which_time", "reminder.which_time.reprompt", None)
    reply.speech.sentence(turn.text("reminder.permission.denied"))
    if not card_thrown:
        turn.outcome.consent_card = True
        reply.speech.sentence(turn.text("reminder.permission.card"))
    return turn.ask(reply, "reminder.follow_up", "reprompt.choose_routine", None)


def execute(api: AlexaApi | None, turn: Turn, reply: Reply, request: ReminderRequest) -> Reply:
    action = request.action
    if api is None:
        return _failed(turn, reply, ServiceError("no Alexa API in this request", 0, "unreachable"), action)
    client = _client(api)
    try:
        if action == "cancel":
            _cancel(client, turn, request.tokens)
            reply.speech.sentence(turn.text("reminder.cancelled"))
            return turn.ask(reply, "reminder.follow_up", "reprompt.choose_routine", None)
        try:
            zone = fetch_time_zone(api, turn)
        except ServiceError as exc:
            _log(exc, "time zone")
            reply.speech.sentence(
                turn.text("reminder.error.time_zone", outcome=turn.text(f"reminder.outcome.{action}"))
            )
            return turn.ask(reply, "reminder.follow_up", "reprompt.choose_routine", None)
        routine = request.routine
        schedule = ReminderSchedule(
            hour=request.hour,
            minute=request.minute,
            days=request.days,
            time_zone=zone,
            text=turn.text("reminder.text", routine=routine_name(turn, routine)),
            locale=turn.speaker.locale,
            now=turn.now,
        )
        reminder = client.save_daily(schedule, request.token if action == "move" else None)
    except ServiceError as exc:
        if action == "move" and exc.code == "not_found":
            _forget(turn, request.token)
            reply.speech.sentence(turn.text("reminder.gone"))
            return turn.ask(reply, "reminder.follow_up", "reprompt.choose_routine", None)
        return _failed(turn, reply, exc, action)
    _forget(turn, request.token)
    stored(turn).items.append(_item(reminder, routine))
    reply.speech.sentence(
        turn.text(
            "reminder.moved" if action == "move" else "reminder.created",
            **_params(turn, _item(reminder, routine)),
        )
    )
    return turn.ask(reply, "reminder.follow_up", "reprompt.choose_routine", None)


def list_reminders(handler_input: HandlerInput, turn: Turn, reply: Reply) -> Reply:
    reminders = _active_reminders(handler_input, turn, reply)
    if isinstance(reminders, Reply):
        return reminders
    items = [_item(r, _routine_of(turn, r)) for r in reminders]
    stored(turn).items = items  # the API is the truth: reminders deleted in the app go
    if not items:
        reply.speech.sentence(turn.text("reminder.none"))
    else:
        spoken = [turn.text("reminder.list.item", **_params(turn, i)) for i in items]
        if len(spoken) == 1:
            reply.speech.sentence(turn.text("reminder.list.one", item=spoken[0]))
        else:
            reply.speech.sentence(
                turn.text(
                    "reminder.list.many",
                    items=turn.speaker.words.join(spoken),
                    count=turn.speaker.words.number(len(spoken)),
                )
            )
    return turn.ask(reply, "reminder.follow_up", "reprompt.choose_routine", None)


def _client(api: AlexaApi) -> RemindersClient:
    return RemindersClient(api.client, api.endpoint, api.token)


def _cancel(client: RemindersClient, turn: Turn, tokens: tuple[str, ...]) -> None:
    for token in tokens:
        try:
            client.delete(token)
        except ServiceError as exc:
            if exc.code != "not_found":  # already gone counts as cancelled
                raise
        _forget(turn, token)


def _forget(turn: Turn, token: str | None) -> None:
    data = stored(turn)
    data.items = [i for i in data.items if i.token != token]


def _failed(turn: Turn, reply: Reply, exc: ServiceError, action: str) -> Reply:
    _log(exc, action)
    key = _ERROR_KEYS.get(exc.code, "reminder.error.unavailable")
    reply.speech.sentence(turn.text(key, outcome=turn.text(f"reminder.outcome.{action}")))
    if key == "reminder.error.permission":
        turn.outcome.consent_card = True
    return turn.ask(reply, "reminder.follow_up", "reprompt.choose_routine", None)


def _log(exc: ServiceError, action: str) -> None:
    """Codes only: API messages are not logged, and nothing that identifies the user."""
    _LOG.warning("reminders %s failed: code=%s status=%s", action, exc.code, exc.status)
