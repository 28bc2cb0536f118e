"""Progress: record each finished routine, answer "how am I doing", the weekly summary, effort.

The arithmetic lives in ``heel_coach.progress.stats`` (pure); this module reads the sessions
table, picks the user's time zone, and turns numbers into words.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ask_sdk_core.dispatch_components import AbstractRequestHandler, AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from heel_coach.catalogue.model import Catalogue, Category, Exercise
from heel_coach.errors import ServiceError
from heel_coach.persistence.adapter import user_id_key
from heel_coach.persistence.store import HISTORY_DAYS, UserStore
from heel_coach.progress import stats
from heel_coach.voice import phrasing
from heel_coach.voice import reminders_flow as flow
from heel_coach.voice.coach import Turn
from heel_coach.voice.handlers.base import intent_is, pending, respond, slot_id, turn_of
from heel_coach.voice.interceptors import SNAPSHOT
from heel_coach.voice.speech import Reply

_LOG = logging.getLogger(__name__)
STORE = "heelcoach.store"
ASK_EFFORT = "effort"
ASK_PROGRESSION = "progression"


class StoreInterceptor(AbstractRequestInterceptor):
    """Makes the store reachable from handlers (sessions are not persistent attributes)."""

    def __init__(self, store: UserStore) -> None:
        self.store = store

    def process(self, handler_input: HandlerInput) -> None:
        handler_input.attributes_manager.request_attributes[STORE] = self.store


def store_of(handler_input: HandlerInput) -> UserStore | None:
    return cast("UserStore | None", handler_input.attributes_manager.request_attributes.get(STORE))


def zone_of(turn: Turn) -> ZoneInfo:
    """The device zone last read from the Settings API, else UTC."""
    try:
        return ZoneInfo(str(turn.user.extra.get("time_zone") or "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class SessionRecorder:
    """``SaveTurnInterceptor.on_finished``: state and the finished routine in one transaction."""

    def __init__(self, store: UserStore) -> None:
        self.store = store

    def __call__(self, handler_input: HandlerInput, turn: Turn) -> None:
        event = turn.notes["finished"]
        if not turn.user.extra.get("time_zone"):
            learn_time_zone(handler_input, turn)  # once per user: the day must be theirs
        user_id = user_id_key(handler_input.request_envelope)
        loaded = handler_input.attributes_manager.request_attributes.get(SNAPSHOT)
        today = stats.local_day(turn.now, zone_of(turn))
        self.store.record_session(
            user_id,
            attributes=turn.user.to_attributes(),
            base=loaded if isinstance(loaded, dict) else None,  # merged with concurrent changes
            routine_id=event.routine_id,
            local_date=today,
            finished_at=turn.now,
            duration_s=int(event.planned_s),
            exercises_done=list(event.exercises_done),
            exercises_skipped=list(event.exercises_skipped),
            mode=str(turn.notes.get("mode", "step")),
        )
        # Retention (docs/privacy.md): history older than HISTORY_DAYS is deleted, not just unread.
        self.store.prune_sessions(today - timedelta(days=HISTORY_DAYS), user_id=user_id)


def routine_kinds(catalogue: Catalogue) -> dict[str, frozenset[str]]:
    """Which of stretching, strengthening and massage each routine counts as."""
    kinds: dict[str, frozenset[str]] = {}
    for routine in catalogue.routines.values():
        found: set[str] = set()
        for entry in routine.entries:
            if entry.exercise.is_massage:
                found.add(stats.MASSAGE)
            elif entry.exercise.category is Category.STRETCH:
                found.add(stats.STRETCH)
            elif entry.exercise.category is Category.STRENGTH:
                found.add(stats.STRENGTH)
        kinds[routine.id] = frozenset(found)
    return kinds


def progress_of(handler_input: HandlerInput, turn: Turn) -> stats.Progress | None:
    store = store_of(handler_input)
    if store is None:
        return None
    zone = zone_of(turn)
    today = stats.local_day(turn.now, zone)
    since = date.fromordinal(today.toordinal() - HISTORY_DAYS)
    sessions = store.list_sessions(user_id_key(handler_input.request_envelope), since=since)
    return stats.summarise(sessions, turn.now, zone, routine_kinds(turn.catalogue))


def _count(turn: Turn, n: int, unit: str) -> str:
    key = f"progress.{unit}.one" if n == 1 else f"progress.{unit}.many"
    return turn.text(key, count=phrasing.number_words(n))


def _times(turn: Turn, n: int) -> str:
    if n <= 2:
        return turn.text(("progress.times.zero", "progress.times.one", "progress.times.two")[n])
    return turn.text("progress.times.many", count=phrasing.number_words(n))


def say_progress(turn: Turn, reply: Reply, p: stats.Progress) -> None:
    if p.total == 0:
        reply.speech.sentence(turn.text("progress.none"))
        return
    if p.this_week:
        reply.speech.sentence(
            turn.text(
                "progress.week",
                routines=_count(turn, p.this_week, "routines"),
                days=_count(turn, p.days_this_week, "days"),
            )
        )
    else:
        reply.speech.sentence(turn.text("progress.week.none"))
    if p.streak:
        days = turn.text("progress.streak.days", count=phrasing.number_words(p.streak))
        reply.speech.sentence(turn.text("progress.streak", days=days))
    else:
        reply.speech.sentence(turn.text("progress.streak.none"))
    low, high = stats.STRENGTH_PER_WEEK
    if low <= p.strength_this_week <= high:
        reply.speech.sentence(turn.text("progress.strength.met"))
    else:
        reply.speech.sentence(turn.text("progress.strength", count=_times(turn, p.strength_this_week)))
    reply.speech.sentence(turn.text("progress.stretch", count=_times(turn, p.stretch_today)))
    reply.speech.sentence(turn.text("progress.weeks"))


def learn_time_zone(handler_input: HandlerInput, turn: Turn) -> None:
    """Read the device's time zone into the user's data; on failure keep the last known one."""
    api = flow.api_of(handler_input)
    if api is None:
        return
    try:
        flow.fetch_time_zone(api, turn)
    except ServiceError as exc:
        _LOG.info("time zone unavailable: code=%s", exc.code)


class ProgressHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "ProgressIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        learn_time_zone(handler_input, turn)
        progress = progress_of(handler_input, turn)
        if progress is not None:
            say_progress(turn, reply, progress)
        return respond(
            handler_input, turn.ask(reply, "help.idle.question", "reprompt.choose_routine", "routine")
        )


def weekly_summary(handler_input: HandlerInput, turn: Turn, reply: Reply) -> None:
    """At launch, once per local week: last week's routines in one sentence (if there were any)."""
    marks: dict[str, Any] = turn.user.extra.setdefault("progress", {})
    today = stats.local_day(turn.now, zone_of(turn))
    try:
        last = date.fromisoformat(str(marks.get("summary_given")))
    except ValueError:
        last = None
    if not stats.weekly_summary_due(last, today):
        return
    progress = progress_of(handler_input, turn)
    if progress is None or progress.last_week == 0:
        return
    marks["summary_given"] = today.isoformat()
    reply.speech.sentence(
        turn.text(
            "progress.weekly",
            routines=_count(turn, progress.last_week, "routines"),
            days=_count(turn, progress.days_last_week, "days"),
        )
    )


