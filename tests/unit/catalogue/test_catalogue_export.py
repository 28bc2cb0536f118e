"""catalogue_as_json has exactly the agreed shape and takes routine times from the engine."""

from __future__ import annotations

import json
from typing import Any

import pytest

from heel_coach.catalogue import Catalogue, Routine, catalogue_as_json

EXERCISE_KEYS = {
    "id",
    "name",
    "category",
    "sides",
    "limb",
    "hold_s",
    "duration_s",
    "reps",
    "sets",
    "sources",
    "equipment",
    "focus",
    "is_massage",
    "frequency",
    "variants",
    "purpose",
    "short",
    "steps",
    "position",
    "cautions",
}
VARIANT_KEYS = {
    "id",
    "sources",
    "hold_s",
    "duration_s",
    "reps",
    "sets",
    "rest_s",
    "rep_pace_s",
    "ours",
    "frequency",
}
ROUTINE_KEYS = {
    "id",
    "name",
    "exercise_ids",
    "total_s",
    "description",
    "exercise_ids_by_focus",
    "equipment_by_focus",
    "entries",
}


def fake_total(routine: Routine) -> int:
    return 1000 + len(routine.entries)


@pytest.fixture
def exported(catalogue: Catalogue) -> dict[str, Any]:
    return catalogue_as_json(catalogue, fake_total)


def by_id(items: list[dict[str, Any]], item_id: str) -> dict[str, Any]:
    return next(item for item in items if item["id"] == item_id)


def test_shape(exported: dict[str, Any], catalogue: Catalogue) -> None:
    assert set(exported) == {"exercises", "routines"}
    assert [e["id"] for e in exported["exercises"]] == list(catalogue.exercises)
    assert [r["id"] for r in exported["routines"]] == list(catalogue.routines)
    for exercise in exported["exercises"]:
        assert set(exercise) == EXERCISE_KEYS
        assert exercise["category"] in {"release", "stretch", "strength"}
        assert exercise["sides"] in {"each", "both"}
        for variant in exercise["variants"]:
            assert set(variant) == VARIANT_KEYS
    for routine in exported["routines"]:
        assert set(routine) == ROUTINE_KEYS
        assert set(routine["exercise_ids_by_focus"]) == {"sole", "calf"}
        assert [e["exercise_id"] for e in routine["entries"]] == [
            e.exercise.id for e in catalogue.routine(routine["id"]).entries
        ]


def test_is_plain_json(exported: dict[str, Any]) -> None:
    assert json.loads(json.dumps(exported)) == exported


def test_top_level_figures_are_the_default_variant(exported: dict[str, Any]) -> None:
    calf = by_id(exported["exercises"], "calf-stretch")
    assert (calf["hold_s"], calf["sets"], calf["reps"], calf["duration_s"]) == (
        [30, 45],
        [3, 3],
        None,
        None,
    )
    assert calf["frequency"] == {"low": 2, "high": 3, "per": "day"}
    assert calf["sources"] == ["002_9aeb6e47313bb0f3.txt", "001_13e5ced50b626fc8.txt"]
    assert [v["hold_s"] for v in calf["variants"]] == [[30, 45], [30, 60]]
    assert calf["name"] == "calf stretch"
    assert calf["position"].startswith("Stand facing a wall")
    assert len(calf["steps"]) == 4


def test_missing_figures_are_null(exported: dict[str, Any]) -> None:
    friction = by_id(exported["exercises"], "cross-friction-massage")
    figures = ("hold_s", "duration_s", "reps", "sets", "frequency")
    assert [friction[k] for k in figures] == [None] * 5
    assert friction["is_massage"] is True and friction["focus"] == ["sole"]
    variant = friction["variants"][0]
    assert variant["rest_s"] is None and variant["frequency"] is None


def test_figures_we_chose_are_marked_ours(exported: dict[str, Any]) -> None:
    """A pace or rest the seeds do not give is exported as ours, with why; none claims a seed."""
    toe = by_id(exported["exercises"], "toe-raise")["variants"][0]
    assert toe["ours"] == ["rep_pace_s", "rest_s"]
    assert toe["rep_pace_s"]["source"] == "ours" and toe["rep_pace_s"]["why"]
    friction = by_id(exported["exercises"], "cross-friction-massage")["variants"][0]
    assert friction["ours"] == ["rep_pace_s"]
    strength = by_id(exported["routines"], "strength")
    assert all("rep_pace_s" in entry["ours"] for entry in strength["entries"][:-1])
    assert strength["entries"][-1]["ours"] == ["rest_s"]  # bouncing: seed durations, our rest


def test_equipment_names_alternatives_and_optional_items(exported: dict[str, Any]) -> None:
    sole = by_id(exported["exercises"], "sole-roll")["equipment"]
    assert sole == [
        {
            "any_of": ["small-roller", "massage-ball"],
            "names": ["a small foam roller", "a massage ball"],
            "optional": False,
            "source": "000_738e10310320b56a.txt",
        }
    ]
    quick = by_id(exported["routines"], "quick")["equipment_by_focus"]["sole"]
    assert [(e["any_of"], e["optional"]) for e in quick] == [
        (["small-roller", "massage-ball"], False),
        (["chair"], False),
    ]


def test_routines_use_injected_total(exported: dict[str, Any], catalogue: Catalogue) -> None:
    for routine in exported["routines"]:
        assert routine["total_s"] == 1000 + len(catalogue.routine(routine["id"]).entries)
    quick = by_id(exported["routines"], "quick")
    assert quick["exercise_ids"] == ["sole-roll", "plantar-fascia-stretch"]
    assert quick["name"] == "quick routine"


def test_exercise_ids_by_focus(exported: dict[str, Any]) -> None:
    full = by_id(exported["routines"], "full")
    sole, calf = full["exercise_ids_by_focus"]["sole"], full["exercise_ids_by_focus"]["calf"]
    assert "sole-roll" in full["exercise_ids"] and "calf-roll" in full["exercise_ids"]
    assert "sole-roll" in sole and "calf-roll" not in sole
    assert "calf-roll" in calf and "sole-roll" not in calf
    assert sole[1:] == calf[1:]


def test_unknown_locale(catalogue: Catalogue) -> None:
    with pytest.raises(KeyError, match="fr-FR"):
        catalogue_as_json(catalogue, fake_total, locale="fr-FR")
