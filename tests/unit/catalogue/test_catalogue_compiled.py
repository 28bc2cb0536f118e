"""compiled.json is a cache of the YAML, never a second source: the same catalogue comes out
with or without it, and an edited file is parsed again whatever compiled.json says."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from heel_coach.catalogue import _fields as fields
from heel_coach.catalogue import load_catalogue
from heel_coach.catalogue.compiled import compiled_path, write_compiled
from heel_coach.catalogue.loader import default_content_root
from heel_coach.errors import ContentError


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(default_content_root(), root)
    return root


def test_the_catalogue_is_the_same_with_and_without_the_compiled_copy(content: Path) -> None:
    with_copy = load_catalogue(content)
    compiled_path(content).unlink()
    assert load_catalogue(content) == with_copy


def test_start_up_reads_the_compiled_copy_without_importing_yaml() -> None:
    code = (
        "import sys; from heel_coach.catalogue import load_catalogue; "
        "from heel_coach.voice.prompts import load_prompts; load_catalogue(); load_prompts('en-US'); "
        "print('yaml' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert done.stdout.strip() == "False"


def test_an_edited_file_is_parsed_again(content: Path) -> None:
    names = content / "locales" / "en" / "routines.yaml"
    assert load_catalogue(content).routines["full"].text["en-US"].name == "full heel routine"
    text = names.read_text(encoding="utf-8")
    names.write_text(text.replace("name: full heel routine", "name: whole heel routine", 1), encoding="utf-8")
    assert load_catalogue(content).routines["full"].text["en-US"].name == "whole heel routine"


def test_a_stale_copy_never_hides_a_content_error(content: Path) -> None:
    path = content / "catalogue" / "routines.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\nroutines: {}\n", encoding="utf-8")
    with pytest.raises(ContentError, match="duplicate key"):
        load_catalogue(content)


def test_compile_reports_changes_once(content: Path) -> None:
    compiled_path(content).unlink()
    assert write_compiled(content) is True
    assert write_compiled(content) is False
    assert write_compiled(content, write=False) is False


def test_a_corrupt_copy_is_ignored(content: Path) -> None:
    compiled_path(content).write_text("{not json", encoding="utf-8")
    fields._compiled.clear()
    assert load_catalogue(content).routines
