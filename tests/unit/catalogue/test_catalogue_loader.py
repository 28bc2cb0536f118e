"""The loader rejects every kind of broken content with a ContentError naming file and field."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from heel_coach.catalogue import SEED_FILES, Catalogue, Focus, load_catalogue
from heel_coach.errors import ContentError

Edit = Callable[[str, Callable[[Any], Any]], Path]
Key = str | int

SOLE = "catalogue/exercises/sole-roll.yaml"
PFS = "catalogue/exercises/plantar-fascia-stretch.yaml"
ROUTINES = "catalogue/routines.yaml"
EX_TEXT = "locales/en/exercises.yaml"
RO_TEXT = "locales/en/routines.yaml"
SAFETY = "locales/en/safety.yaml"
EQUIPMENT = "locales/en/equipment.yaml"
TOE = "catalogue/exercises/toe-raise.yaml"
OUR_PACE = {"value": 3, "source": "ours", "why": "a test"}
OUR_REST = {"value": 30, "source": "ours", "why": "a test"}


def put(path: tuple[Key, ...], value: object) -> Callable[[Any], None]:
    def change(data: Any) -> None:
        for key in path[:-1]:
            data = data[key]
        data[path[-1]] = value

    return change


def drop(path: tuple[Key, ...]) -> Callable[[Any], None]:
    def change(data: Any) -> None:
        for key in path[:-1]:
            data = data[key]
        del data[path[-1]]

    return change


def dup_first_variant(data: Any) -> None:
    data["variants"][1]["id"] = data["variants"][0]["id"]


def dup_first_routine(data: Any) -> None:
    data["routines"][1]["id"] = data["routines"][0]["id"]


QUICK_ENTRY = ("routines", 4, "entries", 0)

CASES: list[tuple[str, str, Callable[[Any], Any], str]] = [
    # exercise files: keys and types
    ("unknown key", SOLE, put(("colour",), "red"), "colour"),
    ("missing key", SOLE, drop(("category",)), "category"),
    ("bad category", SOLE, put(("category",), "cardio"), "category"),
    ("bad sides", SOLE, put(("sides",), "left"), "sides"),
    ("massage flag not bool", SOLE, put(("is_massage",), "yes"), "is_massage"),
    ("unknown focus", SOLE, put(("focus",), ["heel"]), "focus[0]"),
    ("equipment not a list", SOLE, put(("equipment",), "roller"), "equipment"),
    ("bad id", SOLE, put(("id",), "Sole Roll"), "id"),
    ("id not file name", SOLE, put(("id",), "foot-roll"), "id"),
    ("no variants", SOLE, put(("variants",), []), "variants"),
    ("duplicate variant id", SOLE, dup_first_variant, "variants[1].id"),
    ("unknown variant key", SOLE, put(("variants", 0, "holds"), 3), "variants[0].holds"),
    ("variant without id", SOLE, drop(("variants", 1, "id")), "variants[1].id"),
    # ranges
    (
        "default above high",
        SOLE,
        put(("variants", 1, "duration_s", "default"), 200),
        "variants[1].duration_s.default",
    ),
    ("default below low", PFS, put(("variants", 2, "hold_s", "default"), 10), "variants[2].hold_s.default"),
    ("low above high", SOLE, put(("variants", 0, "duration_s", "low"), 150), "variants[0].duration_s.high"),
    ("zero", SOLE, put(("variants", 0, "sets", "low"), 0), "variants[0].sets.low"),
    ("negative", PFS, put(("variants", 1, "reps", "high"), -2), "variants[1].reps.high"),
    ("bool as number", SOLE, put(("variants", 0, "sets", "high"), True), "variants[0].sets.high"),
    (
        "text as number",
        SOLE,
        put(("variants", 0, "duration_s", "default"), "90"),
        "variants[0].duration_s.default",
    ),
    (
        "range missing default",
        SOLE,
        drop(("variants", 0, "duration_s", "default")),
        "variants[0].duration_s.default",
    ),
    ("range as a number", SOLE, put(("variants", 0, "duration_s"), 90), "variants[0].duration_s"),
    # figures the seeds do not give: marked ours, with why, plausible, only where they apply
    ("pace on held work", PFS, put(("variants", 0, "rep_pace_s"), OUR_PACE), "variants[0].rep_pace_s"),
    ("pace missing", TOE, drop(("variants", 0, "rep_pace_s")), "variants[0].rep_pace_s"),
    ("pace as a bare number", TOE, put(("variants", 0, "rep_pace_s"), 3), "variants[0].rep_pace_s"),
    (
        "pace not positive",
        TOE,
        put(("variants", 0, "rep_pace_s", "value"), 0),
        "variants[0].rep_pace_s.value",
    ),
    (
        "pace implausible",
        TOE,
        put(("variants", 0, "rep_pace_s", "value"), 300),
        "variants[0].rep_pace_s.value",
    ),
    ("ours without why", TOE, drop(("variants", 0, "rep_pace_s", "why")), "variants[0].rep_pace_s.why"),
    (
        "pace from a seed the variant does not cite",
        TOE,
        put(("variants", 0, "rep_pace_s", "source"), sorted(SEED_FILES)[0]),
        "variants[0].rep_pace_s.source",
    ),
    ("rest missing with sets", TOE, drop(("variants", 0, "rest_s")), "variants[0].rest_s"),
    ("rest with one set", SOLE, put(("variants", 0, "rest_s"), OUR_REST), "variants[0].rest_s"),
    ("rest implausible", TOE, put(("variants", 0, "rest_s", "value"), 2), "variants[0].rest_s.value"),
    # equipment
    ("bad limb", SOLE, put(("limb",), "hand"), "limb"),
    ("equipment without alternatives", SOLE, put(("equipment", 0, "any_of"), []), "equipment[0].any_of"),
    ("equipment bad id", SOLE, put(("equipment", 0, "any_of", 0), "Roller"), "equipment[0].any_of[0]"),
    ("equipment optional not bool", SOLE, put(("equipment", 0, "optional"), "no"), "equipment[0].optional"),
    ("equipment unknown source", SOLE, put(("equipment", 0, "source"), "shop.txt"), "equipment[0].source"),
    (
        "equipment ours without why",
        SOLE,
        put(("equipment", 0, "source"), "ours"),
        "equipment[0].why",
    ),
    (
        "frequency per month",
        SOLE,
        put(("variants", 0, "frequency", "per"), "month"),
        "variants[0].frequency.per",
    ),
    (
        "frequency low above high",
        SOLE,
        put(("variants", 0, "frequency", "low"), 9),
        "variants[0].frequency.high",
    ),
    (
        "bad progression id",
        "catalogue/exercises/toe-raise.yaml",
        put(("variants", 0, "progression"), ["Single Leg"]),
        "variants[0].progression[0]",
    ),
    # sources
    ("unknown source", SOLE, put(("variants", 0, "sources"), ["blog.txt"]), "variants[0].sources[0]"),
    ("no sources", SOLE, put(("variants", 1, "sources"), []), "variants[1].sources"),
    (
        "duplicate source",
        SOLE,
        put(("variants", 0, "sources"), [sorted(SEED_FILES)[0]] * 2),
        "variants[0].sources[1]",
    ),
    # routines
    ("routines not a list", ROUTINES, put(("routines",), {}), "routines"),
    ("unknown routine key", ROUTINES, put(("routines", 0, "name"), "x"), "routines[0].name"),
    ("duplicate routine id", ROUTINES, dup_first_routine, "routines[1].id"),
    ("empty routine", ROUTINES, put(("routines", 0, "entries"), []), "routines[0].entries"),
    (
        "unknown exercise",
        ROUTINES,
        put(("routines", 0, "entries", 2, "exercise"), "yoga"),
        "routines[0].entries[2].exercise",
    ),
    (
        "unknown variant",
        ROUTINES,
        put(("routines", 1, "entries", 1, "variant"), "ten-by-ten"),
        "routines[1].entries[1].variant",
    ),
    (
        "override above range",
        ROUTINES,
        put((*QUICK_ENTRY, "dose", "duration_s"), 121),
        "routines[4].entries[0].dose.duration_s",
    ),
    (
        "override below range",
        ROUTINES,
        put((*QUICK_ENTRY, "dose", "duration_s"), 59),
        "routines[4].entries[0].dose.duration_s",
    ),
    (
        "override of missing range",
        ROUTINES,
        put((*QUICK_ENTRY, "dose", "hold_s"), 30),
        "routines[4].entries[0].dose.hold_s",
    ),
    (
        "override sets outside",
        ROUTINES,
        put((*QUICK_ENTRY, "dose", "sets"), 2),
        "routines[4].entries[0].dose.sets",
    ),
    (
        "unknown dose key",
        ROUTINES,
        put((*QUICK_ENTRY, "dose", "minutes"), 1),
        "routines[4].entries[0].dose.minutes",
    ),
    (
        "override outside other variant",
        ROUTINES,
        put(("routines", 4, "entries", 1, "dose", "hold_s"), 20),
        "routines[4].entries[1].dose.hold_s",
    ),
    (
        "focus excluded by exercise",
        ROUTINES,
        put(("routines", 0, "entries", 0, "focus"), "calf"),
        "routines[0].entries[0].focus",
    ),
    (
        "unknown focus",
        ROUTINES,
        put(("routines", 0, "entries", 0, "focus"), "heel"),
        "routines[0].entries[0].focus",
    ),
    ("safety without massage warning", SAFETY, drop(("massage_warning",)), "massage_warning"),
    (
        "safety pain rule from no seed",
        SAFETY,
        put(("pain", 0, "sources"), ["blog.txt"]),
        "pain[0].sources[0]",
    ),
    ("safety without pain rules", SAFETY, put(("pain",), []), "pain"),
    ("safety blank warning", SAFETY, put(("massage_warning", "text"), " "), "massage_warning.text"),
    # locale text
    ("missing exercise text", EX_TEXT, drop(("sole-roll",)), "sole-roll"),
    ("text for unknown exercise", EX_TEXT, put(("ghost",), {"name": "x"}), "ghost"),
    ("empty steps", EX_TEXT, put(("sole-roll", "steps"), []), "sole-roll.steps"),
    ("blank step", EX_TEXT, put(("calf-roll", "steps", 1), " "), "calf-roll.steps[1]"),
    ("missing name", EX_TEXT, drop(("towel-crunch", "name")), "towel-crunch.name"),
    ("unknown text key", EX_TEXT, put(("towel-crunch", "reps"), 3), "towel-crunch.reps"),
    (
        "note for unknown variant",
        EX_TEXT,
        put(("sole-roll", "variant_notes", "nope"), "x"),
        "sole-roll.variant_notes.nope",
    ),
    ("missing short form", EX_TEXT, drop(("sole-roll", "short")), "sole-roll.short"),
    ("missing purpose", EX_TEXT, drop(("sole-roll", "purpose")), "sole-roll.purpose"),
    (
        "purpose without sources",
        EX_TEXT,
        put(("sole-roll", "purpose", "sources"), []),
        "sole-roll.purpose.sources",
    ),
    (
        "purpose cites a seed the exercise does not come from",
        EX_TEXT,
        put(("sole-roll", "purpose", "sources"), ["003_cd692bcb83d014fc.txt"]),
        "sole-roll.purpose.sources[0]",
    ),
    ("equipment without a name", EQUIPMENT, drop(("wall",)), "wall"),
    ("name for unused equipment", EQUIPMENT, put(("rolling-pin",), "a rolling pin"), "rolling-pin"),
    ("blank equipment name", EQUIPMENT, put(("chair",), " "), "chair"),
    ("synonyms not a list", EX_TEXT, put(("sole-roll", "synonyms"), "roll"), "sole-roll.synonyms"),
    ("missing routine text", RO_TEXT, drop(("quick",)), "quick"),
    ("routine without description", RO_TEXT, drop(("full", "description")), "full.description"),
    ("safety unknown source", SAFETY, put(("sources",), ["rumour.txt"]), "sources[0]"),
    ("safety without red flags", SAFETY, drop(("red_flags",)), "red_flags"),
    (
        "safety empty contraindications",
        SAFETY,
        put(("massage_contraindications",), []),
        "massage_contraindications",
    ),
    ("safety blank disclaimer", SAFETY, put(("disclaimer",), ""), "disclaimer"),
]


@pytest.mark.parametrize(
    ("file", "change", "field"),
    [pytest.param(file, change, field, id=name) for name, file, change, field in CASES],
)
def test_bad_content_names_file_and_field(
    edit: Edit, file: str, change: Callable[[Any], Any], field: str
) -> None:
    root = edit(file, change)
    with pytest.raises(ContentError) as caught:
        load_catalogue(root)
    assert (caught.value.file, caught.value.field) == (file, field), caught.value


def expect(root: Path, file: str, field: str) -> ContentError:
    with pytest.raises(ContentError) as caught:
        load_catalogue(root)
    assert (caught.value.file, caught.value.field) == (file, field), caught.value
    return caught.value


def test_unmodified_copy_loads(content: Path, catalogue: Catalogue) -> None:
    copy = load_catalogue(content)
    assert copy == catalogue


def test_duplicate_yaml_key_is_rejected(content: Path) -> None:
    path = content / SOLE
    path.write_text(path.read_text() + "category: stretch\n")
    error = expect(content, SOLE, "category")
    assert "duplicate" in error.problem


def test_duplicate_nested_yaml_key_is_rejected(content: Path) -> None:
    path = content / EX_TEXT
    text = path.read_text().replace("  name: sole roll\n", "  name: sole roll\n  name: roll\n")
    path.write_text(text)
    expect(content, EX_TEXT, "sole-roll.name")


def test_invalid_yaml_names_the_line(content: Path) -> None:
    (content / ROUTINES).write_text("routines:\n  - id: [unclosed\n")
    error = expect(content, ROUTINES, "line 3")
    assert "YAML" in error.problem


@pytest.mark.parametrize("file", [ROUTINES, EX_TEXT, RO_TEXT, SAFETY])
def test_missing_file(content: Path, file: str) -> None:
    (content / file).unlink()
    expect(content, file, "<root>")


def test_copied_exercise_file_is_a_duplicate(content: Path) -> None:
    shutil.copy(content / SOLE, content / "catalogue/exercises/sole-roll-copy.yaml")
    expect(content, "catalogue/exercises/sole-roll-copy.yaml", "id")


def test_stray_file_in_exercises(content: Path) -> None:
    (content / "catalogue/exercises/notes.txt").write_text("todo")
    expect(content, "catalogue/exercises/notes.txt", "<root>")


def test_every_locale_must_be_complete(content: Path) -> None:
    (content / "locales/locales.yaml").write_text("locales: [en-US, fr-FR]\n")
    (content / "locales/fr").mkdir()
    shutil.copy(content / EX_TEXT, content / "locales/fr/exercises.yaml")
    expect(content, "locales/fr/routines.yaml", "<root>")


def test_a_locale_without_its_own_files_speaks_its_languages_source(content: Path) -> None:
    (content / "locales/locales.yaml").write_text("locales: [en-US, en-GB]\n")
    (content / "locales/en-GB").mkdir()
    (content / "locales/en-GB/routines.yaml").write_text("quick:\n  name: quick programme\n")
    loaded = load_catalogue(content)
    assert loaded.locales == ("en-US", "en-GB")
    assert set(loaded.safety) == {"en-GB", "en-US"}
    assert all(set(e.text) == {"en-GB", "en-US"} for e in loaded.exercises.values())
    assert loaded.routines["quick"].text["en-GB"].name == "quick programme"
    assert loaded.routines["quick"].text["en-US"].name == "quick routine"
    assert loaded.routines["full"].text["en-GB"] == loaded.routines["full"].text["en-US"]
    assert "tumours" in " ".join(loaded.safety["en-GB"].massage_contraindications)
    assert "tumors" in " ".join(loaded.safety["en-US"].massage_contraindications)


def test_an_override_of_an_unknown_exercise_names_the_override_file(content: Path) -> None:
    (content / "locales/en-US/exercises.yaml").write_text("sole-rol:\n  name: sole roll\n")
    expect(content, "locales/en-US/exercises.yaml", "sole-rol")


def test_error_message_names_file_and_field(edit: Edit) -> None:
    root = edit(SOLE, put(("variants", 1, "duration_s", "default"), 200))
    error = expect(root, SOLE, "variants[1].duration_s.default")
    assert str(error).startswith(f"{SOLE}: variants[1].duration_s.default: ")
    assert "60..120" in error.problem


def test_default_root_is_the_package_content(catalogue: Catalogue) -> None:
    assert catalogue.locales == ("en-US", "en-GB", "en-CA", "en-AU", "en-IN", "de-DE")
    assert "sole-roll" in catalogue.exercises


def test_dose_defaults_and_overrides(catalogue: Catalogue) -> None:
    quick = catalogue.routine("quick")
    roll, stretch = quick.entries
    assert (roll.dose.duration_s, roll.dose.sets, roll.dose.hold_s) == (60, 1, None)
    assert stretch.variant.id == "two-holds"
    assert (stretch.dose.hold_s, stretch.dose.reps, stretch.dose.sets) == (30, 2, 1)
    full = catalogue.routine("full")
    calf = next(e for e in full.entries if e.exercise.id == "calf-stretch")
    assert calf.variant.id == "wall"
    assert (calf.dose.hold_s, calf.dose.reps, calf.dose.sets) == (30, None, 3)


def test_routine_entries_share_the_exercise_with_text(catalogue: Catalogue) -> None:
    for routine in catalogue.routines.values():
        for entry in routine.entries:
            assert entry.exercise is catalogue.exercise(entry.exercise.id)
            assert "en-US" in entry.exercise.text


def test_focus_tags_are_kept(catalogue: Catalogue) -> None:
    full = catalogue.routine("full")
    focus = {e.exercise.id: e.focus for e in full.entries}
    assert focus["sole-roll"] is Focus.SOLE
    assert focus["calf-roll"] is Focus.CALF
    assert focus["calf-stretch"] is None
