"""Questions a person asks mid-exercise, and leaving for a while: one home for the answers.

Why an exercise is done, what it needs, which foot or leg is working, how many sets or
exercises are left, a break, and stopping for today. Answers read the routine's plan and never
move the routine; a break and "stop for now" pause it with the place kept (continuous playback
is stopped at its offset), so the next "open heel coach" offers to carry on from there.
"""

from __future__ import annotations

from heel_coach.catalogue.model import Exercise, Focus, Sides
from heel_coach.engine.plan import Plan, Step
from heel_coach.voice.features.routine import current_segment
from heel_coach.voice.features.safety import hold_place
from heel_coach.voice.speech import Reply
from heel_coach.voice.state import Pending
from heel_coach.voice.tracks import TrackLibrary
from heel_coach.voice.turn import Turn


def _current(turn: Turn) -> tuple[Plan, Step] | None:
    plan, state = turn.active_plan(), turn.user.routine
    if plan is None or state is None:
        return None
    return plan, plan.steps[state.position]


def _carry_on(turn: Turn, reply: Reply) -> Reply:
    """After an answer: at a routine's opening, say 'ready' again (the answer never starts the
    routine, and "ready" must still begin exercise one); mid-routine, how to go on; otherwise,
    what to do next."""
    if turn.session.pending is Pending.READY:
        return turn.ask(reply, "reprompt.ready", "reprompt.ready", Pending.READY)
    if turn.active_plan() is not None:
        return turn.ask(reply, "reprompt.step", "reprompt.step", Pending.CONTINUE)
    return turn.ask(reply, "help.idle.question", "reprompt.choose_routine", Pending.ROUTINE)


def _limb(exercise: Exercise) -> str:
    """Which prompt variant names the working side: "foot", or "leg" for leg exercises."""
    return exercise.limb.value


# -- why an exercise is done -----------------------------------------------------------------


def purpose(turn: Turn, reply: Reply, exercise_id: str | None, heard: str | None) -> Reply:
    """ "What is this for": the named exercise, else the current one (seed-sourced purpose)."""
    if exercise_id is None and heard is None and (current := _current(turn)) is not None:
        exercise_id = current[1].exercise_id
    if exercise_id is None or exercise_id not in turn.catalogue.exercises:
        if heard:
            reply.speech.sentence(turn.text("exercise.unknown", heard=heard))
        if turn.active_plan() is None:
            return turn.ask(reply, "purpose.which", "reprompt.choose_routine", Pending.ROUTINE)
        reply.speech.sentence(turn.text("purpose.which"))
        return _carry_on(turn, reply)
    exercise = turn.catalogue.exercise(exercise_id)
    text = exercise.text[turn.speaker.locale]
    reply.speech.sentence(text.purpose.text)
    return _carry_on(turn, reply)


# -- what it needs ---------------------------------------------------------------------------


def equipment(turn: Turn, reply: Reply, routine_id: str | None) -> Reply:
    """ "What do I need": the named routine, the current exercise, or the routine being chosen."""
    asked_for = routine_id or turn.session.routine
    current = _current(turn)
    if turn.session.pending is Pending.READY and (opened := turn.active_plan()) is not None:
        asked_for = asked_for or opened.routine_id  # at the opening: the whole routine's needs
        current = None
    if routine_id is None and current is not None:
        plan, step = current
        for sentence in turn.speaker.needs_sentences(plan.entries[step.entry_index].exercise):
            reply.speech.sentence(sentence)
        return _carry_on(turn, reply)
    if not isinstance(asked_for, str) or asked_for not in turn.catalogue.routines:
        return turn.ask(reply, "equipment.which", "reprompt.choose_routine", Pending.ROUTINE)
    chosen = turn.catalogue.routine(asked_for)
    entries = chosen.entries_for(turn.user.focus or Focus.SOLE)
    for sentence in turn.speaker.routine_equipment(entries):
        reply.speech.sentence(sentence)
    pending = turn.session.pending
    if pending == Pending.FOOT:  # still choosing: ask the open question again
        return turn.ask(reply, "ask.foot", "reprompt.foot", Pending.FOOT)
    if pending == Pending.FOCUS:
        return turn.ask(reply, "ask.focus", "reprompt.focus", Pending.FOCUS)
    return _carry_on(turn, reply)


# -- which side ---------------------------------------------------------------------------------


