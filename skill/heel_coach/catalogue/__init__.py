"""The exercise catalogue: seed-sourced exercises, routines and safety text, loaded from YAML."""

from __future__ import annotations

from heel_coach.catalogue.export import catalogue_as_json
from heel_coach.catalogue.loader import SEED_FILES, default_content_root, load_catalogue
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
