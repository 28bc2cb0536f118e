"""Words agree: every prompt, with every value it can be given, and every routine as spoken.

No "one repetitions", no "1 seconds", no side words when one foot was chosen, the leg named
for leg exercises, no dangling "Each side." sentences, and a grammatical warning-signs sentence.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterator

import pytest
from babel import UnknownLocaleError

from heel_coach.catalogue.model import Catalogue, Focus, Limb, Routine, RoutineText
from heel_coach.engine import machine
from heel_coach.engine.machine import Command
from heel_coach.engine.plan import Foot, Plan, build_plan
from heel_coach.voice import formatting
from heel_coach.voice.phrasing import Phrasing, capitalise
from heel_coach.voice.prompts import Prompts, available_locales, load_prompts
from heel_coach.voice.speech import Listener, Reply, RoutineVoice, Speaker
from heel_coach.voice.ssml import to_display_text

LOCALES = available_locales()
PLURALS = (
    "repetitions sets seconds minutes hours exercises routines times holds passes days reminders weeks"
).split()
SINGULARS = [p[:-2] if p.endswith("sses") else p[:-1] for p in PLURALS]
NUMBER_WORDS = "two three four five six seven eight nine ten eleven twelve twenty thirty".split()
ONE_WITH_PLURAL = re.compile(
    rf"(?<![\w-])(?:one|1) (?:(?!of\b)[A-Za-z-]+ ){{0,2}}(?:{'|'.join(PLURALS)})\b", re.I
)
MANY_WITH_SINGULAR = re.compile(
    rf"(?<![\w-])(?:{'|'.join(NUMBER_WORDS)}|[02-9]|\d\d+) (?:{'|'.join(SINGULARS)})\b(?!-)", re.I
)
SIDE_FRAGMENT = re.compile(r"(?:^|[.!?]\s+)(?:on )?each (?:side|foot|leg)\.", re.I)
FOOT_CUE = re.compile(r"\b(?:right|left) foot\.|\byour (?:right|left) foot\b(?! to)", re.I)
"""A side cue or wait prompt naming a foot ("Right foot.", "Say next for your left foot")."""
NUMBER_PLACEHOLDER = re.compile(r"\{(?:count|n|number|done|set|sets)\}\s+[a-z]+s\b")


def agreement_errors(text: str) -> list[str]:
    found = [m.group(0) for m in ONE_WITH_PLURAL.finditer(text)]
    found += [m.group(0) for m in MANY_WITH_SINGULAR.finditer(text)]
    found += [m.group(0) for m in SIDE_FRAGMENT.finditer(text)]
    return found


def test_the_checks_catch_what_they_are_for() -> None:
    for wrong in (
        "Do one repetitions.",
        "Hold for 1 seconds.",
        "five set",
        "Rest. Each side.",
        "one more sets",
    ):
        assert agreement_errors(wrong), wrong
    right = (
        "Do one repetition.",
        "You did one of five exercises.",
        "Set one of three.",
        "twenty-one minutes",
    )
    for fine in right:
        assert not agreement_errors(fine), fine


# -- the plural rules and counted nouns ----------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_every_counted_noun_has_every_plural_form_and_agrees(locale: str) -> None:
    prompts = load_prompts(locale)
    words = Phrasing(prompts)
    nouns = {k for k in prompts.strings if k.startswith("count.")}
    assert {"count.repetitions", "count.sets", "count.exercises", "count.times", "count.routines"} <= nouns
    for noun in sorted(nouns):
        assert prompts.is_plural(noun), noun
        for n in (1, 2, 5, 12, 21):
            said = words.count(noun, n)
            assert not agreement_errors(said), said
        assert words.count(noun, 1) != words.count(noun, 2)


def test_plural_forms_follow_the_language_rule() -> None:
    """CLDR through Babel, not a rule of ours."""
    for locale in ("en-US", "de-DE"):
        categories = [formatting.plural_category(locale, n) for n in (0, 1, 2, 21)]
        assert categories == ["other", "one", "other", "other"]
    with pytest.raises(UnknownLocaleError):
        formatting.plural_category("xx-XX", 1)


@pytest.mark.parametrize("locale", LOCALES)
def test_no_template_puts_a_plural_noun_after_a_number(locale: str) -> None:
    """Agreement lives in plural prompts (CLDR forms); elsewhere a number never precedes a noun."""
    prompts = load_prompts(locale)
    wrong = {
        key: text
        for key, template in prompts.strings.items()
        for text in (
            [template] if isinstance(template, str) else [t for f, t in template.items() if f != "select"]
        )
        if NUMBER_PLACEHOLDER.search(text) and not prompts.is_plural(key) and not key.endswith(".many")
    }
    assert not wrong, wrong


# -- every prompt, every value it can take -----------------------------------------------------


def values_for(prompts: Prompts, catalogue: Catalogue) -> dict[str, tuple[str, ...]]:
    """What the code passes for each placeholder name (from the same phrasing functions)."""
    locale = prompts.locale
    words = Phrasing(prompts)
    numbers = tuple(words.number(n) for n in (1, 2, 5))
    counted = {
        noun: tuple(words.count(f"count.{noun}", n) for n in (1, 2, 5))
        for noun in ("routines", "exercises", "repetitions")
    }
    return {
        "count": numbers,
        "n": numbers,
        "number": numbers,
        "done": tuple(words.count("count.done", n) for n in (0, 1, 2, 5)),
        "set": numbers,
        "sets": numbers,
        "routines": counted["routines"],
        "times": tuple(words.count("count.times", n) for n in (1, 2, 5)),
        "exercises": counted["exercises"],
        "repetitions": tuple(capitalise(r) for r in counted["repetitions"]),
        "duration": tuple(words.duration(s) for s in (1, 30, 60, 90, 125))
        + tuple(words.approximate_duration(s) for s in (30, 60, 300)),
        "side": ("right", "left"),
        "first": ("right",),
        "second": ("left",),
        "foot_phrase": tuple(prompts.get(f"foot.{f.value}") for f in Foot),
        "focus_phrase": tuple(prompts.get(f"focus.{f.value}") for f in Focus),
        "exercise": tuple(e.text[locale].name for e in catalogue.exercises.values()),
        "name": tuple(e.text[locale].name for e in catalogue.exercises.values()),
        "routine": tuple(r.text[locale].name for r in catalogue.routines.values()),
        "days": ("Monday and Friday", "one-day", "five-day", "one day", "five days"),
        "items": ("a wall", "a wall and a chair"),
        "item": ("every day at seven a.m. for your quick routine",),
        "equipment": ("a wall",),
        "heard": ("pizza",),
        "instruction": ("Rise up on one foot.",),
        "disclaimer": (catalogue.safety[locale].disclaimer,),
        "warning": (catalogue.safety[locale].massage_warning.text,),
        "dose": ("Hold for thirty seconds.",),
        "purpose": ("It stretches your calf.",),
        "outcome": ("nothing was changed.",),
        "recurrence": ("every day", "on weekdays"),
        "time": ("seven a.m.",),
        "hour": ("seven",),
        "minute": ("thirty",),
        "meridiem": ("a.m.",),
        "seconds": ("20", "30"),
        "feet": ("Both feet", "Left foot"),
        "low": ("2", "3"),
        "high": ("3", "5"),
        "minutes": ("7", "45"),
    }


ONLY = {
    r".*\.many": {"count": ("two", "five")},
    r"reminder\.cancel\.confirm_all": {"count": ("two", "five")},
    r"progress\.(strength|stretch)": {"count": ("once", "twice", "five times")},
    r"screen\.overview\.total": {"minutes": ("7", "45")},  # every routine is over a minute
}
"""Keys the code only calls with some values (``.many`` forms, "all N reminders")."""

COUNTS = (0, 1, 2, 5, 12, 21)
"""What a plural prompt (CLDR forms, ``Prompts.get(key, count=n)``) is rendered with."""


def renders(prompts: Prompts, catalogue: Catalogue) -> Iterator[tuple[str, str]]:
    table = values_for(prompts, catalogue)
    for key in sorted(prompts.strings):
        plural = prompts.is_plural(key)
        names = sorted(prompts.placeholders(key) - ({"count"} if plural else set()))
        missing = [n for n in names if n not in table]
        assert not missing, f"{key}: add values for {missing} to this test"
        choices = dict(table)
        for pattern, only in ONLY.items():
            if re.fullmatch(pattern, key):
                choices.update(only)
        for combo in itertools.product(*(choices[n] for n in names)):
            params: dict[str, object] = dict(zip(names, combo, strict=True))
            if not plural:
                yield key, prompts.get(key, **params)
                continue
            for n in COUNTS:
                yield key, prompts.get(key, count=n, **params)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_prompt_with_every_value_agrees(locale: str, catalogue: Catalogue) -> None:
    prompts = load_prompts(locale)
    wrong: dict[str, list[str]] = {}
    count = 0
    for key, text in renders(prompts, catalogue):
        count += 1
        errors = agreement_errors(text)
        if errors:
            wrong.setdefault(key, []).extend(errors)
    assert count > len(prompts.strings), "every key rendered, most more than once"
    assert not wrong, wrong


# -- every routine as spoken ----------------------------------------------------------------------


def spoken_routine(speaker: Speaker, plan: Plan, listener: Listener) -> list[tuple[int | None, str]]:
    """(entry index or None, text) of every response of a straight run, plus "how much is left"
    at every step, from the routine's start to its end."""
    out: list[tuple[int | None, str]] = []
    transition = machine.start(plan)
    while True:
        voice = RoutineVoice(speaker, listener)
        reply = speaker.render(transition.events, plan, Reply(speaker.ssml()), voice)
        state = transition.state
        opening = isinstance(transition.events[-1], machine.RoutineStarted)  # before "ready"
        entry = plan.steps[state.position].entry_index if not (opening or state.finished(plan)) else None
        out.append((entry, to_display_text(reply.speech.build())))
        if state.finished(plan):
            return out
        left = machine.apply(state, plan, Command.REMAINING)
        remaining = speaker.render(left.events, plan, Reply(speaker.ssml()), voice)
        out.append((None, to_display_text(remaining.speech.build())))
        transition = machine.apply(state, plan, Command.BEGIN if opening else Command.NEXT)


