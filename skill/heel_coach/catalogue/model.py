"""The exercise catalogue as frozen data: what the seeds say, with where they say it.

Figures (times, reps, sets, frequency) are locale-neutral and live in
``skill/heel_coach/content/catalogue``; words a person hears live per locale in
``skill/heel_coach/content/locales/<locale>``. The loader (``heel_coach.catalogue.loader``) builds
these objects and is the only place that validates them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Category(StrEnum):
    """Phase of the routine: seeds 000 and 004 insist on release, then stretch, then strength."""

    RELEASE = "release"
    STRETCH = "stretch"
    STRENGTH = "strength"


class Sides(StrEnum):
    """Whether an exercise is done once per foot ("each") or with both feet at once."""

    EACH = "each"
    BOTH = "both"


class Limb(StrEnum):
    """What a side means for an exercise: "right foot" for a sole roll, "right leg" for a
    hamstring stretch or pelvis rocking. Cues and wait prompts name the limb the person moves."""

    FOOT = "foot"
    LEG = "leg"


OURS = "ours"
"""``source`` of a figure or equipment item the seeds do not give: we chose it (with ``why``)."""


@dataclass(frozen=True)
class Figure:
    """One number the timing needs, with where it comes from.

    ``source`` is a seed file name when a seed gives the number, or ``OURS`` when it does not
    (then ``why`` says how we chose it). Our numbers time the work; they are never spoken as
    something the seeds say, and ``heel-coach catalog --json`` lists them as ours.
    """

    value: int
    source: str
    why: str

    @property
    def ours(self) -> bool:
        return self.source == OURS


@dataclass(frozen=True)
class EquipmentNeed:
    """One thing an exercise needs: any one of ``any_of`` (alternatives, equipment ids) will do."""

    any_of: tuple[str, ...]
    optional: bool
    """True when the exercise can be done without it (the seeds say "you can", "if", "preferably")."""
    source: str
    """The seed that names it, or ``OURS`` (with ``why``)."""
    why: str = ""


@dataclass(frozen=True)
class Purpose:
    """Why an exercise is done, in one locale, paraphrasing the seeds it cites."""

    text: str
    sources: tuple[str, ...]


class Focus(StrEnum):
    """Seed 000: treat the sole for a spur under the heel, the calf and Achilles for one at the back.

    The skill offers this as the user's choice; it never asks about or infers a condition.
    """

    SOLE = "sole"
    CALF = "calf"


class Foot(StrEnum):
    """Which feet a routine covers: the person's choice, like ``Focus``. Here rather than with
    the plan so that the voice layer can name it without importing the engine (a cold start)."""

    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"

    def sides(self) -> tuple[str, ...]:
        if self is Foot.BOTH:
            return ("right", "left")
        return (self.value,)


@dataclass(frozen=True)
class Range:
    """An inclusive range from a seed ("one to two minutes" -> 60..120) with our default inside it."""

    low: int
    high: int
    default: int

    def contains(self, value: int) -> bool:
        return self.low <= value <= self.high

    def as_list(self) -> list[int]:
        return [self.low, self.high]


@dataclass(frozen=True)
class Frequency:
    """How often a seed says to do something: ``low``..``high`` times per ``per`` ("day" or "week")."""

    low: int
    high: int
    per: str


@dataclass(frozen=True)
class Variant:
    """One seed's (or several agreeing seeds') prescription of an exercise.

    Where two seeds disagree the exercise has two variants, each with its own sources.
    """

    id: str
    sources: tuple[str, ...]
    """Seed file names, e.g. ``("001_13e5ced50b626fc8.txt",)``."""
    hold_s: Range | None = None
    """Length of one static hold, in seconds."""
    duration_s: Range | None = None
    """Length of one continuous bout of work (rolling, bouncing), in seconds."""
    reps: Range | None = None
    """Repetitions per set (for holds: how many holds per set)."""
    sets: Range | None = None
    rest_s: Figure | None = None
    """Timed rest between two sets on the same side; required when a variant has more than one set."""
    frequency: Frequency | None = None
    progression: tuple[str, ...] = ()
    """Ids of progressions the seeds describe (e.g. single-leg raises), as prompts keys."""
    rep_pace_s: Figure | None = None
    """Seconds one counted repetition (or one massage pass) takes: the skill counts aloud at this
    pace, so no set waits on the user. Required wherever the work has no hold or duration."""

    def ours(self) -> tuple[str, ...]:
        """Names of this variant's figures that we chose (the seeds give no value)."""
        return tuple(
            name for name in ("rep_pace_s", "rest_s") if (fig := getattr(self, name)) is not None and fig.ours
        )


