"""HEELCOACH_STORE picks the store; the DynamoDB settings reach it unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from heel_coach.persistence.factory import create_store
from heel_coach.persistence.sqlite_store import SqliteStore
from heel_coach.settings import Settings, SettingsError


def test_sqlite_is_the_default_and_uses_the_db_path(tmp_path: Path) -> None:
    store = create_store(Settings.from_env({"HEELCOACH_DB_PATH": str(tmp_path / "x.sqlite3")}))
    assert isinstance(store, SqliteStore) and store.path == tmp_path / "x.sqlite3"


def test_dynamodb_settings_reach_the_store() -> None:
    from heel_coach.persistence.dynamodb_store import DynamoStore

    store = create_store(
        Settings.from_env(
            {
                "HEELCOACH_STORE": "dynamodb",
                "HEELCOACH_DYNAMODB_TABLE": "t-users",
                "HEELCOACH_DYNAMODB_HISTORY_TABLE": "t-history",
                "HEELCOACH_DYNAMODB_ENDPOINT": "http://127.0.0.1:8000",
                "HEELCOACH_DYNAMODB_REGION": "eu-central-1",
                "HEELCOACH_DYNAMODB_TIMEOUT_S": "0.5",
            }
        )
    )
    assert isinstance(store, DynamoStore)
    assert (store.users_table, store.history_table) == ("t-users", "t-history")
    assert (store.endpoint_url, store.region, store.timeout_s) == (
        "http://127.0.0.1:8000",
        "eu-central-1",
        0.5,
    )


def test_an_unknown_store_is_a_settings_error() -> None:
    with pytest.raises(SettingsError, match="HEELCOACH_STORE"):
        Settings.from_env({"HEELCOACH_STORE": "mysql"})
