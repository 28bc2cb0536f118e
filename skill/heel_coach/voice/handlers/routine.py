"""Routine intents: start, list, describe, move through, and how much is left."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from heel_coach.engine.machine import Command
from heel_coach.engine.plan import Foot
from heel_coach.voice import coach
from heel_coach.voice.handlers import progress
from heel_coach.voice.handlers.base import intent_is, respond, slot_id, turn_of

NAVIGATION = {
    "AMAZON.NextIntent": Command.NEXT,
    "KeepGoingIntent": Command.NEXT,
    "AMAZON.PreviousIntent": Command.PREVIOUS,
    "AMAZON.RepeatIntent": Command.REPEAT,
    "SkipExerciseIntent": Command.SKIP,
    "AMAZON.StartOverIntent": Command.START_OVER,
    "AMAZON.PauseIntent": Command.PAUSE,
    "AMAZON.ResumeIntent": Command.RESUME,
    "TimeLeftIntent": Command.REMAINING,
}


class StartRoutineHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "StartRoutineIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        routine_id, heard = slot_id(handler_input, "Routine")
        foot_id, _ = slot_id(handler_input, "Foot")
        if foot_id is not None:
            coach.set_foot(turn, Foot(foot_id))
        if routine_id is None or routine_id not in turn.catalogue.routines:
            if heard:
                reply.speech.sentence(turn.text("routine.unknown", heard=heard))
            elif turn.active_plan() is not None:
                return respond(handler_input, coach.resume_prompt(turn, reply))
            reply.speech.sentence(turn.speaker.routine_list(turn.plans.total_s))
            return respond(
                handler_input,
                turn.ask(reply, "routines.list.question", "reprompt.choose_routine", coach.ASK_ROUTINE),
            )
        return respond(handler_input, coach.start_routine(turn, routine_id, reply))


class ListRoutinesHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "ListRoutinesIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        reply.speech.sentence(turn.speaker.routine_list(turn.plans.total_s))
        return respond(
            handler_input,
            turn.ask(reply, "routines.list.question", "reprompt.choose_routine", coach.ASK_ROUTINE),
        )


class DescribeExerciseHandler(AbstractRequestHandler):
    """Describe a named exercise, or the current one; never starts timing."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, "DescribeExerciseIntent")

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        reply = turn.reply()
        exercise_id, heard = slot_id(handler_input, "Exercise")
        plan = turn.active_plan()
        entry = None
        if exercise_id is None and heard is None and plan is not None and turn.user.routine:
            entry = plan.entries[plan.steps[turn.user.routine.position].entry_index]
            exercise_id = entry.exercise.id
        if exercise_id is None or exercise_id not in turn.catalogue.exercises:
            if heard:
                reply.speech.sentence(turn.text("exercise.unknown", heard=heard))
            return respond(
                handler_input,
                turn.ask(reply, "help.idle.question", "reprompt.choose_routine", None),
            )
        reply.speech.extend(turn.speaker.describe_exercise(turn.catalogue.exercise(exercise_id), entry))
        return respond(handler_input, turn.ask(reply, "exercise.describe.question", "reprompt.step", None))


class NavigationHandler(AbstractRequestHandler):
    """Next, keep going, previous, repeat, skip, start over, pause, resume, how long is left."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_is(handler_input, *NAVIGATION)

    def handle(self, handler_input: HandlerInput) -> Response:
        from ask_sdk_core.utils import get_intent_name

        turn = turn_of(handler_input)
        reply = coach.navigate(turn, NAVIGATION[str(get_intent_name(handler_input))])
        # After a strengthening routine, ask about effort (never symptoms) to offer progressions.
        return respond(handler_input, progress.effort_offer(turn, reply))
