"""Build the ``Catalogue`` from the YAML content and validate all of it, once, at load time.

Content is edited by people who do not read Python, so every mistake becomes a ``ContentError``
naming the file (relative to the content root) and the field; nothing invalid reaches the engine.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from heel_coach.catalogue import _fields as f
from heel_coach.catalogue._fields import At
from heel_coach.catalogue.locale_files import LOCALES_DIR, load_manifest, read_locale_file
from heel_coach.catalogue.model import (
    OURS,
    Catalogue,
    Category,
    Dose,
    EquipmentNeed,
    Exercise,
    ExerciseText,
    Figure,
    Focus,
    Frequency,
    Limb,
    Purpose,
    Range,
    Routine,
    RoutineEntry,
    RoutineText,
    SafetyText,
    Sides,
    SourcedText,
    SpeakingRate,
    Variant,
)
from heel_coach.errors import ContentError
from heel_coach.resources import CONTENT_DIR

SEED_FILES: frozenset[str] = frozenset(
    {
        "000_738e10310320b56a.txt",
        "001_13e5ced50b626fc8.txt",
        "002_9aeb6e47313bb0f3.txt",
        "003_cd692bcb83d014fc.txt",
        "004_849461aea8c41f6f.txt",
    }
)
"""The only documents content may cite: every figure must be traceable to one of them."""

EXERCISES_DIR = "catalogue/exercises"
ROUTINES_FILE = "catalogue/routines.yaml"
FREQUENCY_PER = ("day", "week")
RANGE_FIELDS = ("hold_s", "duration_s", "reps", "sets")
DOSE_FIELDS = ("hold_s", "duration_s", "reps", "sets")
PLAUSIBLE = {"rep_pace_s": (1, 120), "rest_s": (5, 180)}
SPEAKING_RATE_WPM = (80, 220)
"""Bounds of a plausible speaking rate (words per minute): slow dictation to a fast newsreader."""
"""Bounds a paced repetition or pass, and a rest between sets, must lie in (seconds): a typo
such as 300 for a toe raise is refused at load time."""


def default_content_root() -> Path:
    """The content shipped inside the package (``heel_coach/content``)."""
    return CONTENT_DIR


def load_catalogue(root: Path | None = None) -> Catalogue:
    """Load figures, routines and every locale's words; raise ``ContentError`` on any problem."""
    root = default_content_root() if root is None else Path(root)
    exercises = _load_exercises(root)
    routines = _load_routines(root, exercises)
    locales = _locale_names(root)
    exercise_texts: dict[str, dict[str, ExerciseText]] = {e: {} for e in exercises}
    routine_texts: dict[str, dict[str, RoutineText]] = {r: {} for r in routines}
    safety: dict[str, SafetyText] = {}
    equipment: dict[str, dict[str, str]] = {}
    used_equipment = {item for e in exercises.values() for need in e.needs for item in need.any_of}
    for locale in locales:
        for exercise_id, ex_text in _load_exercise_texts(root, locale, exercises).items():
            exercise_texts[exercise_id][locale] = ex_text
        for routine_id, ro_text in _load_routine_texts(root, locale, routines).items():
            routine_texts[routine_id][locale] = ro_text
        safety[locale] = _load_safety(root, locale)
        equipment[locale] = _load_equipment_names(root, locale, used_equipment)
    rates = load_speaking_rates(root, locales)
    full_exercises = {
        e_id: dataclasses.replace(e, text=exercise_texts[e_id]) for e_id, e in exercises.items()
    }
    full_routines = {
        r_id: Routine(
            id=r.id,
            entries=tuple(
                dataclasses.replace(entry, exercise=full_exercises[entry.exercise.id]) for entry in r.entries
            ),
            text=routine_texts[r_id],
        )
        for r_id, r in routines.items()
    }
    return Catalogue(
        exercises=full_exercises,
        routines=full_routines,
        safety=safety,
        locales=locales,
        speaking_rate=rates,
        equipment=equipment,
    )


# --- exercises ------------------------------------------------------------------------------