# -- effort and progression -------------------------------------------------------------------


def progressing_exercise(turn: Turn) -> tuple[Exercise, tuple[str, ...]] | None:
    """The first strengthening exercise whose seed describes a progression (toe raises)."""
    for exercise in turn.catalogue.exercises.values():
        variant = exercise.variants[0]
        if exercise.category is Category.STRENGTH and variant.progression:
            return exercise, (variant.id, *variant.progression)
    return None


def effort_offer(turn: Turn, reply: Reply) -> Reply:
    """After a strengthening routine: ask about effort only (never symptoms)."""
    event = turn.notes.get("finished")
    kinds = routine_kinds(turn.catalogue)
    if event is None or stats.STRENGTH not in kinds.get(event.routine_id, frozenset()):
        return reply
    return turn.ask(reply, "effort.question", "effort.reprompt", ASK_EFFORT)


class EffortHandler(AbstractRequestHandler):
    """ "That was easy": offer the seeds' next step; "about right" / "hard": stay put."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "EffortIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        effort, _ = slot_id(handler_input, "Effort")
        found = progressing_exercise(turn)
        if effort != "easy" or found is None:
            reply.speech.sentence(turn.text("effort.hard" if effort == "hard" else "effort.right"))
            return respond(
                handler_input, turn.ask(reply, "help.idle.question", "reprompt.choose_routine", "routine")
            )
        exercise, levels = found
        name = turn.speaker.exercise_name(exercise)
        levels_now = turn.user.extra.get("progression", {})
        step = stats.next_level(levels, levels_now.get(exercise.id))
        if step is None:
            reply.speech.sentence(turn.text("effort.easy.top", exercise=name))
            return respond(
                handler_input, turn.ask(reply, "help.idle.question", "reprompt.choose_routine", "routine")
            )
        turn.session["progression"] = {"exercise": exercise.id, "level": step}
        instruction = exercise.text[turn.speaker.locale].variant_notes.get(step, "")
        return respond(
            handler_input,
            turn.ask(
                reply,
                "effort.easy.offer",
                "effort.easy.offer.reprompt",
                ASK_PROGRESSION,
                exercise=name,
                instruction=instruction,
            ),
        )


class ProgressionAnswerHandler(AbstractRequestHandler):
    """Yes or no to "Shall I remind you of that next time?": remember the chosen level."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return pending(handler_input) == ASK_PROGRESSION and intent_is(
            handler_input, "AMAZON.YesIntent", "AMAZON.NoIntent"
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        chosen = turn.session.pop("progression", None) or {}
        exercise = turn.catalogue.exercises.get(str(chosen.get("exercise")))
        if intent_is(handler_input, "AMAZON.NoIntent") or exercise is None:
            reply.speech.sentence(turn.text("effort.not_saved"))
        else:
            turn.user.extra.setdefault("progression", {})[exercise.id] = chosen["level"]
            reply.speech.sentence(
                turn.text(
                    "effort.saved",
                    exercise=turn.speaker.exercise_name(exercise),
                    instruction=exercise.text[turn.speaker.locale].variant_notes.get(chosen["level"], ""),
                )
            )
        return respond(
            handler_input, turn.ask(reply, "help.idle.question", "reprompt.choose_routine", "routine")
        )