def every_plan(catalogue: Catalogue) -> Iterator[Plan]:
    for routine in catalogue.routines.values():
        for foot in Foot:
            for focus in Focus:
                yield build_plan(routine, foot, focus)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_routine_for_every_foot_agrees_and_names_the_right_limb(
    locale: str, catalogue: Catalogue
) -> None:
    speaker = Speaker(catalogue, load_prompts(locale), locale)
    side_words = re.compile(r"\beach (side|foot|leg)\b|\bswitch to\b|\bthen your\b", re.I)
    new_user, returning = Listener(), Listener(safety_due=False, short_for=frozenset(catalogue.exercises))
    problems: list[str] = []
    for plan, listener in itertools.product(every_plan(catalogue), (new_user, returning)):
        for entry_index, text in spoken_routine(speaker, plan, listener):
            where = f"{plan.routine_id}/{plan.foot.value}/{plan.focus.value}"
            problems += [f"{where}: {e!r}" for e in agreement_errors(text)]
            if plan.foot is not Foot.BOTH and side_words.search(text):
                problems.append(f"{where}: side words with one foot: {side_words.search(text)!r}")
            if entry_index is not None and plan.entries[entry_index].exercise.limb is Limb.LEG:
                intro = re.search(r"Exercise [a-z-]+ of [a-z-]+:", text)  # after the routine's opening
                wrong_limb = FOOT_CUE.search(text[intro.start() if intro else 0 :])
                if wrong_limb:
                    problems.append(
                        f"{where}: {plan.entries[entry_index].exercise.id} says {wrong_limb[0]!r}"
                    )
    assert not problems, "\n".join(problems[:20])