def _load_exercises(root: Path) -> dict[str, Exercise]:
    directory = root / EXERCISES_DIR
    if not directory.is_dir():
        raise At(EXERCISES_DIR).error("directory is missing")
    exercises: dict[str, Exercise] = {}
    for path in sorted(directory.iterdir()):
        relative = f"{EXERCISES_DIR}/{path.name}"
        if path.suffix != ".yaml":
            raise At(relative).error("only .yaml files belong here")
        exercise = _exercise(f.read_yaml(root, relative), At(relative))
        if exercise.id in exercises:
            raise At(relative).key("id").error(f"duplicate exercise id {exercise.id!r}")
        if path.stem != exercise.id:
            raise At(relative).key("id").error(f"{exercise.id!r} must match the file name")
        exercises[exercise.id] = exercise
    if not exercises:
        raise At(EXERCISES_DIR).error("no exercises")
    return exercises


def _exercise(raw: object, at: At) -> Exercise:
    data = f.mapping(
        raw, at, ("id", "category", "sides", "limb", "equipment", "focus", "is_massage", "variants")
    )
    focus = f.texts(data["focus"], at.key("focus"))
    variants_at = at.key("variants")
    variants = tuple(
        _variant(item, variants_at.index(i))
        for i, item in enumerate(f.sequence(data["variants"], variants_at, allow_empty=False))
    )
    seen: set[str] = set()
    for i, variant in enumerate(variants):
        if variant.id in seen:
            raise variants_at.index(i).key("id").error(f"duplicate variant id {variant.id!r}")
        seen.add(variant.id)
    return Exercise(
        id=f.identifier(data["id"], at.key("id")),
        category=f.enum(data["category"], at.key("category"), Category),
        sides=f.enum(data["sides"], at.key("sides"), Sides),
        limb=f.enum(data["limb"], at.key("limb"), Limb),
        needs=_needs(data["equipment"], at.key("equipment"), variants),
        focus=tuple(f.enum(v, at.key("focus").index(i), Focus) for i, v in enumerate(focus)),
        variants=variants,
        is_massage=f.boolean(data["is_massage"], at.key("is_massage")),
        text={},
    )


def _needs(raw: object, at: At, variants: tuple[Variant, ...]) -> tuple[EquipmentNeed, ...]:
    """Equipment: each item lists alternatives (any one will do), says whether it is optional,
    and names the seed that mentions it (one of the exercise's sources) or ``ours`` with why."""
    sources = {s for v in variants for s in v.sources}
    needs: list[EquipmentNeed] = []
    for i, item in enumerate(f.sequence(raw, at)):
        item_at = at.index(i)
        data = f.mapping(item, item_at, ("any_of", "optional", "source"), ("why",))
        any_of = f.texts(data["any_of"], item_at.key("any_of"), allow_empty=False)
        for j, equipment_id in enumerate(any_of):
            f.identifier(equipment_id, item_at.key("any_of").index(j))
        source, why = _source(data, item_at, sources)
        if any(any_of == n.any_of for n in needs):
            raise item_at.key("any_of").error("listed twice")
        needs.append(EquipmentNeed(any_of, f.boolean(data["optional"], item_at.key("optional")), source, why))
    return tuple(needs)


def _source(data: dict[str, Any], at: At, allowed: set[str] | frozenset[str]) -> tuple[str, str]:
    """``source`` is one of ``allowed`` seeds or ``ours``; ``why`` is required for ours."""
    source = data["source"]
    if source != OURS and source not in allowed:
        raise at.key("source").error(f"{source!r} must be {OURS!r} or one of {', '.join(sorted(allowed))}")
    why = data.get("why")
    if source == OURS and why is None:
        raise at.key("why").error(f"missing: say why we chose a value the seeds do not give ({OURS})")
    return str(source), "" if why is None else f.text(why, at.key("why"))


def _figure(raw: object, at: At, sources: tuple[str, ...], name: str) -> Figure | None:
    if raw is None:
        return None
    data = f.mapping(raw, at, ("value", "source"), ("why",))
    value = f.positive_int(data["value"], at.key("value"))
    low, high = PLAUSIBLE[name]
    if not low <= value <= high:
        raise at.key("value").error(f"{value} is outside the plausible {low}..{high} s")
    source, why = _source(data, at, set(sources))
    return Figure(value=value, source=source, why=why)