def which_side(turn: Turn, reply: Reply) -> Reply:
    """ "Which foot am I on": the side(s) of the current step, named by the limb that works."""
    current = _current(turn)
    if current is None:
        if turn.user.foot is not None:
            reply.speech.sentence(
                turn.text("side.chosen", foot_phrase=turn.speaker.foot_phrase(turn.user.foot))
            )
        else:
            reply.speech.sentence(turn.text("side.none"))
        return _carry_on(turn, reply)
    plan, step = current
    exercise = plan.entries[step.entry_index].exercise
    limb = _limb(exercise)
    sides = list(dict.fromkeys(seg.side for seg in step.segments if seg.side is not None))
    segment, located = current_segment(turn, plan)
    if exercise.sides is not Sides.EACH or not sides:
        reply.speech.sentence(turn.text(f"side.together.{limb}"))
    elif len(sides) == 1 or (located and segment.side is not None):  # asked mid-step: that side
        reply.speech.sentence(turn.text(f"side.one.{limb}", side=segment.side or sides[0]))
    else:
        reply.speech.sentence(turn.text(f"side.two.{limb}", first=sides[0], second=sides[1]))
    return _carry_on(turn, reply)


# -- how many are left ---------------------------------------------------------------------------


def sets_left(turn: Turn, reply: Reply) -> Reply:
    """ "How many sets are left": this set of this exercise, then the exercises after it."""
    current = _current(turn)
    if current is None:
        reply.speech.sentence(turn.text("routine.none"))
        return turn.ask(reply, "routine.none.question", "reprompt.choose_routine", Pending.ROUTINE)
    plan, step = current
    segment, _ = current_segment(turn, plan)  # the set they were in when they asked
    name = turn.speaker.exercise_name(plan.entries[step.entry_index].exercise)
    if segment.sets > 1:
        reply.speech.sentence(
            turn.text(
                "sets.current",
                set=turn.speaker.words.number(segment.set_no),
                sets=turn.speaker.words.number(segment.sets),
                exercise=name,
            )
        )
    else:
        reply.speech.sentence(turn.text("sets.single", exercise=name))
    after = plan.exercise_count() - (step.entry_index + 1)
    if after:
        exercises = turn.speaker.counted("exercises", after)
        reply.speech.sentence(turn.text("sets.after", exercises=exercises))
    else:
        reply.speech.sentence(turn.text("sets.last_exercise"))
    return _carry_on(turn, reply)


# -- leaving for a while ---------------------------------------------------------------------


BREAK = "break"
"""``leave`` for "hang on", "I need a break": say how to come back."""
STOP_FOR_NOW = "stop_for_now"
"""``leave`` for "that's enough for today": say the place is kept."""


def leave(
    turn: Turn, reply: Reply, why: str, library: TrackLibrary | None = None, offset_ms: int | None = None
) -> Reply:
    """Pause with the place kept (continuous playback at its offset) and end the session,
    saying ``<why>.paused`` (or ``<why>.idle`` with no routine going)."""
    plan = hold_place(turn, reply, library, offset_ms)
    state = turn.user.routine
    if plan is None or state is None:
        reply.speech.sentence(turn.text(f"{why}.idle"))
    else:  # the exercise a resume starts with (the next one when this one's sets were all done)
        exercise = turn.catalogue.exercise(plan.steps[state.resumes_at(plan)].exercise_id)
        routine_name = turn.speaker.routine_name(turn.catalogue.routine(plan.routine_id))
        reply.speech.sentence(
            turn.text(f"{why}.paused", exercise=turn.speaker.exercise_name(exercise), routine=routine_name)
        )
    turn.session.pending = None
    turn.session.routine = None
    reply.reprompt = None
    reply.end_session = True
    return reply


# -- answers nobody asked for ----------------------------------------------------------------


def out_of_context(turn: Turn, reply: Reply, intent: str, pending: Pending | None) -> Reply:
    """A foot, focus, effort or yes/no answer when that question is not open: nothing changes;
    say how to do it properly, then ask the open question again (or how to go on)."""
    state = turn.user.routine
    plan = turn.active_plan()
    if intent == "ChooseFootIntent":
        if plan is not None and state is not None:
            name = turn.speaker.routine_name(turn.catalogue.routine(state.routine_id))
            reply.speech.sentence(turn.text("context.foot", routine=name))
        else:
            reply.speech.sentence(turn.text("context.foot.idle"))
    elif intent == "ChooseFocusIntent":
        reply.speech.sentence(turn.text("context.focus"))
    elif intent == "EffortIntent" and plan is not None:
        reply.speech.sentence(turn.text("context.effort"))
    if pending == Pending.FOOT:
        return turn.ask(reply, "ask.foot", "reprompt.foot", Pending.FOOT)
    if pending == Pending.FOCUS:
        return turn.ask(reply, "ask.focus", "reprompt.focus", Pending.FOCUS)
    return _carry_on(turn, reply)
