"""Persistence: the embedded SQLite store (default), its migrations and the ask-sdk adapter."""

from __future__ import annotations

from skill.persistence.adapter import SqlitePersistenceAdapter, user_id_key
from skill.persistence.migrations import MIGRATIONS, Migration, migrate
from skill.persistence.sqlite_store import SessionRecord, SqliteStore, StoreError

__all__ = [
    "MIGRATIONS",
    "Migration",
    "SessionRecord",
    "SqlitePersistenceAdapter",
    "SqliteStore",
    "StoreError",
    "migrate",
    "user_id_key",
]