def _variant(raw: object, at: At) -> Variant:
    optional = (*RANGE_FIELDS, "frequency", "progression", "rep_pace_s", "rest_s")
    data = f.mapping(raw, at, ("id", "sources"), optional)
    sources = f.texts(data["sources"], at.key("sources"), allow_empty=False)
    for i, source in enumerate(sources):
        if source not in SEED_FILES:
            raise at.key("sources").index(i).error(f"{source!r} is not one of the seed files")
    ranges = {name: _optional_range(data.get(name), at.key(name)) for name in RANGE_FIELDS}
    progression = data.get("progression")
    pace = _figure(data.get("rep_pace_s"), at.key("rep_pace_s"), sources, "rep_pace_s")
    rest = _figure(data.get("rest_s"), at.key("rest_s"), sources, "rest_s")
    paced = ranges["hold_s"] is None and ranges["duration_s"] is None
    if paced and pace is None:
        raise at.key("rep_pace_s").error(
            "missing: without hold_s or duration_s the work is counted or timed at this pace"
        )
    if not paced and pace is not None:
        raise at.key("rep_pace_s").error("only for work without hold_s or duration_s")
    sets = ranges["sets"]
    if sets is not None and sets.high > 1 and rest is None:
        raise at.key("rest_s").error("missing: the rest between sets is timed")
    if rest is not None and (sets is None or sets.high == 1):
        raise at.key("rest_s").error("only for more than one set")
    progression_ids = () if progression is None else f.texts(progression, at.key("progression"))
    for i, progression_id in enumerate(progression_ids):
        f.identifier(progression_id, at.key("progression").index(i))
    return Variant(
        id=f.identifier(data["id"], at.key("id")),
        sources=sources,
        hold_s=ranges["hold_s"],
        duration_s=ranges["duration_s"],
        reps=ranges["reps"],
        sets=ranges["sets"],
        rest_s=rest,
        frequency=_frequency(data.get("frequency"), at.key("frequency")),
        progression=progression_ids,
        rep_pace_s=pace,
    )


def _optional_range(raw: object, at: At) -> Range | None:
    if raw is None:
        return None
    data = f.mapping(raw, at, ("low", "high", "default"))
    low = f.positive_int(data["low"], at.key("low"))
    high = f.positive_int(data["high"], at.key("high"))
    default = f.positive_int(data["default"], at.key("default"))
    if low > high:
        raise at.key("high").error(f"{high} is below low {low}")
    if not low <= default <= high:
        raise at.key("default").error(f"{default} is outside {low}..{high}")
    return Range(low=low, high=high, default=default)


def _frequency(raw: object, at: At) -> Frequency | None:
    if raw is None:
        return None
    data = f.mapping(raw, at, ("low", "high", "per"))
    low = f.positive_int(data["low"], at.key("low"))
    high = f.positive_int(data["high"], at.key("high"))
    if low > high:
        raise at.key("high").error(f"{high} is below low {low}")
    per = data["per"]
    if per not in FREQUENCY_PER:
        raise at.key("per").error(f"{per!r} is not one of {', '.join(FREQUENCY_PER)}")
    return Frequency(low=low, high=high, per=str(per))


# --- routines -------------------------------------------------------------------------------


def _load_routines(root: Path, exercises: dict[str, Exercise]) -> dict[str, Routine]:
    at = At(ROUTINES_FILE)
    data = f.mapping(f.read_yaml(root, ROUTINES_FILE), at, ("routines",))
    routines: dict[str, Routine] = {}
    items = f.sequence(data["routines"], at.key("routines"), allow_empty=False)
    for i, item in enumerate(items):
        routine_at = at.key("routines").index(i)
        raw = f.mapping(item, routine_at, ("id", "entries"))
        routine_id = f.identifier(raw["id"], routine_at.key("id"))
        if routine_id in routines:
            raise routine_at.key("id").error(f"duplicate routine id {routine_id!r}")
        entries_at = routine_at.key("entries")
        entries = tuple(
            _entry(entry, entries_at.index(j), exercises)
            for j, entry in enumerate(f.sequence(raw["entries"], entries_at, allow_empty=False))
        )
        routines[routine_id] = Routine(id=routine_id, entries=entries, text={})
    return routines


