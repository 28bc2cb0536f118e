"""A locale's words are its language's source overlaid with its own overrides (docs/localisation.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from heel_coach.catalogue._fields import At
from heel_coach.catalogue.locale_files import load_manifest, overlay, read_locale_file, respell
from heel_coach.errors import ContentError
from heel_coach.locales import babel_name, chain, choose, language_of

SUPPORTED = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN", "de-DE")


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_locale_reads_its_overrides_then_its_language() -> None:
    assert chain("en-GB") == ("en-GB", "en")
    assert chain("de-DE") == ("de-DE", "de")
    assert chain("en") == ("en",)
    assert language_of("de-DE") == "de"
    assert babel_name("en-IN") == "en_IN"


@pytest.mark.parametrize(
    ("requested", "answered"),
    [
        ("en-GB", "en-GB"),
        ("en_gb", "en-GB"),
        ("de-DE", "de-DE"),
        ("de-AT", "de-DE"),
        ("en-NZ", "en-US"),
        ("fr-FR", "en-US"),
        ("ja-JP", "en-US"),
        ("", "en-US"),
        (None, "en-US"),
    ],
)
def test_an_unsupported_locale_gets_its_language_or_the_default_never_an_error(
    requested: str | None, answered: str
) -> None:
    assert choose(requested, SUPPORTED) == answered


def test_an_override_replaces_one_field_and_keeps_the_rest(tmp_path: Path) -> None:
    write(tmp_path, "locales/en/routines.yaml", "quick:\n  name: quick routine\n  synonyms: [short]\n")
    write(tmp_path, "locales/en-GB/routines.yaml", "quick:\n  name: quick programme\n")
    data, at = read_locale_file(tmp_path, "en-GB", "routines.yaml")
    assert data == {"quick": {"name": "quick programme", "synonyms": ["short"]}}
    assert at.file == "locales/en-GB/routines.yaml"
    data, at = read_locale_file(tmp_path, "en-US", "routines.yaml")
    assert data == {"quick": {"name": "quick routine", "synonyms": ["short"]}}
    assert at.file == "locales/en/routines.yaml"


def test_an_override_of_something_the_source_lacks_is_a_typo() -> None:
    with pytest.raises(ContentError, match="cannot be overridden") as err:
        overlay({"quick": {"name": "x"}}, {"quick": {"nmae": "y"}}, At("locales/en-GB/routines.yaml"))
    assert err.value.field == "quick.nmae"


def test_spelling_swaps_whole_words_keeping_capitals(tmp_path: Path) -> None:
    write(tmp_path, "locales/en/safety.yaml", "items: [tumours on your legs, Tumours, tumoursome]\n")
    write(tmp_path, "locales/en-US/spelling.yaml", "tumours: tumors\n")
    data, _ = read_locale_file(tmp_path, "en-US", "safety.yaml")
    assert data == {"items": ["tumors on your legs", "Tumors", "tumoursome"]}
    british, _ = read_locale_file(tmp_path, "en-GB", "safety.yaml")
    assert british == {"items": ["tumours on your legs", "Tumours", "tumoursome"]}
    assert respell({"tumours": "tumours"}, {"tumours": "tumors"}) == {"tumours": "tumors"}


def test_the_manifest_needs_a_source_folder_per_language(tmp_path: Path) -> None:
    write(tmp_path, "locales/locales.yaml", "locales: [en-US, de-DE]\n")
    write(tmp_path, "locales/en/prompts.yaml", "a: b\n")
    with pytest.raises(ContentError, match="no source folder locales/de"):
        load_manifest(tmp_path)
    write(tmp_path, "locales/de/prompts.yaml", "a: b\n")
    assert load_manifest(tmp_path).default == "en-US"