def one_exercise_routine(catalogue: Catalogue) -> Catalogue:
    """The catalogue plus a routine of a single exercise (none ships today; one may)."""
    entry = catalogue.routine("quick").entries[0]
    text = {locale: catalogue.routine("quick").text[locale] for locale in catalogue.locales}
    single = Routine("single", (entry,), {k: RoutineText(t.name, (), t.description) for k, t in text.items()})
    return dataclasses.replace(catalogue, routines={**catalogue.routines, "single": single})


def closing_words(catalogue: Catalogue, locale: str, *, skip: bool) -> str:
    """What the skill says when the one-exercise routine ends, its exercise done or skipped."""
    speaker = Speaker(catalogue, load_prompts(locale), locale)
    plan = build_plan(catalogue.routine("single"), Foot.LEFT, Focus.SOLE)
    transition = machine.apply(machine.start(plan).state, plan, Command.BEGIN)
    for _ in range(len(plan.steps) + 1):
        transition = machine.apply(transition.state, plan, Command.SKIP if skip else Command.NEXT)
        if any(isinstance(e, machine.RoutineFinished) for e in transition.events):
            reply = speaker.render(
                transition.events, plan, Reply(speaker.ssml()), RoutineVoice(speaker, Listener())
            )
            return to_display_text(reply.speech.build())
    raise AssertionError("the routine never finished")


