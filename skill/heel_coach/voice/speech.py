"""Turn engine events and timing plans into speech. The only module that knows wording + SSML."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from heel_coach.catalogue.model import (
    Catalogue,
    EquipmentNeed,
    Exercise,
    Foot,
    Routine,
    RoutineEntry,
    SafetyText,
    Sides,
    SpeakingRate,
    equipment_for,
)
from heel_coach.engine.speech_time import speech_seconds
from heel_coach.voice.phrasing import Phrasing, capitalise
from heel_coach.voice.prompts import Prompts
from heel_coach.voice.ssml import SilenceClips, Ssml

# The engine, progress statistics and screen requests are imported where they are used, so a
# launch loads only what it needs (Lambda cold start: benchmarks/RESULTS.md, figure 7).
if TYPE_CHECKING:
    from heel_coach.engine.machine import Event, Remaining
    from heel_coach.engine.plan import Plan
    from heel_coach.engine.timing import Cue, PlanItem
    from heel_coach.screens.requests import Show


@dataclass(frozen=True)
class SaidStep:
    """A step said in a reply, timed, so a later request can tell which set the person was in."""

    step_index: int
    first: int
    """The segment it was said from (``StepStarted.from_segment``)."""
    set_ends_s: tuple[float, ...]
    """Seconds into the reply's speech at which each set said finishes its work (its closing
    cue starts), timed like every spoken length: ``Ssml.spoken_seconds``."""


@dataclass
class Reply:
    """A response in the making: speech, an optional reprompt, and whether the session ends."""

    speech: Ssml
    reprompt: str | None = None
    end_session: bool | None = None
    directives: list[Any] = field(default_factory=list)
    said_contraindications: bool = False
    shows: list[Show] = field(default_factory=list)
    """What a screen would show for this reply, in the order it was said (the last one wins)."""
    spoken: list[tuple[PlanItem, list[str]]] = field(default_factory=list)
    """Every script item said, with its sentences (the screen's timeline is laid out from them)."""
    said_step: SaidStep | None = None
    """The step this reply says, with where its sets end (None: it says no step)."""


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
        self.words = Phrasing(prompts)
        self.rate: SpeakingRate = catalogue.speaking_rate[locale]
        """How fast this locale is spoken: every length this speaker times uses it."""

    # -- plain text -------------------------------------------------------------------------
    def text(self, key: str, **params: object) -> str:
        return self.prompts.get(key, **params)

    def ssml(self) -> Ssml:
        return Ssml(silence=self.silence)

    def seconds(self, text: str) -> float:
        """How long Alexa takes to say plain ``text`` in this locale (``engine.speech_time``)."""
        return speech_seconds(text, self.rate)

    def safety(self) -> SafetyText:
        return self.catalogue.safety[self.locale]

    def routine_name(self, routine: Routine) -> str:
        return routine.text[self.locale].name

    def exercise_name(self, exercise: Exercise) -> str:
        return exercise.text[self.locale].name

    def foot_phrase(self, foot: Foot) -> str:
        return self.text(f"foot.{foot.value}")

    def red_flags(self) -> str:
        return self.text("red_flags", items=self.words.join(self.safety().red_flags, "or"))

    def contraindications(self) -> str:
        """The short massage warning (the engine's ``massage.safety`` cue), said once per user
        before the first massage: seed 003's most serious contraindications in plain words,
        then where to hear the full list (``contraindications_full``)."""
        return self.text("massage.safety", warning=self.safety().massage_warning.text)

    def contraindications_full(self) -> str:
        """Seed 003's whole list, said on request ("massage safety") and shown on a card."""
        items = self.words.join(self.safety().massage_contraindications, "or")
        return self.text("massage.contraindications", items=items)

    def routine_list(self, total_s: Callable[[str], float]) -> str:
        """Every routine with its length; ``total_s(routine_id)`` is ``Turn.routine_seconds``."""
        items = [
            self.text(
                "routines.list.item",
                name=self.routine_name(r),
                duration=self.words.approximate_duration(total_s(r.id)),
            )
            for r in self.catalogue.routines.values()
        ]
        return self.text(
            "routines.list",
            routines=self.counted("routines", len(items)),
            items=self.words.join(items),
        )

    # -- exercise content --------------------------------------------------------------------
    def describe_exercise(
        self, exercise: Exercise, entry: RoutineEntry | None = None, foot: Foot = Foot.BOTH
    ) -> Ssml:
        """ "Explain this exercise": always the full instructions, with its equipment and dose."""
        out = self.ssml().sentence(exercise.text[self.locale].name + ".")
        for sentence in (*self.needs_sentences(exercise), *self.instructions(exercise)):
            out.sentence(sentence)
        if entry is not None:
            out.sentence(self.dose_phrase(entry, foot))
        return out

    def instructions(
        self, exercise: Exercise, *, short: bool = False, level: str | None = None, part: str | None = None
    ) -> list[str]:
        """Starting position, steps and cautions, one sentence each; or, for someone who has done
        the exercise before, its short form and cautions. ``level`` is a progression the user
        chose (e.g. single-leg raises): its seed-sourced note follows.

        The one source of an exercise's instructions for both modes: step-by-step speech and
        the continuous-mode tracks (``voice.tracks``) say exactly these sentences.
        """
        text = exercise.text[self.locale]
        body = (text.short,) if short else (text.position, *text.steps)
        out = [s for s in (*body, *text.cautions) if s.strip()]
        if level is not None and level in text.variant_notes:
            out.append(text.variant_notes[level])
        if part is None:
            return out
        # A timed bout is split (``engine.timing.step_script``): the position (or the short
        # form) before "Start", the rest while the person works.
        return out[:1] if part == "before" else out[1:]

    def equipment_phrase(self, needs: tuple[EquipmentNeed, ...]) -> tuple[str, str]:
        """(required, optional) as spoken lists; alternatives are joined with "or"."""
        names = self.catalogue.equipment[self.locale]
        required = [[names[i] for i in n.any_of] for n in needs if not n.optional]
        optional = [[names[i] for i in n.any_of] for n in needs if n.optional]
        return self.words.choices(required), self.words.choices(optional)

    def needs_sentences(self, exercise: Exercise) -> list[str]:
        """ "What do I need" for one exercise."""
        name = self.exercise_name(exercise)
        required, optional = self.equipment_phrase(exercise.needs)
        out = [
            self.text("exercise.needs", name=name, items=required)
            if required
            else self.text("exercise.needs.none", name=name)
        ]
        if optional:
            out.append(self.text("exercise.needs.optional", items=optional))
        return out

    def routine_equipment(self, entries: tuple[RoutineEntry, ...]) -> list[str]:
        """Everything a routine needs, named before it starts; optional items said as such."""
        required, optional = self.equipment_phrase(equipment_for(entries))
        out = [
            self.text("routine.equipment", items=required)
            if required
            else self.text("routine.equipment.none")
        ]
        if optional:
            out.append(self.text("routine.equipment.optional", items=optional))
        return out

    def purpose(self, exercise: Exercise) -> str:
        """ "What does this exercise do": the seeds' reason, in the catalogue's words."""
        text = exercise.text[self.locale]
        return self.text("exercise.purpose", name=text.name, purpose=text.purpose.text)

    def counted(self, noun: str, n: int) -> str:
        """ "one repetition", "ten repetitions": the locale's form for the number."""
        return self.words.count(f"count.{noun}", n)

    def dose_phrase(self, entry: RoutineEntry, foot: Foot) -> str:
        """The dose in one sentence; "on each foot" (or leg) only when both feet are worked."""

        dose, parts = entry.dose, []
        if dose.hold_s is not None:
            reps = dose.reps or 1
            hold = self.words.duration(dose.hold_s)
            if reps > 1:
                parts.append(self.text("dose.hold_times", duration=hold, times=self.counted("times", reps)))
            else:
                parts.append(self.text("dose.hold", duration=hold))
        elif dose.duration_s is not None:
            parts.append(self.text("dose.keep_going", duration=self.words.duration(dose.duration_s)))
        elif dose.reps is not None:
            noun = "passes" if entry.exercise.is_massage else "repetitions"
            parts.append(self.counted(noun, dose.reps))
        if dose.sets > 1:
            parts.append(self.counted("sets", dose.sets))
        if parts and entry.exercise.sides is Sides.EACH and foot is Foot.BOTH:
            parts.append(self.text(f"dose.each_side.{entry.exercise.limb.value}"))
        return capitalise(", ".join(parts)) + "." if parts else ""

    def voice(self, listener: Listener | None = None) -> RoutineVoice:
        """The wording of a routine for one user (the ``Voicing`` announced lengths use)."""
        return RoutineVoice(self, listener or Listener())

    # -- events ----------------------------------------------------------------------------
    def render(self, events: tuple[Event, ...], plan: Plan, reply: Reply, voice: RoutineVoice) -> Reply:
        """Append every event's words to ``reply``; decide the reprompt and session end."""
        from heel_coach.engine.machine import (
            AlreadyAtStart,
            ExerciseSkipped,
            LeftAtWait,
            Paused,
            Remaining,
            RoutineFinished,
            RoutineStarted,
            StepStarted,
        )
        from heel_coach.engine.timing import routine_head, scripted_step
        from heel_coach.screens.requests import SafetyTopic, ShowSafety, ShowStep

        for event in events:
            if isinstance(event, RoutineStarted):
                for item in routine_head(plan):
                    voice.speak(item, plan, reply)
            elif isinstance(event, StepStarted):
                from heel_coach.screens.timeline import device_length  # not on a launch's cold start

                intro = event.step.first_of_exercise or event.repeated or event.resumed
                reply.shows.append(ShowStep(event.step.index, reply.speech.mark, len(reply.spoken)))
                script = scripted_step(plan, event.step, intro=intro, start=event.from_segment)
                # Where each set ends, timed as the screen's countdown is (one pass, item by item).
                at, ends = reply.speech.spoken_seconds(self.rate), []
                for index, item in enumerate(script.items):
                    if index in script.set_ends:
                        ends.append(at)
                    voice.speak(item, plan, reply)
                    at += device_length(item, self.seconds(" ".join(reply.spoken[-1][1])))
                reply.said_step = SaidStep(event.step.index, event.from_segment, tuple(ends))
                reply.reprompt = self.text("reprompt.step")
                reply.end_session = False
            elif isinstance(event, RoutineFinished):
                count = len(event.exercises_done) + len(event.exercises_skipped)
                for cue in closing_cues(plan, len(event.exercises_done), count):
                    voice.speak(cue, plan, reply)
                reply.shows.append(ShowSafety(SafetyTopic.WARNING_SIGNS))
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
                seconds = voice.seconds(plan, event.position, from_segment=event.from_segment)
                reply.speech.sentence(self.remaining(event, seconds))
                reply.reprompt = self.text("reprompt.step")
            elif isinstance(event, LeftAtWait):
                pass  # the session has ended: Alexa says nothing
        return reply

    def remaining(self, event: Remaining, seconds: float) -> str:
        """ "How long is left": ``seconds`` as the mode playing the routine times it (step
        mode's plan, or continuous mode's tracks), and the exercises still to come."""
        exercises = self.counted("exercises", event.exercises_left)
        return self.text("remaining", duration=self.words.approximate_duration(seconds), exercises=exercises)

    def cue_text(self, cue: Cue) -> str:
        """A timing cue's words: numbers in words, a count starting a sentence capitalised.
        A side stays its id ("left"): the prompt selects its form by it (German genders)."""
        params: dict[str, object] = dict(cue.params)
        if "seconds" in params:
            params["duration"] = self.words.duration(float(params["seconds"]))  # type: ignore[arg-type]
        plural = self.prompts.is_plural(cue.key)
        for key in ("set", "sets", "n", "count"):
            if key in params and not (plural and key == "count"):
                params[key] = self.words.number(int(params[key]))  # type: ignore[call-overload]
        if cue.key == "cue.count":
            params["n"] = capitalise(str(params["n"]))
        return self.text(cue.key, **params)


def closing_cues(plan: Plan, done: int, count: int) -> tuple[Cue, ...]:
    """The closing words of a routine (``routine_tail``) for ``done`` of ``count`` exercises:
    what step mode says after the last "next", and what continuous mode's closing track plays
    (``voice.tracks.closing_track``). One source, so both modes say the same words."""
    from heel_coach.engine.timing import Cue, routine_tail

    params = (("done", done), ("count", count))
    return tuple(Cue(c.key, c.params + params) for c in routine_tail(plan) if isinstance(c, Cue))


@dataclass(frozen=True)
class Listener:
    """What a routine's wording depends on for one user."""

    safety_due: bool = True
    """The short massage-safety sentence has not been said to this user yet."""
    short_for: frozenset[str] = frozenset()
    """Exercises this user has done often enough to hear the short form of the instructions."""
    progression: Mapping[str, str] = field(default_factory=dict)
    """Exercise id -> progression the user chose (its note is added to the instructions)."""


class RoutineVoice:
    """Says a routine's cues for one user: the ``Voicing`` of ``heel_coach.engine.lengths``.

    Rendering (``speak``) and every announced length (``seconds``) use the same ``sentences``,
    so an announcement counts exactly the words that will be said.
    """

    start_key = "routine.start"
    """The sentence that starts a routine (and announces its length)."""

    def __init__(self, speaker: Speaker, listener: Listener) -> None:
        from heel_coach.engine.timing import Pause  # once per voice, not per spoken item

        self.speaker = speaker
        self.listener = listener
        self._measuring = False
        self._pause = Pause

    @property
    def rate(self) -> SpeakingRate:
        return self.speaker.rate

    def say(self, cue: Cue, plan: Plan) -> str:
        return " ".join(self.sentences(cue, plan))

    def seconds(
        self, plan: Plan, start: int = 0, *, head: bool | None = None, from_segment: int = 0
    ) -> float:
        """THE announced length of ``plan`` from step ``start`` (from its set ``from_segment``):
        silences and speech."""
        from heel_coach.engine.lengths import plan_seconds

        self._measuring = True
        try:
            return plan_seconds(plan, self, start, head=head, from_segment=from_segment)
        finally:
            self._measuring = False

    def sentences(self, cue: Cue, plan: Plan) -> list[str]:
        sp, key, params = self.speaker, cue.key, dict(cue.params)
        if key == "exercise.intro":
            exercise = sp.catalogue.exercise(str(params["exercise"]))
            number = sp.words.number(int(params["number"]))
            total = sp.words.number(int(params["count"]))
            return [sp.text("exercise.intro", number=number, count=total, name=sp.exercise_name(exercise))]
        if key == "exercise.instructions":
            exercise_id = str(params["exercise"])
            short = exercise_id in self.listener.short_for
            level = self.listener.progression.get(exercise_id)
            part = params.get("part")
            return sp.instructions(
                sp.catalogue.exercise(exercise_id),
                short=short,
                level=level,
                part=None if part is None else str(part),
            )
        if key == "exercise.dose":
            dose = sp.dose_phrase(plan.entries[int(params["entry"])], plan.foot)
            return [dose] if dose else []
        if key == "massage.safety":
            return [sp.contraindications()] if self.listener.safety_due else []
        if key == "routine.start":
            routine = sp.catalogue.routine(plan.routine_id)
            # While measuring, the length's own words are a typical "ten minutes".
            seconds = 600.0 if self._measuring else self.seconds(plan)
            return [
                sp.text(
                    self.start_key,
                    routine=sp.routine_name(routine),
                    foot_phrase=sp.foot_phrase(plan.foot),
                    duration=sp.words.approximate_duration(seconds),
                )
            ]
        if key == "routine.equipment":
            return sp.routine_equipment(plan.entries)
        if key == "routine.finished":
            routine = sp.catalogue.routine(plan.routine_id)
            count = int(params.get("count", plan.exercise_count()))
            done = int(params.get("done", count))
            return [
                sp.text("routine.finished", routine=sp.routine_name(routine)),
                sp.text("routine.finished.summary", count=count, done=sp.counted("done", done)),
                sp.red_flags(),
                sp.text("routine.finished.close"),
            ]
        return [sp.cue_text(cue)]

    def speak(self, item: PlanItem, plan: Plan, reply: Reply) -> None:
        """Append one item of a script to ``reply``: a beat's silence is what its words leave."""
        if isinstance(item, self._pause):
            reply.speech.pause(item.seconds)
            reply.spoken.append((item, []))
            return
        sentences = self.sentences(item, plan)
        reply.spoken.append((item, sentences))
        if item.key == "massage.safety" and sentences:
            reply.speech.paragraph(sentences[0])
            reply.said_contraindications = True
            self.listener = Listener(False, self.listener.short_for, self.listener.progression)
            return
        for sentence in sentences:
            reply.speech.sentence(sentence)
        if item.within_s is not None:
            reply.speech.pause(max(0.0, item.within_s - self.speaker.seconds(" ".join(sentences))))
