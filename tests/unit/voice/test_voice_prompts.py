"""Prompts: a locale's chain of files, plural forms chosen by CLDR, refused when malformed."""

from __future__ import annotations

from pathlib import Path

import pytest

from heel_coach.errors import ContentError
from heel_coach.voice.prompts import load_prompts


def locales(tmp_path: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = tmp_path / "locales" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "locales"


PLURALS = """
left:
  one: "one exercise"
  other: "{count} exercises"
times:
  "=0": "none yet"
  one: "once"
  "=2": "twice"
  other: "{count} times"
"""


def test_plural_forms_follow_the_count_in_words(tmp_path: Path) -> None:
    root = locales(tmp_path, {"en/prompts.yaml": PLURALS})
    prompts = load_prompts("en-US", root)
    assert [prompts.get("left", count=n) for n in (1, 2, 21)] == [
        "one exercise",
        "two exercises",
        "twenty-one exercises",
    ]
    assert [prompts.get("times", count=n) for n in (0, 1, 2, 3)] == [
        "none yet",
        "once",
        "twice",
        "three times",
    ]
    assert prompts.placeholders("left") == {"count"}
    with pytest.raises(TypeError, match="pass count as an int"):
        prompts.get("left", count="two")


def test_german_plurals_use_german_words(tmp_path: Path) -> None:
    german = 'left:\n  one: "eine Übung"\n  other: "{count} Übungen"\n'
    root = locales(tmp_path, {"de/prompts.yaml": german})
    prompts = load_prompts("de-DE", root)
    assert [prompts.get("left", count=n) for n in (1, 3, 21)] == [
        "eine Übung",
        "drei Übungen",
        "einundzwanzig Übungen",
    ]


def test_a_locale_overrides_its_languages_prompts_and_respells(tmp_path: Path) -> None:
    root = locales(
        tmp_path,
        {
            "en/prompts.yaml": 'a: "Take a break."\nb: "No tumours."\n',
            "en-GB/prompts.yaml": 'a: "Have a break."\n',
            "en-US/spelling.yaml": "tumours: tumors\n",
        },
    )
    assert load_prompts("en-GB", root).strings == {"a": "Have a break.", "b": "No tumours."}
    assert load_prompts("en-US", root).strings == {"a": "Take a break.", "b": "No tumors."}
    assert load_prompts("en-IN", root).strings == {"a": "Take a break.", "b": "No tumours."}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('x:\n  one: "a"\n', "with other"),
        ('x:\n  several: "a"\n  other: "{count} b"\n', "CLDR categories"),
        ('x:\n  one: "a"\n  other: "b"\n', "must say {count}"),
        ('x: "{unclosed"\n', "bad placeholder"),
        ("x: ''\n", "non-empty"),
    ],
)
def test_malformed_prompts_are_refused(tmp_path: Path, text: str, problem: str) -> None:
    root = locales(tmp_path, {"en/prompts.yaml": text})
    with pytest.raises(ContentError, match=problem):
        load_prompts("en-US", root)


def test_an_override_of_an_unknown_key_is_a_typo(tmp_path: Path) -> None:
    root = locales(tmp_path, {"en/prompts.yaml": 'a: "x"\n', "en-AU/prompts.yaml": 'b: "y"\n'})
    with pytest.raises(ContentError, match="cannot be overridden") as err:
        load_prompts("en-AU", root)
    assert err.value.file == "locales/en-AU/prompts.yaml"


def test_select_forms_follow_a_parameter_as_german_genders_need(tmp_path: Path) -> None:
    german = 'side:\n  select: side\n  left: "Linkes Bein."\n  right: "Rechtes Bein."\n'
    prompts = load_prompts("de-DE", locales(tmp_path, {"de/prompts.yaml": german}))
    assert prompts.get("side", side="left") == "Linkes Bein."
    assert prompts.get("side", side="right") == "Rechtes Bein."
    assert prompts.placeholders("side") == {"side"}
    assert not prompts.is_plural("side")
    with pytest.raises(KeyError, match="no form for side='up'"):
        prompts.get("side", side="up")
