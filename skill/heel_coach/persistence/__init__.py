"""Persistence: the store protocol, the embedded SQLite store (default), the DynamoDB store
(``HEELCOACH_STORE=dynamodb``, imported only when chosen) and the ask-sdk adapter."""

from __future__ import annotations

from heel_coach.persistence.adapter import StorePersistenceAdapter, user_id_key
from heel_coach.persistence.factory import create_store
from heel_coach.persistence.migrations import MIGRATIONS, Migration, migrate
from heel_coach.persistence.sqlite_store import SqliteStore
from heel_coach.persistence.store import HISTORY_DAYS, SessionRecord, StoreError, UserStore

__all__ = [
    "HISTORY_DAYS",
    "MIGRATIONS",
    "Migration",
    "SessionRecord",
    "SqliteStore",
    "StoreError",
    "StorePersistenceAdapter",
    "UserStore",
    "create_store",
    "migrate",
    "user_id_key",
]
