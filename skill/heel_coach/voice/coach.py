"""The conversation: what happens when a user starts, chooses, moves through or leaves a routine.

Handlers translate requests into calls here; this module calls the pure engine and the
Speaker, and changes only the ``Turn``'s user data (saved once, by the response interceptor).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from heel_coach.catalogue.model import Catalogue, Focus, Routine
from heel_coach.engine import machine
from heel_coach.engine.machine import Command, Transition
from heel_coach.engine.plan import Foot, Plan, build_plan
from heel_coach.errors import EngineError
from heel_coach.voice.speech import Reply, Speaker
from heel_coach.voice.user import UserData

# Dialog questions kept in session attributes between turns.
ASK_FOOT = "foot"
ASK_FOCUS = "focus"
ASK_RESUME = "resume"
ASK_ROUTINE = "routine"
ASK_CONTINUE = "continue"


class PlanCache:
    """Plans are pure functions of (routine, foot, focus): build each once per process."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._build = lru_cache(maxsize=256)(self._uncached)

    def _uncached(self, routine_id: str, foot: Foot, focus: Focus) -> Plan:
        return build_plan(self.catalogue.routine(routine_id), foot, focus)

    def get(self, routine_id: str, foot: Foot, focus: Focus) -> Plan:
        plan: Plan = self._build(routine_id, foot, focus)
        return plan

    def total_s(self, routine_id: str) -> int:
        """The published length of a routine: both feet, sole focus (as ``routine_total_s``)."""
        return self.get(routine_id, Foot.BOTH, Focus.SOLE).total_s


@dataclass
class Turn:
    """Everything one request needs, prepared by the request interceptor."""

    speaker: Speaker
    plans: PlanCache
    user: UserData
    session: dict[str, Any]
    now: datetime
    in_session: bool = True
    notes: dict[str, Any] = field(default_factory=dict)
    """Facts for the response interceptor (e.g. a finished routine to record)."""

    @property
    def catalogue(self) -> Catalogue:
        return self.plans.catalogue

    def text(self, key: str, **params: object) -> str:
        return self.speaker.text(key, **params)

    def reply(self) -> Reply:
        return Reply(self.speaker.ssml())

    def plan(self) -> Plan | None:
        state = self.user.routine
        if state is None or state.routine_id not in self.catalogue.routines:
            return None
        plan = self.plans.get(state.routine_id, state.foot, state.focus)
        try:
            state.check(plan)
        except EngineError:
            return None
        return plan

    def active_plan(self) -> Plan | None:
        """The plan of an unfinished routine, if the user has one."""
        plan = self.plan()
        if plan is None or self.user.routine is None or self.user.routine.finished(plan):
            return None
        return plan

    def ask(
        self,
        reply: Reply,
        question_key: str,
        reprompt_key: str,
        pending: str | None,
        **params: object,
    ) -> Reply:
        reply.speech.sentence(self.text(question_key, **params))
        reply.reprompt = self.text(reprompt_key, **params)
        reply.end_session = False
        self.session["pending"] = pending
        return reply


def needs_focus(routine: Routine) -> bool:
    return any(entry.focus is not None for entry in routine.entries)


def start_routine(turn: Turn, routine_id: str, reply: Reply | None = None) -> Reply:
    """Start a routine, first asking for the foot and (where it matters) the focus."""
    reply = reply or turn.reply()
    routine = turn.catalogue.routine(routine_id)
    turn.session["routine"] = routine_id
    if turn.user.foot is None:
        return turn.ask(reply, "ask.foot", "reprompt.foot", ASK_FOOT)
    if needs_focus(routine) and turn.user.focus is None:
        return turn.ask(reply, "ask.focus", "reprompt.focus", ASK_FOCUS)
    turn.session.pop("routine", None)
    turn.session["pending"] = None
    plan = turn.plans.get(routine_id, turn.user.foot, turn.user.focus or Focus.SOLE)
    return _apply(turn, machine.start(plan), plan, reply)


def navigate(turn: Turn, command: Command, reply: Reply | None = None) -> Reply:
    """Move inside the current routine; without one, say so and offer routines."""
    reply = reply or turn.reply()
    turn.session["pending"] = None
    plan = turn.plan()
    state = turn.user.routine
    if plan is None or state is None or (state.finished(plan) and command is not Command.START_OVER):
        reply.speech.sentence(turn.text("routine.none"))
        return turn.ask(reply, "routine.none.question", "reprompt.choose_routine", ASK_ROUTINE)
    return _apply(turn, machine.apply(state, plan, command), plan, reply)


def _apply(turn: Turn, transition: Transition, plan: Plan, reply: Reply) -> Reply:
    turn.user.routine = transition.state
    reply = turn.speaker.render(
        transition.events,
        plan,
        reply,
        contraindications_due=not turn.user.contraindications_given,
        progression=turn.user.extra.get("progression") or {},
    )
    if reply.said_contraindications:
        turn.user.contraindications_given = True
    for event in transition.events:
        if isinstance(event, machine.RoutineFinished):
            turn.notes["finished"] = event
    return reply


def set_foot(turn: Turn, foot: Foot) -> None:
    turn.user.foot = foot


def set_focus(turn: Turn, focus: Focus) -> None:
    turn.user.focus = focus


def continue_after_choice(turn: Turn, reply: Reply) -> Reply:
    """After the user answered the foot or focus question, carry on with the routine they asked for."""
    routine_id = turn.session.get("routine")
    if isinstance(routine_id, str) and routine_id in turn.catalogue.routines:
        return start_routine(turn, routine_id, reply)
    state = turn.user.routine
    if state is not None and turn.active_plan() is not None:
        # A change of foot or focus mid-routine restarts that routine with the new choice.
        return start_routine(turn, state.routine_id, reply)
    reply.speech.sentence(
        turn.text(
            "preferences.saved",
            foot_phrase=turn.speaker.foot_phrase(turn.user.foot or Foot.BOTH),
            focus_phrase=turn.text(f"focus.{(turn.user.focus or Focus.SOLE).value}"),
        )
    )
    return turn.ask(reply, "welcome.back.question", "reprompt.choose_routine", ASK_ROUTINE)


def resume_prompt(turn: Turn, reply: Reply) -> Reply:
    """Offer to carry on an unfinished routine (used at launch)."""
    plan = turn.active_plan()
    state = turn.user.routine
    assert plan is not None and state is not None
    step = plan.steps[state.position]
    exercise = turn.catalogue.exercise(step.exercise_id)
    from heel_coach.voice import phrasing

    params = {
        "exercise": turn.speaker.exercise_name(exercise),
        "number": phrasing.number_words(step.entry_index + 1),
        "count": phrasing.number_words(plan.exercise_count()),
        "routine": turn.speaker.routine_name(turn.catalogue.routine(state.routine_id)),
    }
    return turn.ask(reply, "welcome.resume", "reprompt.resume", ASK_RESUME, **params)
