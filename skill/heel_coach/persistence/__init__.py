"""Persistence: the embedded SQLite store (default), its migrations and the ask-sdk adapter."""

from __future__ import annotations

from heel_coach.persistence.adapter import SqlitePersistenceAdapter, user_id_key
from heel_coach.persistence.migrations import MIGRATIONS, Migration, migrate
from heel_coach.persistence.sqlite_store import SessionRecord, SqliteStore, StoreError

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