@dataclass(frozen=True)
class ExerciseText:
    """What is said about an exercise in one locale."""

    name: str
    synonyms: tuple[str, ...]
    position: str
    """Starting position, one sentence."""
    steps: tuple[str, ...]
    """Short spoken steps, read one by one."""
    short: str
    """The instructions in one or two sentences, for a person who has done the exercise before."""
    purpose: Purpose
    """Why the exercise is done, from the seeds."""
    cautions: tuple[str, ...] = ()
    variant_notes: dict[str, str] = field(default_factory=dict)
    """Per-variant spoken note (e.g. "Seed 001 suggests two holds of thirty seconds")."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: its variants (figures), what it needs, the focus it serves, its words per
    locale."""

    id: str
    category: Category
    sides: Sides
    limb: Limb
    """What the side names: the foot or the leg."""
    needs: tuple[EquipmentNeed, ...]
    focus: tuple[Focus, ...]
    """Focus variants this exercise belongs to; empty means it suits every focus."""
    variants: tuple[Variant, ...]
    """The first variant is the default."""
    is_massage: bool
    """True for self-massage (rolling, rubbing): seed 003's contraindications are said first."""
    text: dict[str, ExerciseText]
    """Locale -> text."""

    @property
    def sources(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for variant in self.variants:
            for source in variant.sources:
                seen.setdefault(source, None)
        return tuple(seen)

    def variant(self, variant_id: str | None = None) -> Variant:
        if variant_id is None:
            return self.variants[0]
        for variant in self.variants:
            if variant.id == variant_id:
                return variant
        raise KeyError(f"exercise {self.id!r} has no variant {variant_id!r}")


@dataclass(frozen=True)
class Dose:
    """The resolved figures a routine uses for one exercise (each within the variant's range)."""

    hold_s: int | None
    duration_s: int | None
    reps: int | None
    sets: int


@dataclass(frozen=True)
class RoutineEntry:
    """One exercise of a routine, with the variant and the dose the routine uses."""

    exercise: Exercise
    variant: Variant
    dose: Dose
    focus: Focus | None = None
    """Only included when the user's chosen focus matches (None: always included)."""


@dataclass(frozen=True)
class RoutineText:
    """What is said about a routine in one locale, and the other names users call it."""

    name: str
    synonyms: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Routine:
    """The exercises of one session, in order, with the routine's words per locale."""

    id: str
    entries: tuple[RoutineEntry, ...]
    text: dict[str, RoutineText]

    def entries_for(self, focus: Focus) -> tuple[RoutineEntry, ...]:
        return tuple(e for e in self.entries if e.focus is None or e.focus is focus)


def equipment_for(entries: tuple[RoutineEntry, ...] | list[RoutineEntry]) -> tuple[EquipmentNeed, ...]:
    """Everything a run of exercises needs, each item said once. Needs with the same
    alternatives merge (needed if any exercise needs them); a need goes when another covers it,
    that is when the other's alternatives are some of its own and the other is required or it
    is optional too: "a small roller or a ball" goes when a small roller is needed anyway, and
    an item one exercise needs and another only suggests is said once, as needed. Required
    items come first."""
    merged: dict[frozenset[str], EquipmentNeed] = {}
    for entry in entries:
        for need in entry.exercise.needs:
            key = frozenset(need.any_of)
            seen = merged.get(key)
            if seen is None or (seen.optional and not need.optional):
                merged[key] = need

    def covered(key: frozenset[str], need: EquipmentNeed) -> bool:
        return any(other < key and (need.optional or not by.optional) for other, by in merged.items())

    needs = [need for key, need in merged.items() if not covered(key, need)]
    return tuple(n for n in needs if not n.optional) + tuple(n for n in needs if n.optional)


@dataclass(frozen=True)
class SourcedText:
    """One spoken sentence and the seed files it paraphrases."""

    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SafetyText:
    """Seed-sourced safety content for one locale."""

    disclaimer: str
    red_flags: tuple[str, ...]
    """Seed 002, 'when to seek professional help'."""
    massage_contraindications: tuple[str, ...]
    """Seed 003, contraindications to self-massage (the full list, said on request)."""
    sources: tuple[str, ...]
    massage_warning: SourcedText
    """One sentence said before the first massage: the most serious contraindications only,
    in words that do not seem to exclude a heel spur (seed 003 lists it as an indication)."""
    pain: tuple[SourcedText, ...]
    """What to do when it hurts (seed 002): said whenever the user says it hurts."""
    massage_pain: SourcedText
    """How much a massage may hurt (seed 003): said with ``pain`` when it hurts during a release
    exercise (a roll or a massage) or outside an exercise, not during a toe raise or a stretch,
    where it would answer a question nobody asked."""


@dataclass(frozen=True)
class SpeakingRate:
    """How fast Alexa speaks one locale: the ONE estimate behind every spoken length there
    (announced lengths, the device model, offline renders), from ``locales/<language>/speech.yaml``.

    Words per minute differ by language for the same pace (a German word has more syllables
    than an English one), so each language states its own rate with where it comes from.
    """

    words_per_minute: int
    source: str
    """Always ``OURS``: no seed gives a speaking rate."""
    why: str


@dataclass(frozen=True)
class Catalogue:
    """All content the skill speaks from, validated once at load: exercises, routines, safety text."""

    exercises: dict[str, Exercise]
    routines: dict[str, Routine]
    safety: dict[str, SafetyText]
    """Locale -> safety text."""
    locales: tuple[str, ...]
    speaking_rate: dict[str, SpeakingRate]
    """Locale -> how fast Alexa speaks it (``locales/<language>/speech.yaml``)."""
    equipment: dict[str, dict[str, str]] = field(default_factory=dict)
    """Locale -> equipment id -> spoken name with its article ("a small foam roller")."""

    def exercise(self, exercise_id: str) -> Exercise:
        return self.exercises[exercise_id]

    def routine(self, routine_id: str) -> Routine:
        return self.routines[routine_id]
