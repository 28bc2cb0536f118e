"""When it hurts, and massage safety: the seeds' rules, said without asking about symptoms.

"It hurts" works in every state. The current exercise stops with its place kept (continuous
playback is stopped at its offset), the seeds' rules and warning signs are said in a few
short sentences (``safety.yaml``, with their sources), and the person may skip the exercise
or finish for today. Alexa's health policy: the skill never asks where or how it hurts and
never names a condition (reference §8).
"""

from __future__ import annotations

from heel_coach.catalogue.model import Category
from heel_coach.engine import machine
from heel_coach.engine.machine import Command
from heel_coach.engine.plan import Plan
from heel_coach.voice.features import playback, routine
from heel_coach.voice.speech import Reply
from heel_coach.voice.state import Pending
from heel_coach.voice.tracks import TrackLibrary
from heel_coach.voice.turn import Turn

_ASKED_AGAIN = {
    Pending.FOOT: ("ask.foot", "reprompt.foot"),
    Pending.FOCUS: ("ask.focus", "reprompt.focus"),
    Pending.READY: ("reprompt.ready", "reprompt.ready"),
}
"""Questions that are asked again after the pain answer (nothing can go on without them); at
a routine's opening nothing has started, so nothing is stopped and "ready" still begins it."""


def hold_place(
    turn: Turn, reply: Reply, library: TrackLibrary | None = None, offset_ms: int | None = None
) -> Plan | None:
    """Pause the current routine where it is, and continuous playback at ``offset_ms`` when
    ``library`` is given and playback is active (an AudioPlayer.Stop goes into ``reply``).
    Step by step, the place is the set the person was in when they spoke (``routine.located``):
    resuming starts there, never at a set they finished.
    Returns the routine's plan, or None when no routine is going."""
    plan, state = turn.active_plan(), turn.user.routine
    if plan is None or state is None:
        return None
    if library is not None and playback.is_active(turn):
        playback.command(turn, library, Command.PAUSE, reply, offset_ms=offset_ms, speak=True)
    else:
        turn.user.routine = machine.apply(state, plan, Command.PAUSE, at=routine.located(turn)).state
    return plan


def pain_rules(turn: Turn, reply: Reply, category: Category | None = None) -> None:
    """The seeds' rules on pain, then the warning signs (seed 002), in their own sentences.

    ``category``: the exercise the person was doing, None outside one. How much a massage may
    hurt (seed 003) is said during a roll or massage (release) and outside an exercise, not in
    the middle of a toe raise or a stretch."""
    safety = turn.speaker.safety()
    for rule in safety.pain:
        reply.speech.sentence(rule.text)
    if category in (None, Category.RELEASE):
        reply.speech.sentence(safety.massage_pain.text)
    reply.speech.sentence(turn.speaker.red_flags())


def it_hurts(
    turn: Turn,
    reply: Reply,
    pending: Pending | None,
    library: TrackLibrary | None = None,
    offset_ms: int | None = None,
) -> Reply:
    """ "It hurts": stop (playback too, at its offset), the rules, then skip or finish.

    ``library`` is given when continuous playback is active on this device.
    """
    plan = None if pending is Pending.READY else hold_place(turn, reply, library, offset_ms)
    if plan is not None and turn.user.routine is not None:
        step = plan.steps[min(turn.user.routine.position, len(plan.steps) - 1)]
        reply.speech.sentence(turn.text("pain.stop"))
        pain_rules(turn, reply, turn.catalogue.exercise(step.exercise_id).category)
        reply.speech.sentence(turn.text("pain.offer"))
        reply.reprompt = turn.text("pain.offer.reprompt")
        reply.end_session = False
        turn.session.pending = None
        return reply
    pain_rules(turn, reply)
    if pending in _ASKED_AGAIN:
        question, reprompt = _ASKED_AGAIN[pending]
        return turn.ask(reply, question, reprompt, pending)
    return turn.ask(reply, "pain.idle.question", "reprompt.choose_routine", Pending.ROUTINE)


def massage_card(turn: Turn) -> tuple[str, str]:
    """Title and text of the card with seed 003's full list (the spoken list is long)."""
    items = "\n".join(f"- {item}" for item in turn.speaker.safety().massage_contraindications)
    return turn.text("massage.card.title"), f"{turn.text('massage.card.intro')}\n{items}"
