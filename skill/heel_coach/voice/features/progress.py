"""Progress: record each finished routine, answer "how am I doing", the weekly summary, effort.

The arithmetic lives in ``heel_coach.progress.stats`` (pure); this module reads the sessions
table, picks the user's time zone, and turns numbers into words.
"""

from __future__ import annotations

from datetime import UTC, date, timedelta, tzinfo
from typing import TYPE_CHECKING

from ask_sdk_core.handler_input import HandlerInput

from heel_coach.persistence.adapter import user_id_key
from heel_coach.persistence.store import HISTORY_DAYS, FinishedRoutine, SessionRecord, UserStore
from heel_coach.voice.interceptors import SNAPSHOT, store_of
from heel_coach.voice.speech import Reply
from heel_coach.voice.state import Pending, ProgressionOffer, ProgressMarks
from heel_coach.voice.turn import Turn

# The engine, progress statistics and screen requests are imported where they are used, so a
# launch loads only what it needs (Lambda cold start: benchmarks/RESULTS.md, figure 7).
if TYPE_CHECKING:
    from heel_coach.progress import stats


def zone_of(turn: Turn) -> tzinfo:
    """The device zone last read from the Settings API, else UTC.

    Without a zone (it is learnt when a routine is first finished) this is ``datetime.UTC``,
    which gives the same days as ``ZoneInfo("UTC")`` without importing zoneinfo and sysconfig
    on the launches before that (benchmarks/RESULTS.md, figure 7)."""
    if not turn.user.time_zone:
        return UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(turn.user.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


class SessionRecorder:
    """``SaveTurnInterceptor.on_finished``: state and the finished routine in one transaction."""

    def __init__(self, store: UserStore) -> None:
        self.store = store

    def __call__(self, handler_input: HandlerInput, turn: Turn) -> None:
        from heel_coach.progress import stats

        event = turn.outcome.finished
        assert event is not None
        if not turn.user.time_zone:
            from heel_coach.voice.alexa_api import learn_time_zone  # not on a launch

            learn_time_zone(handler_input, turn)  # once per user: the day must be theirs
        user_id = user_id_key(handler_input.request_envelope)
        loaded = handler_input.attributes_manager.request_attributes.get(SNAPSHOT)
        today = stats.local_day(turn.now, zone_of(turn))
        routine = FinishedRoutine(
            routine_id=event.routine_id,
            local_date=today,
            finished_at=turn.now,
            duration_s=_planned_s(turn),
            exercises_done=event.exercises_done,
            exercises_skipped=event.exercises_skipped,
            mode=turn.outcome.mode,
        )
        self.store.record_session(
            user_id,
            routine,
            attributes=turn.user.to_attributes(),
            base=loaded if isinstance(loaded, dict) else None,  # merged with concurrent changes
        )
        # Retention (docs/privacy.md): history older than HISTORY_DAYS is deleted, not just unread.
        self.store.prune_sessions(today - timedelta(days=HISTORY_DAYS), user_id=user_id)


def _planned_s(turn: Turn) -> int:
    """The finished routine's announced length (the plan the user just finished), as the mode
    that played it announced it: continuous mode sets it from its tracks when it finishes."""
    if turn.outcome.planned_s is not None:
        return round(turn.outcome.planned_s)
    plan = turn.plan()
    return 0 if plan is None else round(turn.voice().seconds(plan))


def history_of(handler_input: HandlerInput, turn: Turn) -> tuple[list[SessionRecord], tzinfo] | None:
    """The user's kept routine history and their time zone (None without a store)."""
    from heel_coach.progress import stats

    store = store_of(handler_input)
    if store is None:
        return None
    zone = zone_of(turn)
    today = stats.local_day(turn.now, zone)
    since = date.fromordinal(today.toordinal() - HISTORY_DAYS)
    return store.list_sessions(user_id_key(handler_input.request_envelope), since=since), zone


def progress_of(handler_input: HandlerInput, turn: Turn) -> stats.Progress | None:
    from heel_coach.progress import stats

    history = history_of(handler_input, turn)
    if history is None:
        return None
    sessions, zone = history
    return stats.summarise(sessions, turn.now, zone, stats.routine_kinds(turn.catalogue))


# -- wording ----------------------------------------------------------------------------------


def _count(turn: Turn, n: int, unit: str) -> str:
    return turn.text(f"progress.{unit}", count=n)


def _times(turn: Turn, n: int) -> str:
    return turn.text("progress.times", count=n)


def say_progress(turn: Turn, reply: Reply, p: stats.Progress) -> None:
    from heel_coach.progress import stats

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
        days = turn.text("progress.streak.days", count=p.streak)
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


def how_am_i_doing(handler_input: HandlerInput, turn: Turn, reply: Reply) -> Reply:
    """ "How am I doing": this week, the streak, and the guides' targets, in the user's days."""
    from heel_coach.screens.requests import ShowProgress
    from heel_coach.voice.alexa_api import learn_time_zone  # not on a launch

    learn_time_zone(handler_input, turn)
    progress = progress_of(handler_input, turn)
    if progress is not None:
        say_progress(turn, reply, progress)
        reply.shows.append(ShowProgress())
    return turn.ask(reply, "help.idle.question", "reprompt.choose_routine", Pending.ROUTINE)


def weekly_summary(handler_input: HandlerInput, turn: Turn, reply: Reply) -> None:
    """At launch, once per local week: last week's routines in one sentence (if there were any)."""
    from heel_coach.progress import stats

    if turn.user.progress is None:
        turn.user.progress = ProgressMarks()
    marks = turn.user.progress
    today = stats.local_day(turn.now, zone_of(turn))
    if not stats.weekly_summary_due(marks.summary_given, today):
        return
    progress = progress_of(handler_input, turn)
    if progress is None or progress.last_week == 0:
        return
    marks.summary_given = today
    reply.speech.sentence(
        turn.text(
            "progress.weekly",
            routines=_count(turn, progress.last_week, "routines"),
            days=_count(turn, progress.days_last_week, "days"),
        )
    )


# -- effort and progression -------------------------------------------------------------------


def effort_offer(turn: Turn, reply: Reply) -> Reply:
    """After a strengthening routine: ask about effort only (never symptoms)."""
    from heel_coach.progress import stats

    event = turn.outcome.finished
    kinds = stats.routine_kinds(turn.catalogue)
    if event is None or stats.STRENGTH not in kinds.get(event.routine_id, frozenset()):
        return reply
    return turn.ask(reply, "effort.question", "effort.reprompt", Pending.EFFORT)


def effort_answered(turn: Turn, reply: Reply, effort: str | None) -> Reply:
    """ "That was easy": offer the seeds' next step; "about right" / "hard": stay put."""
    from heel_coach.progress import stats

    found = stats.progressing_exercise(turn.catalogue)
    if effort != "easy" or found is None:
        reply.speech.sentence(turn.text("effort.hard" if effort == "hard" else "effort.right"))
        return turn.ask(reply, "help.idle.question", "reprompt.choose_routine", Pending.ROUTINE)
    exercise, levels = found
    name = turn.speaker.exercise_name(exercise)
    step = stats.next_level(levels, turn.user.progression.get(exercise.id))
    if step is None:
        reply.speech.sentence(turn.text("effort.easy.top", exercise=name))
        return turn.ask(reply, "help.idle.question", "reprompt.choose_routine", Pending.ROUTINE)
    turn.session.progression = ProgressionOffer(exercise.id, step)
    instruction = exercise.text[turn.speaker.locale].variant_notes.get(step, "")
    return turn.ask(
        reply,
        "effort.easy.offer",
        "effort.easy.offer.reprompt",
        Pending.PROGRESSION,
        exercise=name,
        instruction=instruction,
    )


def progression_answered(turn: Turn, reply: Reply, *, accepted: bool) -> Reply:
    """Yes or no to "Shall I remind you of that next time?": remember the chosen level."""
    chosen, turn.session.progression = turn.session.progression, None
    exercise = turn.catalogue.exercises.get(chosen.exercise) if chosen is not None else None
    if not accepted or exercise is None or chosen is None:
        reply.speech.sentence(turn.text("effort.not_saved"))
    else:
        turn.user.progression[exercise.id] = chosen.level
        reply.speech.sentence(
            turn.text(
                "effort.saved",
                exercise=turn.speaker.exercise_name(exercise),
                instruction=exercise.text[turn.speaker.locale].variant_notes.get(chosen.level, ""),
            )
        )
    return turn.ask(reply, "help.idle.question", "reprompt.choose_routine", Pending.ROUTINE)
