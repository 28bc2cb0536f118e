"""The catalogue as plain JSON-ready data, for tooling and the contract tests of other parts.

Every figure the timing uses says where it comes from: a seed file, or ``ours`` with why (each
variant and routine entry also lists the names of its figures that are ours under ``ours``).

Times come from an injected ``routine_total_s`` so this module never duplicates the engine's
timing rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from heel_coach.catalogue.model import (
    Catalogue,
    EquipmentNeed,
    Exercise,
    Figure,
    Focus,
    Frequency,
    Range,
    Routine,
    Variant,
    equipment_for,
)


def _range(value: Range | None) -> list[int] | None:
    return None if value is None else value.as_list()


def _frequency(value: Frequency | None) -> dict[str, Any] | None:
    return None if value is None else {"low": value.low, "high": value.high, "per": value.per}


def _figure(value: Figure | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"value": value.value, "source": value.source, "why": value.why}


def _needs(needs: tuple[EquipmentNeed, ...], names: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "any_of": list(need.any_of),
            "names": [names[i] for i in need.any_of],
            "optional": need.optional,
            "source": need.source,
            **({"why": need.why} if need.why else {}),
        }
        for need in needs
    ]


def _variant(variant: Variant) -> dict[str, Any]:
    return {
        "id": variant.id,
        "sources": list(variant.sources),
        "hold_s": _range(variant.hold_s),
        "duration_s": _range(variant.duration_s),
        "reps": _range(variant.reps),
        "sets": _range(variant.sets),
        "rest_s": _figure(variant.rest_s),
        "rep_pace_s": _figure(variant.rep_pace_s),
        "ours": list(variant.ours()),
        "frequency": _frequency(variant.frequency),
    }


def _exercise(exercise: Exercise, locale: str, names: dict[str, str]) -> dict[str, Any]:
    text = exercise.text[locale]
    default = exercise.variants[0]
    return {
        "id": exercise.id,
        "name": text.name,
        "category": exercise.category.value,
        "sides": exercise.sides.value,
        "limb": exercise.limb.value,
        "hold_s": _range(default.hold_s),
        "duration_s": _range(default.duration_s),
        "reps": _range(default.reps),
        "sets": _range(default.sets),
        "sources": list(exercise.sources),
        "equipment": _needs(exercise.needs, names),
        "focus": [focus.value for focus in exercise.focus],
        "is_massage": exercise.is_massage,
        "frequency": _frequency(default.frequency),
        "variants": [_variant(variant) for variant in exercise.variants],
        "purpose": {"text": text.purpose.text, "sources": list(text.purpose.sources)},
        "short": text.short,
        "steps": list(text.steps),
        "position": text.position,
        "cautions": list(text.cautions),
    }


def _ids(routine: Routine, focus: Focus | None) -> list[str]:
    entries = routine.entries if focus is None else routine.entries_for(focus)
    return list(dict.fromkeys(entry.exercise.id for entry in entries))


def _routine(
    routine: Routine, routine_total_s: Callable[[Routine], int], locale: str, names: dict[str, str]
) -> dict[str, Any]:
    text = routine.text[locale]
    return {
        "id": routine.id,
        "name": text.name,
        "exercise_ids": _ids(routine, None),
        "total_s": routine_total_s(routine),
        "description": text.description,
        "exercise_ids_by_focus": {focus.value: _ids(routine, focus) for focus in Focus},
        "equipment_by_focus": {
            focus.value: _needs(equipment_for(routine.entries_for(focus)), names) for focus in Focus
        },
        "entries": [
            {
                "exercise_id": entry.exercise.id,
                "variant": entry.variant.id,
                "sources": list(entry.variant.sources),
                "focus": entry.focus.value if entry.focus else None,
                "hold_s": entry.dose.hold_s,
                "duration_s": entry.dose.duration_s,
                "reps": entry.dose.reps,
                "sets": entry.dose.sets,
                "rest_s": _figure(entry.variant.rest_s),
                "rep_pace_s": _figure(entry.variant.rep_pace_s),
                "ours": list(entry.variant.ours()),
            }
            for entry in routine.entries
        ],
    }


def catalogue_as_json(
    catalogue: Catalogue, routine_total_s: Callable[[Routine], int], locale: str = "en-US"
) -> dict[str, Any]:
    """Exercises (top-level figures are the default variant's ranges) and routines, in order."""
    if locale not in catalogue.locales:
        known = ", ".join(catalogue.locales)
        raise KeyError(f"locale {locale!r} is not in the catalogue ({known})")
    names = catalogue.equipment[locale]
    return {
        "exercises": [_exercise(e, locale, names) for e in catalogue.exercises.values()],
        "routines": [_routine(r, routine_total_s, locale, names) for r in catalogue.routines.values()],
    }
