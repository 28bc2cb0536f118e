"""Migrations: ordered, idempotent, one transaction each, and upgrades keep existing data."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from heel_coach.errors import StorageError
from heel_coach.persistence.migrations import (
    MIGRATIONS,
    Migration,
    StoreError,
    applied_migrations,
    migrate,
    split_statements,
)
from heel_coach.persistence.sqlite_store import SqliteStore
from heel_coach.persistence.store import FinishedRoutine
from tests.unit.persistence.persistence_helpers import raw_rows

NAMES = [m.name for m in MIGRATIONS]


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(tmp_path / "m.sqlite3", isolation_level=None)) as c:
        yield c


def tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_fresh_database_gets_every_migration_in_order(conn: sqlite3.Connection) -> None:
    assert migrate(conn) == NAMES
    assert NAMES[:2] == ["0001_users", "0002_sessions"]
    assert {"users", "sessions", "schema_migrations"} <= tables(conn)
    ledger = conn.execute("SELECT name, applied_at FROM schema_migrations ORDER BY name").fetchall()
    assert [r[0] for r in ledger] == NAMES
    assert all(datetime.fromisoformat(r[1]).tzinfo is not None for r in ledger)
    index = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sessions'"
    ).fetchall()
    assert ("sessions_user_date",) in index
    cols = [r[2] for r in conn.execute("PRAGMA index_info(sessions_user_date)")]
    assert cols == ["user_id", "local_date"]


def test_migrate_is_idempotent(conn: sqlite3.Connection) -> None:
    migrate(conn)
    assert migrate(conn) == []
    assert migrate(conn) == []
    assert conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone() == (len(NAMES),)
    assert not conn.in_transaction


def test_failing_migration_rolls_back_and_keeps_earlier_ones(conn: sqlite3.Connection) -> None:
    bad = Migration(
        "0003_bad",
        "CREATE TABLE half_done (a INTEGER); INSERT INTO no_such_table VALUES (1);",
    )
    with pytest.raises(StoreError) as info:
        migrate(conn, [*MIGRATIONS, bad])
    assert "0003_bad" in str(info.value)
    assert isinstance(info.value, StorageError)
    assert info.value.reason == "error"
    assert "half_done" not in tables(conn)
    assert applied_migrations(conn) == set(NAMES)
    assert not conn.in_transaction
    # Fixing the migration later applies it normally.
    good = Migration("0003_bad", "CREATE TABLE half_done (a INTEGER);")
    assert migrate(conn, [*MIGRATIONS, good]) == ["0003_bad"]


def test_failing_callable_migration_rolls_back(conn: sqlite3.Connection) -> None:
    def explode(c: sqlite3.Connection) -> None:
        c.execute("CREATE TABLE partial (a INTEGER)")
        raise RuntimeError("boom")

    with pytest.raises(StoreError, match="0009_explode") as info:
        migrate(conn, [*MIGRATIONS, Migration("0009_explode", explode)])
    assert isinstance(info.value.__cause__, RuntimeError)
    assert "partial" not in tables(conn)
    assert applied_migrations(conn) == set(NAMES)


def test_callable_migration_runs_inside_the_transaction(conn: sqlite3.Connection) -> None:
    seen: list[bool] = []

    def step(c: sqlite3.Connection) -> None:
        seen.append(c.in_transaction)
        c.execute("ALTER TABLE users ADD COLUMN locale TEXT")

    assert migrate(conn, [*MIGRATIONS, Migration("0003_locale", step)])[-1] == "0003_locale"
    assert seen == [True]
    assert "locale" in [r[1] for r in conn.execute("PRAGMA table_info(users)")]


def test_upgrade_from_0001_keeps_user_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with closing(sqlite3.connect(path, isolation_level=None)) as old:
        assert migrate(old, MIGRATIONS[:1]) == ["0001_users"]
        old.execute(
            "INSERT INTO users VALUES (?, ?, ?)",
            ("amzn1.ask.account.OLD", '{"streak":4,"tz":"Europe/Berlin"}', "2024-01-01T00:00:00"),
        )
        assert "sessions" not in tables(old)

    store = SqliteStore(path)
    try:
        assert store.get_attributes("amzn1.ask.account.OLD") == {"streak": 4, "tz": "Europe/Berlin"}
        finished = datetime(2024, 1, 2, 7, 30, tzinfo=UTC)
        routine = FinishedRoutine("morning", finished.date(), finished, 300, ["towel-stretch"], [])
        store.record_session("amzn1.ask.account.OLD", routine)
        assert len(store.list_sessions("amzn1.ask.account.OLD")) == 1
    finally:
        store.close()
    assert [r[0] for r in raw_rows(path, "SELECT name FROM schema_migrations ORDER BY name")] == (NAMES)


def test_migrate_refuses_a_connection_in_a_transaction(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN")
    with pytest.raises(ValueError):
        migrate(conn)
    conn.execute("ROLLBACK")


def test_migrate_refuses_a_non_autocommit_connection(tmp_path: Path) -> None:
    with closing(sqlite3.connect(tmp_path / "x.sqlite3")) as c, pytest.raises(ValueError):
        migrate(c)


def test_duplicate_names_are_rejected(conn: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="duplicate"):
        migrate(conn, [MIGRATIONS[0], MIGRATIONS[0]])


def test_split_statements_respects_quotes_and_comments() -> None:
    sql = "CREATE TABLE a (x TEXT DEFAULT ';'); /* a; comment */ INSERT INTO a VALUES ('b;c');;"
    assert split_statements(sql) == [
        "CREATE TABLE a (x TEXT DEFAULT ';');",
        "/* a; comment */ INSERT INTO a VALUES ('b;c');",
    ]
    with pytest.raises(ValueError):
        split_statements("CREATE TABLE a (x TEXT DEFAULT ';)")
