"""SqliteStore behaviour on real SQLite files: round-trips, UPSERT, deletes, sessions, threads."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from heel_coach.persistence.sqlite_store import SessionRecord, SqliteStore, StoreError
from heel_coach.persistence.store import FinishedRoutine
from tests.stores import increment_concurrently
from tests.unit.persistence.persistence_helpers import raw_exec, raw_rows

USER = "amzn1.ask.account.TEST"
OTHER = "amzn1.ask.account.OTHER"
FINISHED = datetime(2024, 3, 5, 6, 45, 12, 345678, tzinfo=UTC)


def finished(**over: Any) -> FinishedRoutine:
    kwargs: dict[str, Any] = {
        "routine_id": "morning",
        "local_date": date(2024, 3, 5),
        "finished_at": FINISHED,
        "duration_s": 420,
        "exercises_done": ["towel-stretch", "calf-raise"],
        "exercises_skipped": ["marble-pickup"],
        "mode": "step",
    }
    kwargs.update(over)
    return FinishedRoutine(**kwargs)


def test_construction_touches_nothing(tmp_path: Path) -> None:
    path = tmp_path / "not-yet" / "db.sqlite3"
    store = SqliteStore(path, busy_timeout_ms=10)
    assert not path.parent.exists()
    store.close()  # closing an unopened store is fine
    assert not path.parent.exists()


def test_first_use_creates_directory_and_wal_database(store: SqliteStore, db_path: Path) -> None:
    store.open()
    assert db_path.exists()
    assert raw_rows(db_path, "PRAGMA journal_mode") == [("wal",)]
    conn = store._connection()
    assert conn.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert conn.execute("PRAGMA busy_timeout").fetchone() == (1000,)


def test_attributes_round_trip(store: SqliteStore) -> None:
    assert store.get_attributes(USER) == {}
    attrs = {"streak": 3, "routine": {"id": "morning", "step": 2}, "name": "Zoë", "ok": True}
    store.save_attributes(USER, attrs)
    assert store.get_attributes(USER) == attrs
    assert store.get_attributes(OTHER) == {}


def test_saved_json_is_canonical_and_compact(store: SqliteStore, db_path: Path) -> None:
    store.save_attributes(USER, {"b": 1, "a": [1, 2]})
    assert raw_rows(db_path, "SELECT attributes FROM users") == [('{"a":[1,2],"b":1}',)]


def test_save_is_an_upsert(store: SqliteStore, db_path: Path) -> None:
    store.save_attributes(USER, {"v": 1, "gone": True})
    first = raw_rows(db_path, "SELECT updated_at FROM users")[0][0]
    store.save_attributes(USER, {"v": 2})
    assert store.get_attributes(USER) == {"v": 2}
    assert store.count_users() == 1
    second = raw_rows(db_path, "SELECT updated_at FROM users")[0][0]
    assert isinstance(first, str) and isinstance(second, str) and second >= first


def test_unserialisable_attributes_are_refused_and_nothing_changes(store: SqliteStore) -> None:
    store.save_attributes(USER, {"v": 1})
    with pytest.raises(StoreError) as info:
        store.save_attributes(USER, {"when": datetime.now(UTC)})
    assert info.value.reason == "error"
    with pytest.raises(StoreError):
        store.save_attributes(USER, {"x": float("nan")})
    assert store.get_attributes(USER) == {"v": 1}


def test_delete_user_removes_attributes_and_sessions(store: SqliteStore, db_path: Path) -> None:
    store.record_session(USER, finished(), attributes={"v": 1})
    store.record_session(USER, finished(routine_id="evening"))
    store.record_session(OTHER, finished(), attributes={"v": 9})
    store.delete_user(USER)
    assert raw_rows(db_path, "SELECT COUNT(*) FROM users WHERE user_id = ?", (USER,)) == [(0,)]
    assert raw_rows(db_path, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", (USER,)) == [(0,)]
    assert store.get_attributes(OTHER) == {"v": 9}
    assert len(store.list_sessions(OTHER)) == 1
    store.delete_user("never-seen")  # deleting an unknown user is a no-op


def test_session_round_trip(store: SqliteStore) -> None:
    store.record_session(USER, finished())
    [rec] = store.list_sessions(USER)
    assert isinstance(rec, SessionRecord)
    assert rec == SessionRecord(
        id=rec.id,
        user_id=USER,
        routine_id="morning",
        local_date=date(2024, 3, 5),
        finished_at=FINISHED,
        duration_s=420,
        exercises_done=("towel-stretch", "calf-raise"),
        exercises_skipped=("marble-pickup",),
        mode="step",
    )
    with pytest.raises(AttributeError):
        rec.mode = "timed"  # type: ignore[misc]


def test_finished_at_is_stored_as_utc(store: SqliteStore, db_path: Path) -> None:
    berlin = timezone(timedelta(hours=1))
    local = datetime(2024, 3, 5, 8, 0, tzinfo=berlin)
    store.record_session(USER, finished(finished_at=local))
    [(stored,)] = raw_rows(db_path, "SELECT finished_at FROM sessions")
    assert stored == "2024-03-05T07:00:00.000000+00:00"
    assert store.list_sessions(USER)[0].finished_at == datetime(2024, 3, 5, 7, 0, tzinfo=UTC)


def test_list_sessions_orders_and_filters_by_local_date(store: SqliteStore) -> None:
    for day in (7, 3, 5):
        store.record_session(USER, finished(local_date=date(2024, 3, day)))
    store.record_session(OTHER, finished(local_date=date(2024, 3, 6)))
    assert [r.local_date.day for r in store.list_sessions(USER)] == [3, 5, 7]
    assert [r.local_date.day for r in store.list_sessions(USER, since=date(2024, 3, 5))] == [5, 7]
    assert store.list_sessions(USER, since=date(2024, 4, 1)) == []
    assert store.list_sessions("nobody") == []


@pytest.mark.parametrize(
    "bad",
    [
        {"finished_at": datetime(2024, 3, 5, 6, 0)},  # naive
        {"local_date": datetime(2024, 3, 5, 6, 0, tzinfo=UTC)},  # a datetime, not a date
        {"duration_s": -1},
        {"exercises_done": "towel-stretch"},
        {"exercises_skipped": [1, 2]},
        {"routine_id": ""},
    ],
)
def test_invalid_finished_routines_are_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        finished(**bad)


def test_combined_write_is_atomic(store: SqliteStore, db_path: Path) -> None:
    store.save_attributes(USER, {"v": 1})
    raw_exec(
        db_path,
        "CREATE TRIGGER no_sessions BEFORE INSERT ON sessions "
        "BEGIN SELECT RAISE(ABORT, 'sessions refused'); END",
    )
    with pytest.raises(StoreError, match="sessions refused"):
        store.record_session(USER, finished(), attributes={"v": 2})
    assert store.get_attributes(USER) == {"v": 1}
    raw_exec(db_path, "DROP TRIGGER no_sessions")
    store.record_session(USER, finished(), attributes={"v": 2})
    assert store.get_attributes(USER) == {"v": 2}
    assert len(store.list_sessions(USER)) == 1


def test_update_attributes_reads_modifies_writes(store: SqliteStore) -> None:
    assert store.update_attributes(USER, lambda a: {**a, "n": a.get("n", 0) + 1}) == {"n": 1}
    assert store.update_attributes(USER, lambda a: {**a, "n": a["n"] + 1}) == {"n": 2}
    assert store.get_attributes(USER) == {"n": 2}


def test_update_attributes_failure_writes_nothing(store: SqliteStore) -> None:
    store.save_attributes(USER, {"n": 1})

    def boom(_: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("engine bug")

    with pytest.raises(KeyError):
        store.update_attributes(USER, boom)
    with pytest.raises(TypeError):
        store.update_attributes(USER, lambda a: [a])  # type: ignore[arg-type,return-value]
    assert store.get_attributes(USER) == {"n": 1}
    assert not store._connection().in_transaction


def test_corrupt_rows_raise_corrupt(store: SqliteStore, db_path: Path) -> None:
    store.open()
    raw_exec(db_path, "INSERT INTO users VALUES ('bad', '{not json', 'x')")
    raw_exec(db_path, "INSERT INTO users VALUES ('list', '[1, 2]', 'x')")
    for user in ("bad", "list"):
        with pytest.raises(StoreError) as info:
            store.get_attributes(user)
        assert info.value.reason == "corrupt"
    with pytest.raises(StoreError) as upd:
        store.update_attributes("bad", lambda a: a)
    assert upd.value.reason == "corrupt"
    raw_exec(
        db_path,
        "INSERT INTO sessions (user_id, routine_id, local_date, finished_at, duration_s, "
        "exercises_done, exercises_skipped) VALUES ('bad', 'r', '2024-01-01', "
        "'2024-01-01T00:00:00+00:00', 1, 'nope', '[]')",
    )
    with pytest.raises(StoreError) as ses:
        store.list_sessions("bad")
    assert ses.value.reason == "corrupt"


def test_health_and_count(store: SqliteStore) -> None:
    assert store.health() is True
    assert store.count_users() == 0
    store.save_attributes(USER, {})
    store.save_attributes(OTHER, {})
    assert store.count_users() == 2


def test_close_then_reuse_reopens(store: SqliteStore) -> None:
    store.save_attributes(USER, {"v": 1})
    store.close()
    store.close()
    assert store.get_attributes(USER) == {"v": 1}


def test_threads_get_their_own_connections_and_lose_no_updates(store: SqliteStore) -> None:
    per_thread, threads = 25, 4
    conns: list[int] = []
    errors = increment_concurrently(store, threads, per_thread, lambda: conns.append(id(store._connection())))
    assert errors == []
    assert len(set(conns)) == threads
    assert store.get_attributes("shared") == {"n": per_thread * threads}


def test_prune_sessions_removes_only_old_history_of_that_user(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, date, datetime

    from heel_coach.persistence.sqlite_store import SqliteStore

    store = SqliteStore(tmp_path / "prune.sqlite3")
    try:
        for user, day in (("a", date(2024, 1, 1)), ("a", date(2026, 1, 1)), ("b", date(2024, 1, 1))):
            store.record_session(
                user,
                finished(routine_id="quick", local_date=day, finished_at=datetime(2026, 1, 1, tzinfo=UTC)),
            )
        assert store.prune_sessions(date(2025, 1, 1), user_id="a") == 1
        assert [s.local_date for s in store.list_sessions("a")] == [date(2026, 1, 1)]
        assert len(store.list_sessions("b")) == 1
        assert store.prune_sessions(date(2025, 1, 1)) == 1
        assert store.list_sessions("b") == []
    finally:
        store.close()
