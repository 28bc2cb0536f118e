"""Shared fixtures: a real SQLite file per test, always closed so no connection leaks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from heel_coach.persistence.sqlite_store import SqliteStore


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "var" / "heelcoach.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[SqliteStore]:
    s = SqliteStore(db_path)
    try:
        yield s
    finally:
        s.close()
