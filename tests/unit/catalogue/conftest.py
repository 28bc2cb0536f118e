"""Shared fixtures: the real catalogue, and a writable copy of the content to break on purpose."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from heel_coach.catalogue import Catalogue, default_content_root, load_catalogue

Edit = Callable[[str, Callable[[Any], Any]], Path]


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A private copy of the shipped content, so a test can mutate one file."""
    root = tmp_path / "content"
    shutil.copytree(default_content_root(), root)
    return root


@pytest.fixture
def edit(content: Path) -> Edit:
    """Load one YAML file of the copy, pass it to ``change`` (which mutates or returns), save it."""

    def apply(relative: str, change: Callable[[Any], Any]) -> Path:
        path = content / relative
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        result = change(data)
        data = data if result is None else result
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return content

    return apply
