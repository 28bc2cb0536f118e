"""The embedded default store: one SQLite file in WAL mode shared by every worker process.

Connections are opened lazily, one per thread, because sqlite3 connections must not be shared
across threads and must never be carried across ``fork`` (gunicorn may fork after import).
Every write is a ``BEGIN IMMEDIATE`` transaction so concurrent processes serialise on SQLite's
write lock (waiting up to ``busy_timeout_ms``) instead of failing half-way or losing updates.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from heel_coach.persistence.migrations import MIGRATIONS, Migration, migrate, store_error
from heel_coach.persistence.store import (
    FinishedRoutine,
    SessionRecord,
    StoreError,
    dump_attributes,
    merge_attributes,
)

__all__ = ["SessionRecord", "SqliteStore", "StoreError"]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _load_attributes(user_id: str, text: str) -> dict[str, Any]:
    """Decode a users row; anything but a JSON object means the row is corrupt."""
    try:
        value = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise StoreError("corrupt", f"attributes of user {user_id!r} are not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise StoreError("corrupt", f"attributes of user {user_id!r} are not a JSON object")
    return value


def _load_names(text: str, what: str, row_id: int) -> tuple[str, ...]:
    try:
        value = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise StoreError("corrupt", f"sessions row {row_id}: {what} is not JSON: {exc}") from exc
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise StoreError("corrupt", f"sessions row {row_id}: {what} is not a list of strings")
    return tuple(value)


# A serialised sessions row minus user_id, in column order (see _insert_session).
_SessionRow = tuple[str, str, str, int, str, str, str]


def _session_row(routine: FinishedRoutine) -> _SessionRow:
    return (
        routine.routine_id,
        routine.local_date.isoformat(),
        routine.finished_at.astimezone(UTC).isoformat(timespec="microseconds"),
        routine.duration_s,
        dump_attributes(list(routine.exercises_done), "exercises_done"),
        dump_attributes(list(routine.exercises_skipped), "exercises_skipped"),
        routine.mode,
    )


class SqliteStore:
    """User attributes and session history in one SQLite file; safe across threads and processes.

    Construction only remembers settings: the file is opened (and migrated, once per process)
    on first use, so importing or building the app never touches the disk.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        busy_timeout_ms: int = 1000,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> None:
        if busy_timeout_ms < 0:
            raise ValueError("busy_timeout_ms must be >= 0")
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._migrations = tuple(migrations)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._inherited: list[sqlite3.Connection] = []
        self._pid = os.getpid()
        self._migrated = False

    # -- connections -------------------------------------------------------------------------

    def _forget_parent_connections(self) -> None:
        """After fork, drop (never use or close) the parent's connections, as SQLite requires."""
        with self._lock:
            if self._pid == os.getpid():
                return
            self._inherited.extend(self._conns)
            self._conns = []
            self._local = threading.local()
            self._pid = os.getpid()
            self._migrated = False

    def _enable_wal(self, conn: sqlite3.Connection) -> None:
        """Switch to WAL, retrying until busy_timeout: SQLite skips the busy handler for this
        switch, so processes starting together on a new file would otherwise fail at once."""
        deadline = time.monotonic() + self.busy_timeout_ms / 1000
        delay = 0.001
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL").fetchone()
                return
            except sqlite3.OperationalError as exc:
                if store_error("", exc).reason != "locked" or time.monotonic() >= deadline:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def _connect(self) -> sqlite3.Connection:
        """Open and configure a new connection, migrating the schema once per process."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise store_error(f"creating directory for {self.path}", exc) from exc
        conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=self.busy_timeout_ms / 1000,
                isolation_level=None,  # we issue BEGIN IMMEDIATE / COMMIT ourselves
                check_same_thread=False,  # used by one thread; close() may run on another
            )
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            self._enable_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            with self._lock:
                if not self._migrated:
                    migrate(conn, self._migrations)
                    self._migrated = True
        except (sqlite3.Error, StoreError) as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, StoreError):
                raise
            raise store_error(f"opening {self.path}", exc) from exc
        return conn

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, opening it on first use."""
        if self._pid != os.getpid():
            self._forget_parent_connections()
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            with self._lock:
                self._conns.append(conn)
            self._local.conn = conn
        return conn

    def open(self) -> None:
        """Open (and migrate) now, so a bad path or locked file fails at startup, not mid-chat."""
        self._connection()

    def release_thread(self) -> None:
        """Close this thread's connection: for servers that start a new thread per request
        (Werkzeug's development server), where per-thread connections would otherwise pile up."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            return
        self._local.conn = None
        with self._lock:
            if conn in self._conns:
                self._conns.remove(conn)
        conn.close()

    def close(self) -> None:
        """Close every connection this store opened in this process; later use reopens lazily."""
        with self._lock:
            conns, self._conns = self._conns, []
            self._local = threading.local()
        for conn in conns:
            conn.close()

    @contextmanager
    def _write(self, context: str) -> Iterator[sqlite3.Connection]:
        """One BEGIN IMMEDIATE transaction: commit on success, roll back on any failure."""
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise store_error(f"{context}: cannot start write transaction", exc) from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # SQLite may already have rolled back (e.g. on SQLITE_FULL)
            if isinstance(exc, sqlite3.Error):
                raise store_error(context, exc) from exc
            raise

    def _read(self, context: str, sql: str, params: Sequence[object] = ()) -> list[Any]:
        try:
            return self._connection().execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise store_error(context, exc) from exc

    # -- users -------------------------------------------------------------------------------

    def get_attributes(self, user_id: str) -> dict[str, Any]:
        """The user's stored attributes, or ``{}`` for a user we have never seen."""
        rows = self._read(
            f"reading attributes of {user_id!r}",
            "SELECT attributes FROM users WHERE user_id = ?",
            (user_id,),
        )
        return _load_attributes(user_id, rows[0][0]) if rows else {}

    @staticmethod
    def _upsert(conn: sqlite3.Connection, user_id: str, payload: str) -> None:
        conn.execute(
            "INSERT INTO users (user_id, attributes, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET "
            "attributes = excluded.attributes, updated_at = excluded.updated_at",
            (user_id, payload, _now()),
        )

    def save_attributes(
        self, user_id: str, attributes: dict[str, Any], *, base: dict[str, Any] | None = None
    ) -> None:
        """Write the user's attributes. Without ``base``: replace, in one autocommit statement.
        With ``base`` (what this request loaded): under the write lock, merged with whatever
        another request stored meanwhile (``merge_attributes``), so neither change is lost."""
        context = f"saving attributes of {user_id!r}"
        if base is not None:
            with self._write(context) as conn:
                self._merge_into(conn, user_id, attributes, base)
            return
        payload = dump_attributes(attributes, f"attributes of {user_id!r}")
        conn = self._connection()
        try:  # one statement is its own transaction: no BEGIN/COMMIT round trips needed
            self._upsert(conn, user_id, payload)
        except sqlite3.Error as exc:
            raise store_error(context, exc) from exc

    def _merge_into(
        self, conn: sqlite3.Connection, user_id: str, attributes: dict[str, Any], base: dict[str, Any]
    ) -> bool:
        """Inside a write transaction: merge with the row as it is now; False if the user was
        deleted meanwhile (nothing is written then)."""
        row = conn.execute("SELECT attributes FROM users WHERE user_id = ?", (user_id,)).fetchone()
        current = _load_attributes(user_id, row[0]) if row else None
        merged = merge_attributes(base, attributes, current)
        if merged is None:
            return False
        self._upsert(conn, user_id, dump_attributes(merged, f"attributes of {user_id!r}"))
        return True

    def update_attributes(
        self, user_id: str, fn: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> dict[str, Any]:
        """Read-modify-write under the write lock, so concurrent updates are never lost.

        ``fn`` gets the current attributes (``{}`` if none) and returns the new ones; if it
        raises, nothing is written and its exception propagates unchanged.
        """
        context = f"updating attributes of {user_id!r}"
        with self._write(context) as conn:
            row = conn.execute("SELECT attributes FROM users WHERE user_id = ?", (user_id,)).fetchone()
            current = _load_attributes(user_id, row[0]) if row else {}
            updated = fn(current)
            if not isinstance(updated, dict):
                raise TypeError("update_attributes: fn must return a dict")
            self._upsert(conn, user_id, dump_attributes(updated, f"attributes of {user_id!r}"))
        return updated

    def delete_user(self, user_id: str) -> None:
        """Forget the user entirely: attributes and session history, in one transaction."""
        with self._write(f"deleting user {user_id!r}") as conn:
            conn.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))
            conn.execute("DELETE FROM users WHERE user_id = ?", (user_id,))

    def count_users(self) -> int:
        """Number of users with stored attributes (for metrics and the health page)."""
        return int(self._read("counting users", "SELECT COUNT(*) FROM users")[0][0])

    # -- sessions ----------------------------------------------------------------------------

    @staticmethod
    def _insert_session(conn: sqlite3.Connection, user_id: str, row: _SessionRow) -> None:
        conn.execute(
            "INSERT INTO sessions (user_id, routine_id, local_date, finished_at, duration_s, "
            "exercises_done, exercises_skipped, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (user_id, *row),
        )

    def record_session(
        self,
        user_id: str,
        routine: FinishedRoutine,
        *,
        attributes: dict[str, Any] | None = None,
        base: dict[str, Any] | None = None,
    ) -> None:
        """``UserStore.record_session`` in one write transaction."""
        payload = None if attributes is None else dump_attributes(attributes, f"attributes of {user_id!r}")
        row = _session_row(routine)
        with self._write(f"recording session of {user_id!r}") as conn:
            if attributes is not None and base is not None:
                if not self._merge_into(conn, user_id, attributes, base):
                    return
            elif payload is not None:
                self._upsert(conn, user_id, payload)
            self._insert_session(conn, user_id, row)

    def prune_sessions(self, older_than: date, *, user_id: str | None = None) -> int:
        """Delete routine history before ``older_than`` (retention); returns rows removed."""
        with self._write("pruning routine history") as conn:
            if user_id is None:
                cur = conn.execute("DELETE FROM sessions WHERE local_date < ?", (older_than.isoformat(),))
            else:
                cur = conn.execute(
                    "DELETE FROM sessions WHERE user_id = ? AND local_date < ?",
                    (user_id, older_than.isoformat()),
                )
            return int(cur.rowcount)

    def list_sessions(self, user_id: str, *, since: date | None = None) -> list[SessionRecord]:
        """The user's sessions, oldest first; ``since`` keeps local dates on or after it."""
        sql = (
            "SELECT id, user_id, routine_id, local_date, finished_at, duration_s, "
            "exercises_done, exercises_skipped, mode FROM sessions WHERE user_id = ?"
        )
        params: list[object] = [user_id]
        if since is not None:
            sql += " AND local_date >= ?"
            params.append(since.isoformat())
        sql += " ORDER BY local_date, finished_at, id"
        rows = self._read(f"listing sessions of {user_id!r}", sql, params)
        return [self._record(r) for r in rows]

    @staticmethod
    def _record(r: Sequence[Any]) -> SessionRecord:
        try:
            local_date = date.fromisoformat(r[3])
            finished_at = datetime.fromisoformat(r[4])
        except (TypeError, ValueError) as exc:
            raise StoreError("corrupt", f"sessions row {r[0]}: bad date: {exc}") from exc
        return SessionRecord(
            id=int(r[0]),
            user_id=r[1],
            routine_id=r[2],
            local_date=local_date,
            finished_at=finished_at,
            duration_s=int(r[5]),
            exercises_done=_load_names(r[6], "exercises_done", r[0]),
            exercises_skipped=_load_names(r[7], "exercises_skipped", r[0]),
            mode=r[8],
        )

    # -- health ------------------------------------------------------------------------------

    def health(self) -> bool:
        """True if the database answers a trivial query; never raises (for /healthz)."""
        try:
            return self._read("health check", "SELECT 1") == [(1,)]
        except StoreError:
            return False

    def write_health(self, timeout_ms: int = 250) -> str:
        """Commit a one-row write, waiting at most ``timeout_ms`` for the lock; never raises.

        Returns ``"ok"`` or the StoreError reason (``locked``, ``full``, ``unavailable``, ...).
        Why a real write: in WAL mode reads go on while writes fail (a held lock, a full disk,
        a read-only file), and only a write tells a load balancer the user's progress can be
        saved. The short busy timeout keeps /healthz quick when another writer holds the lock.
        """
        try:
            conn = self._connection()
            conn.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
        except (StoreError, sqlite3.Error) as exc:
            return store_error("health write probe", exc).reason
        try:
            with self._write("health write probe") as c:
                c.execute(
                    "INSERT INTO health_probe (id, written_at) VALUES (1, ?) "
                    "ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at",
                    (_now(),),
                )
            return "ok"
        except StoreError as exc:
            return exc.reason
        finally:
            try:
                conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            except sqlite3.Error:
                pass
