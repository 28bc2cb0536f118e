"""Routines, step by step: what happens when a user starts, chooses, moves through or leaves one.

Handlers translate requests into calls here; this module calls the pure engine and the
Speaker, and changes only the ``Turn``'s user data (saved once, by the response interceptor).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from heel_coach.catalogue.model import Focus, Foot
from heel_coach.voice.speech import Reply
from heel_coach.voice.state import Pending, SentStep
from heel_coach.voice.turn import Turn, needs_focus

# The engine, progress statistics and screen requests are imported where they are used, so a
# launch loads only what it needs (Lambda cold start: benchmarks/RESULTS.md, figure 7).
if TYPE_CHECKING:
    from heel_coach.engine.machine import Command, Transition
    from heel_coach.engine.plan import Plan, Segment

ALEXA_LATENCY_S = 1.0
"""Ours: seconds between two request timestamps that are not the person's time in the response.
Alexa starts speaking a response a little after it stamps the request (the skill's answer, the
start of speech synthesis), and stamps the next request a little after the person's words
("Alexa, repeat"). Together that is one to three seconds on a device (not documented; our
estimate); we take the small end, so that a person who speaks in the last second or two of a
set is taken to have finished it rather than made to do a finished set again. Timestamps
are whole seconds (Alexa's format), so a place is known to about a second either way."""
LATE_LIMIT_S = 150.0
"""A request stamped this long after a response's last set is past any listening window: its
clock is not trusted (the web edge's own tolerance for a request's timestamp is 150 s)."""


def start_routine(turn: Turn, routine_id: str, reply: Reply | None = None) -> Reply:
    """Start a routine, first asking for the foot and (where it matters) the focus."""
    from heel_coach.engine import machine
    from heel_coach.screens.requests import ShowOverview

    reply = reply or turn.reply()
    routine = turn.catalogue.routine(routine_id)
    turn.session.routine = routine_id
    reply.shows.append(ShowOverview(routine_id))
    if turn.user.foot is None:
        return turn.ask(reply, "ask.foot", "reprompt.foot", Pending.FOOT)
    if needs_focus(routine) and turn.user.focus is None:
        return turn.ask(reply, "ask.focus", "reprompt.focus", Pending.FOCUS)
    turn.session.routine = None
    turn.session.pending = None
    plan = turn.plans.get(routine_id, turn.user.foot, turn.user.focus or Focus.SOLE)
    if turn.before_start is not None and (started := turn.before_start(turn, plan, reply)) is not None:
        return started  # the hands-free offer, or playback (voice/features/playback.py)
    return _apply(turn, machine.start(plan), plan, reply)


def navigate(turn: Turn, command: Command, reply: Reply | None = None) -> Reply:
    """Move inside the current routine; without one, say so and offer routines."""
    from heel_coach.engine import machine
    from heel_coach.engine.machine import Command

    reply = reply or turn.reply()
    if turn.session.pending is Pending.READY and command is Command.NEXT:
        command = Command.BEGIN
    turn.session.pending = None
    plan = turn.plan()
    state = turn.user.routine
    if plan is None or state is None or (state.finished(plan) and command is not Command.START_OVER):
        reply.speech.sentence(turn.text("routine.none"))
        return turn.ask(reply, "routine.none.question", "reprompt.choose_routine", Pending.ROUTINE)
    at = located(turn) if command in (Command.REPEAT, Command.PAUSE, Command.REMAINING) else None
    return _apply(turn, machine.apply(state, plan, command, at=at), plan, reply)


def located(turn: Turn) -> int | None:
    """The segment of the current step the person was in when they first spoke after its
    response (its segment count once its last set was over); None when no response of this
    session said that step, or the request times cannot be trusted.

    Alexa tells a skill nothing about where a barge-in cut its speech; the request timestamps
    do: the time between the step's request and the next one, less ``ALEXA_LATENCY_S``, is how
    far into the response the person was. The response's sets were timed when it was built
    (``SaidStep``), with the speech estimate every length uses.
    """
    sent, state = turn.session.sent, turn.user.routine
    if sent is None or sent.heard_after_s is None or state is None or sent.step != state.position:
        return None
    if not sent.set_ends_s or not 0 <= sent.heard_after_s <= sent.set_ends_s[-1] + LATE_LIMIT_S:
        return None  # a clock went backwards, or jumped: today's repeat from where it was said
    return sent.first + bisect_right(sent.set_ends_s, sent.heard_after_s - ALEXA_LATENCY_S)


def current_segment(turn: Turn, plan: Plan) -> tuple[Segment, bool]:
    """The set the person is on in the current step, and whether it was located (where they
    were when they spoke) rather than where the step was last said from."""
    from heel_coach.engine import machine

    state = turn.user.routine
    assert state is not None
    segments = plan.steps[state.position].segments
    at = located(turn)
    return segments[min(machine.place(state, at, len(segments)), len(segments) - 1)], at is not None


def remember_step(turn: Turn, reply: Reply, said_before: float = 0.0) -> None:
    """Keep the timing of the step this reply says (``said_before``: seconds of speech put in
    front of the reply's own), for the requests that follow it in this session."""
    said = reply.said_step
    if said is not None:
        ends = tuple(said_before + end for end in said.set_ends_s)
        turn.session.sent = SentStep(said.step_index, said.first, turn.now, ends)


def _apply(turn: Turn, transition: Transition, plan: Plan, reply: Reply) -> Reply:
    from heel_coach.engine import machine

    turn.user.routine = transition.state
    if any(isinstance(e, machine.RoutineStarted | machine.RoutineFinished) for e in transition.events):
        turn.session.sent = None  # a new run (or none): an earlier response's timing means nothing
    reply = turn.speaker.render(transition.events, plan, reply, turn.voice())
    if reply.said_contraindications:
        turn.user.contraindications_given = True
    for event in transition.events:
        if isinstance(event, machine.RoutineFinished):
            turn.outcome.finished = event
    # The response ends at a step's wait point: if Alexa stops listening there, the step is done.
    turn.session.at_wait = isinstance(transition.events[-1], machine.StepStarted)
    if isinstance(transition.events[-1], machine.RoutineStarted):
        reply.reprompt = turn.text("reprompt.ready")
        reply.end_session = False
        turn.session.pending = Pending.READY
    return reply


def ended_at_wait(turn: Turn) -> None:
    """SessionEndedRequest: when the last response was a whole step, its sets are finished and
    the next launch carries on after it (never repeating them). When the person spoke over
    it (a question mid-set) and then went quiet, the set they were in is where it carries on."""
    from heel_coach.engine import machine
    from heel_coach.engine.machine import Command

    plan = turn.active_plan()
    state = turn.user.routine
    if plan is None or state is None:
        return
    at = located(turn)
    if at is not None and at < len(plan.steps[state.position].segments):
        transition = machine.apply(state, plan, Command.PAUSE, at=at)
    elif turn.session.at_wait:
        transition = machine.apply(state, plan, Command.ENDED_AT_WAIT)
    else:
        return
    turn.user.routine = transition.state
    for event in transition.events:
        if isinstance(event, machine.RoutineFinished):
            turn.outcome.finished = event


def set_foot(turn: Turn, foot: Foot) -> None:
    turn.user.foot = foot


def set_focus(turn: Turn, focus: Focus) -> None:
    turn.user.focus = focus


def continue_after_choice(turn: Turn, reply: Reply) -> Reply:
    """After the user answered the foot or focus question, carry on with the routine they asked for."""

    routine_id = turn.session.routine
    if routine_id is not None and routine_id in turn.catalogue.routines:
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
    return turn.ask(reply, "welcome.back.question", "reprompt.choose_routine", Pending.ROUTINE)


def resume_prompt(turn: Turn, reply: Reply) -> Reply:
    """Offer to carry on an unfinished routine (used at launch)."""
    plan = turn.active_plan()
    state = turn.user.routine
    assert plan is not None and state is not None
    step = plan.steps[state.resumes_at(plan)]
    exercise = turn.catalogue.exercise(step.exercise_id)
    params = {
        "exercise": turn.speaker.exercise_name(exercise),
        "number": turn.speaker.words.number(step.entry_index + 1),
        "count": turn.speaker.words.number(plan.exercise_count()),
        "routine": turn.speaker.routine_name(turn.catalogue.routine(state.routine_id)),
    }
    reply.speech.sentence(turn.text("welcome.resume.next", **params))
    question = turn.resume_question(turn) if turn.resume_question is not None else None
    return turn.ask(reply, question or "welcome.resume.question", "reprompt.resume", Pending.RESUME, **params)


def start_or_offer(
    turn: Turn, reply: Reply, routine_id: str | None, heard: str | None, foot_id: str | None
) -> Reply:
    """ "Start my routine": the named routine, or an offer to carry on, or the list to choose from."""

    if foot_id is not None:
        set_foot(turn, Foot(foot_id))
    if routine_id is None or routine_id not in turn.catalogue.routines:
        if heard:
            reply.speech.sentence(turn.text("routine.unknown", heard=heard))
        elif turn.active_plan() is not None:
            return resume_prompt(turn, reply)
        return list_routines(turn, reply)
    return start_routine(turn, routine_id, reply)


def list_routines(turn: Turn, reply: Reply) -> Reply:
    reply.speech.sentence(turn.speaker.routine_list(turn.routine_seconds))
    return turn.ask(reply, "routines.list.question", "reprompt.choose_routine", Pending.ROUTINE)


def describe_exercise(turn: Turn, reply: Reply, exercise_id: str | None, heard: str | None) -> Reply:
    """Describe a named exercise, or the current one; never starts timing."""

    plan = turn.active_plan()
    entry = None
    if exercise_id is None and heard is None and plan is not None and turn.user.routine:
        entry = plan.entries[plan.steps[turn.user.routine.position].entry_index]
        exercise_id = entry.exercise.id
    if exercise_id is None or exercise_id not in turn.catalogue.exercises:
        if heard:
            reply.speech.sentence(turn.text("exercise.unknown", heard=heard))
        return turn.ask(reply, "help.idle.question", "reprompt.choose_routine", None)
    foot = plan.foot if plan is not None else Foot.BOTH
    reply.speech.extend(turn.speaker.describe_exercise(turn.catalogue.exercise(exercise_id), entry, foot))
    return turn.ask(reply, "exercise.describe.question", "reprompt.step", None)
