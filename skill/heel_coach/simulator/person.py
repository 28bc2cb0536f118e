"""A simulated person on an Echo: does what they are told, for as long as they are told, then speaks.

Pure: it reads what Alexa said (plain text) and answers with what it says next and how many
seconds of work come first. It listens to the whole response (timed holds and bouts are
already inside the speech's silences), then:

- repetitions, massage passes and rests are counted or timed inside the response (the skill
  counts "One. Two. ... Last one." at the variant's ``rep_pace_s``), so they add no time after it;
- questions get their answer (foot, focus, "yes" to carry on, the effort question, "ready"
  when asked to say it, "yes" to the hands-free offer when they want it played, "skip" when
  the skill offers it after "it hurts");
- a stream (continuous mode) is heard like a response, in the parts the device played:
  its counted sets are done as they play, and nobody answers a stream;
- otherwise, inside a routine, "next" once done; outside one ("You don't have a routine
  going", or before starting), "start the <routine>".

It recognises what was said with the locale's own prompt templates (``prompts.yaml``, given
by the caller), so a rewording there needs no change here; a renamed key fails loudly.
Every set it finishes is recorded as (exercise, side, set) so a caller can count repeats; a set
counts once its closing cue is heard ("And relax.", the last hold's "And release.", "And
stop."), so a set cut short by a barge-in is not finished. Every set it starts is listed too.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field

from heel_coach.catalogue.model import Catalogue, Focus, RoutineEntry
from heel_coach.engine.speech_time import word_count
from heel_coach.simulator.language import ENGLISH, Language, language_for
from heel_coach.simulator.normalize import words

Template = str | Mapping[str, str]
"""A prompt as ``voice.prompts`` holds it: text, or its forms (plural categories, select)."""

REACTION_S = 1.0
"""Seconds a person takes to start speaking once done or once Alexa stops (our figure)."""

CUE_KEYS = (
    "exercise.intro",
    "playback.exercise",
    "cue.set",
    "cue.last_set",
    "cue.side.foot",
    "cue.side.leg",
    "cue.switch_side.foot",
    "cue.switch_side.leg",
    "cue.keep_going",
    "cue.start_hold",
    "cue.start_timed",
    "cue.hold_again",
    "cue.reps_start",
    "cue.passes_start",
    "cue.reps_done",
    "cue.release",
    "cue.stop",
    "ask.foot",
    "ask.focus",
    "welcome.resume.next",
    "routine.none",
    "routine.start",
    "routine.finished",
    "effort.question",
    "playback.start",
    "playback.start.offered",
    "playback.offer",
    "pain.offer",
)
"""Prompt keys the person listens for (all must exist in the locale's prompts)."""
WORK_KEYS = ("cue.start_hold", "cue.start_timed", "cue.reps_start", "cue.passes_start")
"""A set starts with one of these: the moment a person first moves."""
END_KEYS = ("cue.reps_done", "cue.release", "cue.stop")
"""A set's work ends with one of these (a set of holds: the last hold's "release")."""


def template_pattern(template: str) -> str:
    """A prompt template as a regex: literal text escaped, each ``{name}`` a named group."""
    parts: list[str] = []
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name:
            parts.append(rf"(?P<{name}>[\w' ,-]+?)")
    return "".join(parts)


@dataclass(frozen=True)
class CueMatch:
    key: str
    start: int
    params: dict[str, str]


@dataclass(frozen=True)
class CueReader:
    """Finds the prompts of ``CUE_KEYS`` in heard text, in the order they were said."""

    patterns: tuple[tuple[str, re.Pattern[str], Mapping[str, str]], ...]
    """(key, pattern, what the form itself tells: a select form's parameter and value)."""

    @classmethod
    def from_templates(cls, templates: Mapping[str, Template]) -> CueReader:
        """``templates``: a locale's prompts; a prompt with forms (plural, select) is heard in
        any of its forms, and a select form says its value ("Left leg." is side=left)."""
        missing = [k for k in CUE_KEYS if k not in templates]
        if missing:
            raise KeyError(
                f"prompts the simulated person listens for are missing: {missing} "
                "(update heel_coach.simulator.person.CUE_KEYS and Person.react)"
            )
        return cls(
            tuple(
                (k, re.compile(template_pattern(form), re.IGNORECASE), told)
                for k in CUE_KEYS
                for form, told in _forms(templates[k])
            )
        )

    def read(self, text: str) -> list[CueMatch]:
        found = [
            CueMatch(key, m.start(), {**told, **{k: v for k, v in m.groupdict().items() if v is not None}})
            for key, pattern, told in self.patterns
            for m in pattern.finditer(text)
        ]
        return sorted(found, key=lambda c: c.start)


def _forms(template: Template) -> list[tuple[str, Mapping[str, str]]]:
    """Every text of a prompt, with the parameter value a select form stands for."""
    if isinstance(template, str):
        return [(template, {})]
    selector = template.get("select")
    return [
        (text, {selector: name} if selector else {}) for name, text in template.items() if name != "select"
    ]


def number_in(text: str, language: Language = ENGLISH) -> int | None:
    value = language.slot_parsers["AMAZON.NUMBER"](words(text))
    return None if value is None else int(value)


def seconds_in(text: str, language: Language = ENGLISH) -> float | None:
    """A spoken duration ("twelve minutes", "a minute and a half") in seconds."""
    iso = language.slot_parsers["AMAZON.DURATION"](words(text))
    if iso is None:
        return None
    found = re.fullmatch(r"P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?", iso)
    if found is None:
        return None
    d, h, m, s = (int(g or 0) for g in found.groups())
    return float(((d * 24 + h) * 60 + m) * 60 + s)


@dataclass(frozen=True)
class SetDone:
    exercise_id: str
    side: str | None
    set_no: int


@dataclass(frozen=True)
class Action:
    """What the person does after a response."""

    say: str | None
    """None: nothing more to say (the routine is over, or they are lost)."""
    work_s: float = 0.0
    """Seconds of work done after the response, before speaking (none: the skill times it all)."""
    performed: tuple[SetDone, ...] = ()
    """Sets finished in this response."""
    started: tuple[SetDone, ...] = ()
    """Sets begun in this response (a set started in a part before is not begun again)."""
    first_move_words: int | None = None
    """Words of this response said before its first set started; None if no set started."""
    announced_s: float | None = None
    """The routine's length as announced in this response."""
    finished: bool = False

    @property
    def after_s(self) -> float:
        """Seconds after the response ends until the person starts speaking."""
        return self.work_s + REACTION_S


@dataclass
class Person:
    """One person doing one routine; ``react`` is called with every response they hear."""

    catalogue: Catalogue
    reader: CueReader
    routine_id: str
    foot: str = "both"
    focus: Focus = Focus.SOLE
    locale: str = "en-US"
    hands_free: bool = False
    """Says yes to "I can play it through ... Shall I?" (the routine played straight through); else no."""
    started: bool = False
    exercise_id: str | None = None
    side: str | None = None
    set_no: int = 1
    continuing: bool = False
    finished: bool = False
    performed: list[SetDone] = field(default_factory=list)
    current: SetDone | None = None
    """The set under way (begun, its closing cue not yet heard)."""
    holds: int = 0
    """Holds of the current set released so far."""

    @property
    def routine_name(self) -> str:
        return self.catalogue.routine(self.routine_id).text[self.locale].name

    @property
    def language(self) -> Language:
        return language_for(self.locale)

    def says(self, meaning: str) -> str:
        """What this person says for ``meaning`` ("next"), in their language."""
        return self.language.person_says[meaning].format(routine=self.routine_name.lower())

    def _entry(self) -> RoutineEntry | None:
        for entry in self.catalogue.routine(self.routine_id).entries_for(self.focus):
            if entry.exercise.id == self.exercise_id:
                return entry
        return None

    def _holds_per_set(self) -> int:
        entry = self._entry()
        return (entry.dose.reps or 1) if entry is not None and entry.dose.hold_s is not None else 1

    def _exercise_named(self, name: str) -> str | None:
        wanted = name.strip().lower()
        for exercise in self.catalogue.exercises.values():
            if exercise.text[self.locale].name.lower() == wanted:
                return exercise.id
        return None

    def introduces(self, text: str) -> str | None:
        """The exercise whose introduction ``text`` says first, if any (nothing is changed)."""
        for cue in self.reader.read(text):
            if cue.key == "exercise.intro":
                return self._exercise_named(cue.params.get("name", ""))
        return None

    def react(self, text: str) -> Action:
        performed: list[SetDone] = []
        started: list[SetDone] = []
        work_s = 0.0
        first_move: int | None = None
        announced: float | None = None
        answer: str | None = None
        for cue in self.reader.read(text):
            key, params = cue.key, cue.params
            if key in ("exercise.intro", "playback.exercise"):
                self.exercise_id = self._exercise_named(params.get("name", ""))
                self.side, self.set_no, self.continuing, self.current = None, 1, False, None
            elif key == "cue.set":
                self.set_no = number_in(params.get("set", ""), self.language) or self.set_no
            elif key == "cue.last_set":
                entry = self._entry()
                self.set_no = entry.dose.sets if entry is not None else self.set_no
            elif key.startswith(("cue.side.", "cue.switch_side.")):
                self.side = params.get("side", "").strip().lower() or None
            elif key == "cue.keep_going":
                self.continuing = True
            elif key in WORK_KEYS:
                if first_move is None:
                    first_move = word_count(text[: cue.start])
                if self.continuing:
                    self.continuing = False
                elif self.exercise_id is not None:
                    self.current, self.holds = SetDone(self.exercise_id, self.side, self.set_no), 0
                    started.append(self.current)
            elif key in END_KEYS and self.current is not None:
                self.holds += 1
                if key != "cue.release" or self.holds >= self._holds_per_set():
                    performed.append(self.current)
                    self.current = None
            elif key in ("routine.start", "playback.start", "playback.start.offered"):
                self.started = True
                announced = seconds_in(params.get("duration", ""), self.language)
            elif key == "routine.finished":
                self.finished = True
            elif key == "ask.foot":
                answer = self.says(f"foot.{self.foot}")
            elif key == "ask.focus":
                answer = self.says(f"focus.{self.focus.value}")
            elif key == "welcome.resume.next":
                answer = self.says("yes" if self.started else "no")
            elif key == "routine.none":
                answer = self.says("start")  # their routine was lost: start it again
            elif key == "effort.question":
                answer = self.says("effort")
            elif key == "playback.offer":
                answer = self.says("yes" if self.hands_free else "no")
            elif key == "pain.offer":
                answer = self.says("skip")  # eases off; this exercise is not for today
        self.performed.extend(performed)
        if answer is None and not self.finished and self.language.ready_invitation.search(text):
            answer = self.says("ready")
        if answer is None and not self.finished:
            if self.started:
                answer = self.says("next")
            else:
                answer = self.says("start")
                self.started = True
        return Action(answer, work_s, tuple(performed), tuple(started), first_move, announced, self.finished)


def repeated_sets(performed: list[SetDone] | tuple[SetDone, ...]) -> list[SetDone]:
    """Sets performed more than once (each repeat listed once per extra time)."""
    seen: set[SetDone] = set()
    repeats: list[SetDone] = []
    for done in performed:
        if done in seen:
            repeats.append(done)
        seen.add(done)
    return repeats