@pytest.mark.parametrize(
    ("locale", "skip", "summary"),
    [
        ("de-DE", False, "Du hast eine Übung geschafft."),
        ("de-DE", True, "Du hast keine Übung geschafft."),
        ("en-US", False, "You did one of one exercise."),
        ("en-US", True, "You did none of one exercise."),
    ],
)
def test_a_one_exercise_routine_ends_with_a_grammatical_summary(
    catalogue: Catalogue, locale: str, skip: bool, summary: str
) -> None:
    """German "von" takes the dative: "eins von eine Übung" was wrong; "eine Übung" agrees."""
    said = closing_words(one_exercise_routine(catalogue), locale, skip=skip)
    assert summary in said, said


@pytest.mark.parametrize(
    ("count", "done", "summary"),
    [(3, 1, "Du hast eine von drei Übungen geschafft."), (3, 0, "Du hast keine von drei Übungen geschafft.")],
)
def test_the_german_summary_agrees_with_the_feminine_exercise(count: int, done: int, summary: str) -> None:
    prompts = load_prompts("de-DE")
    done_words = Phrasing(prompts).count("count.done", done)
    assert prompts.get("routine.finished.summary", count=count, done=done_words) == summary


@pytest.mark.parametrize("locale", LOCALES)
def test_the_warning_signs_are_one_grammatical_sentence(locale: str, catalogue: Catalogue) -> None:
    speaker = Speaker(catalogue, load_prompts(locale), locale)
    flags = speaker.red_flags()
    items = catalogue.safety[locale].red_flags
    prompts = load_prompts(locale)
    assert flags == prompts.get("red_flags", items=Phrasing(prompts).join(items, "or"))
    assert flags.count(".") == 1
    if locale.startswith("en-"):
        assert flags.startswith("Please see a health professional if you have ")
        assert (", or " in flags) == (locale == "en-US"), "CLDR's list commas: Oxford comma in en-US only"
        for item in items:  # each follows "if you have": a noun phrase, not a clause
            assert not re.match(r"(you|it|your|pain is|pain continues)\b", item), item
