"""Turn engine events and timing plans into speech. The only module that knows wording + SSML."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from heel_coach.catalogue.model import Catalogue, Exercise, Routine, RoutineEntry, SafetyText
from heel_coach.engine.machine import (
    AlreadyAtStart,
    Event,
    ExerciseSkipped,
    Paused,
    Remaining,
    RoutineFinished,
    RoutineStarted,
    StepStarted,
)
from heel_coach.engine.plan import Foot, Plan, Step, WorkKind
from heel_coach.engine.timing import Cue, Pause, PlanItem, step_timing
from heel_coach.voice import phrasing
from heel_coach.voice.prompts import Prompts
from heel_coach.voice.ssml import SilenceClips, Ssml


@dataclass
class Reply:
    """A response in the making: speech, an optional reprompt, and whether the session ends."""

    speech: Ssml
    reprompt: str | None = None
    end_session: bool | None = None
    directives: list[Any] = field(default_factory=list)
    said_contraindications: bool = False


class Speaker:
    """Wording for one locale; built per request from shared, immutable content."""

    def __init__(
        self,
        catalogue: Catalogue,
        prompts: Prompts,
        locale: str,
        silence: SilenceClips | None = None,
    ) -> None:
        self.catalogue = catalogue
        self.prompts = prompts
        self.locale = locale
        self.silence = silence

    # -- plain text -------------------------------------------------------------------------
    def text(self, key: str, **params: object) -> str:
        return self.prompts.get(key, **params)

    def ssml(self) -> Ssml:
        return Ssml(silence=self.silence)

    def safety(self) -> SafetyText:
        return self.catalogue.safety[self.locale]

    def routine_name(self, routine: Routine) -> str:
        return routine.text[self.locale].name

    def exercise_name(self, exercise: Exercise) -> str:
        return exercise.text[self.locale].name

    def foot_phrase(self, foot: Foot) -> str:
        return self.text(f"foot.{foot.value}")

    def red_flags(self) -> str:
        return self.text("red_flags", items=phrasing.join_list(list(self.safety().red_flags), "or"))

    def contraindications(self) -> str:
        items = phrasing.join_list(list(self.safety().massage_contraindications), "or")
        return self.text("massage.contraindications", items=items)

    def routine_list(self, total_s: Callable[[str], int]) -> str:
        """Every routine with its length; ``total_s(routine_id)`` comes from the plan cache."""
        items = [
            self.text(
                "routines.list.item",
                name=self.routine_name(r),
                duration=phrasing.approximate_duration(total_s(r.id)),
            )
            for r in self.catalogue.routines.values()
        ]
        return self.text(
            "routines.list",
            count=phrasing.number_words(len(items)),
            items=phrasing.join_list(items),
        )

    # -- exercise content --------------------------------------------------------------------
    def describe_exercise(self, exercise: Exercise, entry: RoutineEntry | None = None) -> Ssml:
        out = self.ssml().sentence(exercise.text[self.locale].name + ".")
        self._instructions(exercise, out)
        if entry is not None:
            out.sentence(self.dose_phrase(entry))
        return out

    def _instructions(self, exercise: Exercise, out: Ssml) -> None:
        for sentence in self.instructions(exercise):
            out.sentence(sentence)

    def instructions(self, exercise: Exercise) -> list[str]:
        """Equipment, starting position, steps and cautions, one sentence each.

        The one source of an exercise's instructions for both modes: step-by-step speech and
        the continuous-mode tracks (``voice.tracks``) say exactly these sentences.
        """
        text = exercise.text[self.locale]
        out: list[str] = []
        if exercise.equipment:
            items = [phrasing.with_article(e) for e in exercise.equipment]
            out.append(self.text("exercise.equipment", equipment=phrasing.join_list(items)))
        out.extend(s for s in (text.position, *text.steps, *text.cautions) if s.strip())
        return out

    def dose_phrase(self, entry: RoutineEntry) -> str:
        dose, parts = entry.dose, []
        if dose.hold_s is not None:
            reps = dose.reps or 1
            hold = phrasing.duration(dose.hold_s)
            parts.append(
                f"hold for {hold}" + (f", {phrasing.plural(reps, 'time', 'times')}" if reps > 1 else "")
            )
        elif dose.duration_s is not None:
            parts.append(f"keep going for {phrasing.duration(dose.duration_s)}")
        elif dose.reps is not None:
            parts.append(phrasing.plural(dose.reps, "repetition", "repetitions"))
        if dose.sets > 1:
            parts.append(phrasing.plural(dose.sets, "set", "sets"))
        if entry.exercise.sides.value == "each":
            parts.append("on each side" if parts else "each side")
        return phrasing.capitalise(", ".join(parts)) + "." if parts else ""

    # -- events ----------------------------------------------------------------------------
    def render(
        self,
        events: tuple[Event, ...],
        plan: Plan,
        reply: Reply,
        *,
        contraindications_due: bool,
        progression: Mapping[str, str] | None = None,
    ) -> Reply:
        """Append every event's words to ``reply``; decide the reprompt and session end."""
        for event in events:
            if isinstance(event, RoutineStarted):
                routine = self.catalogue.routine(event.routine_id)
                reply.speech.sentence(
                    self.text(
                        "routine.start",
                        routine=self.routine_name(routine),
                        foot_phrase=self.foot_phrase(event.foot),
                        duration=phrasing.approximate_duration(event.total_s),
                    )
                )
            elif isinstance(event, StepStarted):
                entry = plan.entries[event.step.entry_index]
                say_contra = (
                    contraindications_due and entry.exercise.is_massage and not reply.said_contraindications
                )
                if say_contra:
                    reply.speech.paragraph(self.contraindications())
                    reply.said_contraindications = True
                self.render_step(event, entry, reply, (progression or {}).get(entry.exercise.id))
            elif isinstance(event, RoutineFinished):
                routine = self.catalogue.routine(event.routine_id)
                reply.speech.sentence(self.text("routine.finished", routine=self.routine_name(routine)))
                count = len(event.exercises_done) + len(event.exercises_skipped)
                reply.speech.sentence(
                    self.text(
                        "routine.finished.summary",
                        done=phrasing.number_words(len(event.exercises_done)),
                        count=phrasing.number_words(count),
                    )
                )
                reply.speech.sentence(self.red_flags())
                reply.speech.sentence(self.text("routine.finished.close"))
                reply.end_session = True
            elif isinstance(event, ExerciseSkipped):
                name = self.exercise_name(self.catalogue.exercise(event.exercise_id))
                reply.speech.sentence(self.text("skip.done", exercise=name))
            elif isinstance(event, AlreadyAtStart):
                reply.speech.sentence(self.text("previous.at_start"))
            elif isinstance(event, Paused):
                name = self.exercise_name(self.catalogue.exercise(event.step.exercise_id))
                reply.speech.sentence(self.text("paused", exercise=name))
                reply.end_session = True
            elif isinstance(event, Remaining):
                exercises = (
                    self.text("remaining.one_exercise")
                    if event.exercises_left == 1
                    else self.text("remaining.exercises", count=phrasing.number_words(event.exercises_left))
                )
                reply.speech.sentence(
                    self.text(
                        "remaining",
                        duration=phrasing.approximate_duration(event.seconds),
                        exercises=exercises,
                    )
                )
                reply.reprompt = self.text("reprompt.step")
        return reply

    def render_step(
        self, event: StepStarted, entry: RoutineEntry, reply: Reply, level: str | None = None
    ) -> None:
        """Intro (first step of an exercise, or on repeat/resume), then the timed plan.

        ``level`` is a progression the user chose (e.g. single-leg raises); its seed-sourced
        instruction is said after the usual steps.
        """
        step = event.step
        exercise = entry.exercise
        text = exercise.text[self.locale]
        speech = reply.speech
        if step.first_of_exercise or event.repeated or event.resumed:
            speech.sentence(
                self.text(
                    "exercise.intro",
                    number=phrasing.number_words(event.exercise_number),
                    count=phrasing.number_words(event.exercise_count),
                    name=text.name,
                )
            )
            self._instructions(exercise, speech)
            if level is not None and level in text.variant_notes:
                speech.sentence(text.variant_notes[level])
            speech.sentence(self.dose_phrase(entry))
        self.render_timing(step_timing(step), speech)
        reply.speech.sentence(self._wait_prompt(step))
        reply.reprompt = self.text("reprompt.step")
        reply.end_session = False

    def _wait_prompt(self, step: Step) -> str:
        last = step.segments[-1]
        if last.part < last.parts:
            return self.text("step.part_continue")
        if last.work.kind is WorkKind.REPS:
            return self.text("step.next_reps")
        if not step.last_of_exercise:
            return self.text("step.next_rest")
        return self.text("step.next_timed")

    def render_timing(self, items: tuple[PlanItem, ...], speech: Ssml) -> None:
        for item in items:
            if isinstance(item, Pause):
                speech.pause(item.seconds)
            else:
                speech.sentence(self.cue_text(item))

    def cue_text(self, cue: Cue) -> str:
        params: dict[str, object] = dict(cue.params)
        if "side" in params:
            params["side"] = (
                phrasing.capitalise(str(params["side"])) if cue.key == "cue.side" else str(params["side"])
            )
        if "seconds" in params:
            params["duration"] = phrasing.duration(float(params["seconds"]))  # type: ignore[arg-type]
        for key in ("set", "sets", "n", "count"):
            if key in params:
                params[key] = phrasing.number_words(int(params[key]))  # type: ignore[call-overload]
        return self.text(cue.key, **params)
