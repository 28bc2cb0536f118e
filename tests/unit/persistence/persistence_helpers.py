"""Test helpers for the persistence tests (a uniquely named module, unlike conftest)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


def raw_rows(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Look at the file with an independent connection, bypassing the store."""
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


def raw_exec(path: Path, sql: str, params: tuple[object, ...] = ()) -> None:
    """Change the file behind the store's back (to plant corrupt rows, triggers, ...)."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute(sql, params)
