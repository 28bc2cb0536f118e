"""The exercise catalogue: seed-sourced exercises, routines and safety text, loaded from YAML."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from heel_coach.catalogue.model import (
    Catalogue,
    Category,
    Dose,
    Exercise,
    ExerciseText,
    Focus,
    Frequency,
    Range,
    Routine,
    RoutineEntry,
    RoutineText,
    SafetyText,
    Sides,
    Variant,
)

if TYPE_CHECKING:
    from heel_coach.catalogue.export import catalogue_as_json
    from heel_coach.catalogue.loader import SEED_FILES, default_content_root, load_catalogue

_LAZY = {
    "SEED_FILES": "loader",
    "default_content_root": "loader",
    "load_catalogue": "loader",
    "catalogue_as_json": "export",
}
"""Names imported on first use: the loader (with its validation) and the JSON export are not
needed where the catalogue comes ready-made (a Lambda package's content snapshot)."""


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "SEED_FILES",
    "Catalogue",
    "Category",
    "Dose",
    "Exercise",
    "ExerciseText",
    "Focus",
    "Frequency",
    "Range",
    "Routine",
    "RoutineEntry",
    "RoutineText",
    "SafetyText",
    "Sides",
    "Variant",
    "catalogue_as_json",
    "default_content_root",
    "load_catalogue",
]