def _entry(raw: object, at: At, exercises: dict[str, Exercise]) -> RoutineEntry:
    data = f.mapping(raw, at, ("exercise",), ("variant", "dose", "focus"))
    exercise_id = f.identifier(data["exercise"], at.key("exercise"))
    if exercise_id not in exercises:
        raise at.key("exercise").error(f"unknown exercise {exercise_id!r}")
    exercise = exercises[exercise_id]
    variant_id = data.get("variant")
    if variant_id is None:
        variant = exercise.variants[0]
    else:
        known = [v.id for v in exercise.variants]
        if variant_id not in known:
            raise at.key("variant").error(
                f"{variant_id!r} is not a variant of {exercise_id!r} ({', '.join(known)})"
            )
        variant = exercise.variant(str(variant_id))
    focus = None
    if data.get("focus") is not None:
        focus = f.enum(data["focus"], at.key("focus"), Focus)
        if exercise.focus and focus not in exercise.focus:
            raise at.key("focus").error(
                f"{exercise_id!r} is only for focus {', '.join(x.value for x in exercise.focus)}"
            )
    return RoutineEntry(
        exercise=exercise,
        variant=variant,
        dose=_dose(data.get("dose"), at.key("dose"), variant),
        focus=focus,
    )


def _dose(raw: object, at: At, variant: Variant) -> Dose:
    """The variant's defaults, with overrides that must lie inside the variant's ranges."""
    overrides: dict[str, Any] = {} if raw is None else f.mapping(raw, at, (), DOSE_FIELDS)
    values: dict[str, int | None] = {}
    for name in DOSE_FIELDS:
        allowed: Range | None = getattr(variant, name)
        value = overrides.get(name)
        if value is None:
            values[name] = None if allowed is None else allowed.default
            continue
        value = f.positive_int(value, at.key(name))
        if allowed is None:
            raise at.key(name).error(f"variant {variant.id!r} has no {name} to override")
        if not allowed.contains(value):
            raise at.key(name).error(
                f"{value} is outside variant {variant.id!r}'s range {allowed.low}..{allowed.high}"
            )
        values[name] = value
    return Dose(
        hold_s=values["hold_s"],
        duration_s=values["duration_s"],
        reps=values["reps"],
        sets=values["sets"] or 1,  # no sets in the seed: one round
    )


# --- locale text ----------------------------------------------------------------------------


def _locale_names(root: Path) -> tuple[str, ...]:
    """The supported locales, default first (``locales/locales.yaml``)."""
    if not (root / LOCALES_DIR).is_dir():
        raise At(LOCALES_DIR).error("directory is missing")
    return load_manifest(root).locales


def _covering(raw: object, at: At, ids: dict[str, Any], kind: str) -> dict[str, Any]:
    """Locale text must exist for every id, and only for known ids."""
    data = f.id_map(raw, at)
    for key in data:
        if key not in ids:
            raise at.key(key).error(f"unknown {kind} id")
    for key in ids:
        if key not in data:
            raise at.key(key).error(f"missing text for {kind} {key!r}")
    return data


def _load_exercise_texts(root: Path, locale: str, exercises: dict[str, Exercise]) -> dict[str, ExerciseText]:
    raw, at = read_locale_file(root, locale, "exercises.yaml")
    data = _covering(raw, at, exercises, "exercise")
    return {key: _exercise_text(data[key], at.key(key), exercises[key]) for key in exercises}


def _exercise_text(raw: object, at: At, exercise: Exercise) -> ExerciseText:
    data = f.mapping(
        raw, at, ("name", "synonyms", "position", "steps", "short", "purpose"), ("cautions", "variant_notes")
    )
    notes_raw = data.get("variant_notes")
    notes: dict[str, str] = {}
    if notes_raw is not None:
        notes_at = at.key("variant_notes")
        keys = {v.id for v in exercise.variants}
        keys |= {p for v in exercise.variants for p in v.progression}
        for key, value in f.id_map(notes_raw, notes_at).items():
            if key not in keys:
                raise notes_at.key(key).error("not a variant or progression id of this exercise")
            notes[key] = f.text(value, notes_at.key(key))
    cautions = data.get("cautions")
    return ExerciseText(
        name=f.text(data["name"], at.key("name")),
        synonyms=f.texts(data["synonyms"], at.key("synonyms")),
        position=f.text(data["position"], at.key("position")),
        steps=f.texts(data["steps"], at.key("steps"), allow_empty=False),
        short=f.text(data["short"], at.key("short")),
        purpose=_purpose(data["purpose"], at.key("purpose"), exercise),
        cautions=() if cautions is None else f.texts(cautions, at.key("cautions")),
        variant_notes=notes,
    )


def _purpose(raw: object, at: At, exercise: Exercise) -> Purpose:
    """Why the exercise is done; it may only cite seeds the exercise itself comes from."""
    data = f.mapping(raw, at, ("text", "sources"))
    sources = f.texts(data["sources"], at.key("sources"), allow_empty=False)
    for i, source in enumerate(sources):
        if source not in exercise.sources:
            raise (
                at.key("sources")
                .index(i)
                .error(f"{source!r} is not a source of {exercise.id!r} ({', '.join(exercise.sources)})")
            )
    return Purpose(text=f.text(data["text"], at.key("text")), sources=sources)


