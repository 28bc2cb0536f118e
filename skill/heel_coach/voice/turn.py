"""One request's view of the conversation: the user, the session, the clock and the wording.

The request interceptor builds a ``Turn``; features change only its user data and session
(saved once, by the response interceptor); handlers reach it through request attributes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from heel_coach.catalogue.model import Catalogue, Focus, Foot, Routine
from heel_coach.errors import EngineError
from heel_coach.voice.speech import Listener, Reply, RoutineVoice, Speaker
from heel_coach.voice.state import Pending, SessionState, TurnOutcome
from heel_coach.voice.user import UserData

# The engine, progress statistics and screen requests are imported where they are used, so a
# launch loads only what it needs (Lambda cold start: benchmarks/RESULTS.md, figure 7).
if TYPE_CHECKING:
    from heel_coach.engine.plan import Plan

TURN = "heelcoach.turn"
"""Request-attribute key of the current Turn."""


def needs_focus(routine: Routine) -> bool:
    """Whether the calf/sole focus changes this routine's plan (else it is not asked)."""
    return any(entry.focus is not None for entry in routine.entries)


class PlanCache:
    """Plans are pure functions of (routine, foot, focus): build each once per process."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._build = lru_cache(maxsize=256)(self._uncached)

    def _uncached(self, routine_id: str, foot: Foot, focus: Focus) -> Plan:
        from heel_coach.engine.plan import build_plan

        return build_plan(self.catalogue.routine(routine_id), foot, focus)

    def get(self, routine_id: str, foot: Foot, focus: Focus) -> Plan:
        plan: Plan = self._build(routine_id, foot, focus)
        return plan


@dataclass
class Turn:
    """Everything one request needs, prepared by the request interceptor."""

    speaker: Speaker
    plans: PlanCache
    user: UserData
    session: SessionState
    now: datetime
    in_session: bool = True
    outcome: TurnOutcome = field(default_factory=TurnOutcome)
    """What this turn decided, for the response interceptor (e.g. a finished routine to record)."""
    before_start: Callable[[Turn, Plan, Reply], Reply | None] | None = None
    """Runs as a routine starts (foot and focus known); a Reply replaces step mode's first turn.
    Set per request where continuous playback could play (``features.playback.HandsFreeInterceptor``)."""
    resume_question: Callable[[Turn], str | None] | None = None
    """The prompt key of the question offering to carry on an unfinished routine, when the way
    it carries on is not step mode's (a routine paused while playing: ``features.playback``)."""

    @property
    def catalogue(self) -> Catalogue:
        return self.plans.catalogue

    def text(self, key: str, **params: object) -> str:
        return self.speaker.text(key, **params)

    def reply(self) -> Reply:
        return Reply(self.speaker.ssml())

    def voice(self, *, safety: bool = True) -> RoutineVoice:
        """This user's wording of a routine; its ``seconds`` is every announced length.
        ``safety=False`` where the massage-safety sentence was said another way (playback)."""
        listener = Listener(
            safety_due=safety and not self.user.contraindications_given,
            short_for=self.user.exercises.familiar(),
            progression=self.user.progression,
        )
        return self.speaker.voice(listener)

    def routine_seconds(self, routine_id: str) -> float:
        """A routine's length for this user, with their foot and focus (both feet, sole if unset)."""

        plan = self.plans.get(routine_id, self.user.foot or Foot.BOTH, self.user.focus or Focus.SOLE)
        return self.voice().seconds(plan)

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
        pending: Pending | None,
        **params: object,
    ) -> Reply:
        reply.speech.sentence(self.text(question_key, **params))
        reply.reprompt = self.text(reprompt_key, **params)
        reply.end_session = False
        self.session.pending = pending
        return reply
