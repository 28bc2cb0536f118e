"""Failure modes become StoreError with a reason the voice layer can turn into speech."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest

from heel_coach.errors import StorageError
from heel_coach.persistence.sqlite_store import SqliteStore, StoreError

USER = "amzn1.ask.account.TEST"


@pytest.fixture
def quick(db_path: Path) -> Iterator[SqliteStore]:
    """A store that gives up on a held lock almost at once."""
    s = SqliteStore(db_path, busy_timeout_ms=50)
    try:
        yield s
    finally:
        s.close()


def test_store_error_is_a_storage_error() -> None:
    err = StoreError("full", "x")
    assert isinstance(err, StorageError)
    assert err.reason == "full"
    with pytest.raises(ValueError):
        StoreError("weird", "x")


def test_write_while_another_connection_holds_the_lock(quick: SqliteStore, db_path: Path) -> None:
    quick.save_attributes(USER, {"v": 1})
    with closing(sqlite3.connect(db_path, isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        other.execute("UPDATE users SET attributes = '{\"v\":99}'")
        with pytest.raises(StoreError) as info:
            quick.save_attributes(USER, {"v": 2})
        assert info.value.reason == "locked"
        with pytest.raises(StoreError) as upd:
            quick.update_attributes(USER, lambda a: {"v": 3})
        assert upd.value.reason == "locked"
        assert quick.health() is True  # WAL: readers are not blocked by the writer ...
        assert quick.get_attributes(USER) == {"v": 1}  # ... and see the last commit
        other.execute("ROLLBACK")
    quick.save_attributes(USER, {"v": 2})
    assert quick.get_attributes(USER) == {"v": 2}


def test_first_open_while_locked_fails_cleanly_then_recovers(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with closing(sqlite3.connect(db_path, isolation_level=None)) as other:
        other.execute("PRAGMA journal_mode = WAL")
        other.execute("BEGIN EXCLUSIVE")
        other.execute("CREATE TABLE unrelated (x)")
        store = SqliteStore(db_path, busy_timeout_ms=50)
        try:
            with pytest.raises(StoreError) as info:
                store.open()
            assert info.value.reason == "locked"
            other.execute("COMMIT")
            assert store.get_attributes(USER) == {}  # migrations run on the retry
        finally:
            store.close()


def test_disk_full_keeps_previous_value(store: SqliteStore) -> None:
    store.save_attributes(USER, {"note": "small"})
    conn = store._connection()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError) as info:
        store.save_attributes(USER, {"note": "x" * 200_000})
    assert info.value.reason == "full"
    assert not conn.in_transaction
    assert store.get_attributes(USER) == {"note": "small"}
    with pytest.raises(StoreError) as upd:
        store.update_attributes(USER, lambda a: {"note": "y" * 200_000})
    assert upd.value.reason == "full"
    assert store.get_attributes(USER) == {"note": "small"}


def test_parent_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory")
    store = SqliteStore(blocker / "db.sqlite3")
    try:
        with pytest.raises(StoreError) as info:
            store.get_attributes(USER)
        assert info.value.reason == "unavailable"
        assert str(blocker) in str(info.value)
        assert store.health() is False
    finally:
        store.close()


def test_path_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "dir.sqlite3").mkdir()
    store = SqliteStore(tmp_path / "dir.sqlite3")
    try:
        with pytest.raises(StoreError) as info:
            store.save_attributes(USER, {})
        assert info.value.reason == "unavailable"
    finally:
        store.close()


@pytest.mark.parametrize(
    "blocked",
    [
        lambda tmp: tmp / "file" / "sub" / "deeper" / "db.sqlite3",  # a regular file where a folder goes
        lambda tmp: tmp / ("n" * 300) / "db.sqlite3",  # a folder name over NAME_MAX (255)
    ],
    ids=["file-in-the-way", "name-too-long"],
)
def test_the_database_folder_cannot_be_created(tmp_path: Path, blocked: Callable[[Path], Path]) -> None:
    """Provoked in ways root cannot bypass (permissions would not stop root), so this runs in CI."""
    (tmp_path / "file").write_text("a regular file, not a folder")
    path = blocked(tmp_path)
    store = SqliteStore(path)
    try:
        with pytest.raises(StoreError) as info:
            store.open()
        assert info.value.reason == "unavailable"
        assert f"creating directory for {path}" in str(info.value)
        assert isinstance(info.value.__cause__, OSError)
        assert store.health() is False
    finally:
        store.close()
    assert [p.name for p in tmp_path.iterdir()] == ["file"]  # nothing half-made


def test_read_only_database_file(store: SqliteStore, db_path: Path) -> None:
    """A file opened read-only (e.g. a read-only mount) refuses writes as 'unavailable'."""
    store.save_attributes(USER, {"v": 1})
    store.close()
    ro = SqliteStore(db_path)
    # Simulate a read-only medium for this connection, which works even as root.
    ro._connection().execute("PRAGMA query_only = ON")
    try:
        assert ro.get_attributes(USER) == {"v": 1}
        with pytest.raises(StoreError) as info:
            ro.save_attributes(USER, {"v": 2})
        assert info.value.reason == "unavailable"
    finally:
        ro.close()


def test_garbage_file_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"this is definitely not an sqlite database" * 100)
    store = SqliteStore(path)
    try:
        with pytest.raises(StoreError) as info:
            store.get_attributes(USER)
        assert info.value.reason == "corrupt"
        assert store.health() is False
    finally:
        store.close()