def _load_equipment_names(root: Path, locale: str, used: set[str]) -> dict[str, str]:
    """Spoken names (with their article) of every equipment id the exercises use, and no others."""
    raw, at = read_locale_file(root, locale, "equipment.yaml")
    data = f.id_map(raw, at)
    for key in data:
        if key not in used:
            raise at.key(key).error("no exercise uses this equipment id")
    for key in sorted(used):
        if key not in data:
            raise at.key(key).error(f"missing name for equipment {key!r}")
    return {key: f.text(data[key], at.key(key)) for key in sorted(used)}


def _load_routine_texts(root: Path, locale: str, routines: dict[str, Routine]) -> dict[str, RoutineText]:
    raw, at = read_locale_file(root, locale, "routines.yaml")
    data = _covering(raw, at, routines, "routine")
    result: dict[str, RoutineText] = {}
    for key in routines:
        item = f.mapping(data[key], at.key(key), ("name", "synonyms", "description"))
        result[key] = RoutineText(
            name=f.text(item["name"], at.key(key).key("name")),
            synonyms=f.texts(item["synonyms"], at.key(key).key("synonyms")),
            description=f.text(item["description"], at.key(key).key("description")),
        )
    return result


def _load_safety(root: Path, locale: str) -> SafetyText:
    raw, at = read_locale_file(root, locale, "safety.yaml")
    fields = (
        "disclaimer",
        "red_flags",
        "massage_contraindications",
        "sources",
        "massage_warning",
        "pain",
        "massage_pain",
    )
    data = f.mapping(raw, at, fields)
    sources = _seed_files(data["sources"], at.key("sources"))
    pain = tuple(
        _sourced(item, at.key("pain").index(i))
        for i, item in enumerate(f.sequence(data["pain"], at.key("pain"), allow_empty=False))
    )
    return SafetyText(
        massage_warning=_sourced(data["massage_warning"], at.key("massage_warning")),
        pain=pain,
        massage_pain=_sourced(data["massage_pain"], at.key("massage_pain")),
        disclaimer=f.text(data["disclaimer"], at.key("disclaimer")),
        red_flags=f.texts(data["red_flags"], at.key("red_flags"), allow_empty=False),
        massage_contraindications=f.texts(
            data["massage_contraindications"],
            at.key("massage_contraindications"),
            allow_empty=False,
        ),
        sources=sources,
    )


def load_speaking_rates(
    root: Path | None = None, locales: tuple[str, ...] | None = None
) -> dict[str, SpeakingRate]:
    """Every locale's speaking rate (``speech.yaml``), without loading the rest of the content:
    the offline speech engine needs only this."""
    root = default_content_root() if root is None else Path(root)
    return {locale: _speaking_rate(root, locale) for locale in locales or _locale_names(root)}


def _speaking_rate(root: Path, locale: str) -> SpeakingRate:
    raw, at = read_locale_file(root, locale, "speech.yaml")
    data = f.mapping(raw, at, ("words_per_minute", "source", "why"))
    wpm = f.positive_int(data["words_per_minute"], at.key("words_per_minute"))
    low, high = SPEAKING_RATE_WPM
    if not low <= wpm <= high:
        raise at.key("words_per_minute").error(f"{wpm} is outside the plausible {low}..{high}")
    if data["source"] != OURS:
        raise at.key("source").error(f"must be {OURS!r}: no seed gives a speaking rate")
    return SpeakingRate(wpm, OURS, f.text(data["why"], at.key("why")))


def _seed_files(value: object, at: At) -> tuple[str, ...]:
    sources = f.texts(value, at, allow_empty=False)
    for i, source in enumerate(sources):
        if source not in SEED_FILES:
            raise at.index(i).error(f"{source!r} is not one of the seed files")
    return sources


def _sourced(value: object, at: At) -> SourcedText:
    item = f.mapping(value, at, ("text", "sources"))
    return SourcedText(f.text(item["text"], at.key("text")), _seed_files(item["sources"], at.key("sources")))


__all__ = ["SEED_FILES", "ContentError", "default_content_root", "load_catalogue", "load_speaking_rates"]
