"""Named, ordered schema migrations for the embedded SQLite store.

Each migration runs in its own ``BEGIN IMMEDIATE`` transaction and records its name in
``schema_migrations`` in that same transaction, so a crash or a failure never leaves a
half-applied migration, and several processes starting at once serialise on SQLite's write
lock: the first applies the migration, the others find it recorded and skip it.

SQLite errors become ``StoreError`` (defined with the store protocol, shared with DynamoDB)
here, because this is the lowest layer that talks to SQLite; ``sqlite_store`` re-exports it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from heel_coach.persistence.store import StoreError

__all__ = [
    "MIGRATIONS",
    "Migration",
    "StoreError",
    "applied_migrations",
    "migrate",
    "split_statements",
    "store_error",
]

# Primary SQLite result codes (the low byte of an extended code) -> our short reason.
_REASON_BY_CODE: dict[int, str] = {
    sqlite3.SQLITE_BUSY: "locked",
    sqlite3.SQLITE_LOCKED: "locked",
    sqlite3.SQLITE_FULL: "full",
    sqlite3.SQLITE_CANTOPEN: "unavailable",
    sqlite3.SQLITE_IOERR: "unavailable",
    sqlite3.SQLITE_READONLY: "unavailable",
    sqlite3.SQLITE_PERM: "unavailable",
    sqlite3.SQLITE_AUTH: "unavailable",
    sqlite3.SQLITE_CORRUPT: "corrupt",
    sqlite3.SQLITE_NOTADB: "corrupt",
}

# Fallback when an error carries no code (e.g. raised by the sqlite3 module itself).
_REASON_BY_TEXT: tuple[tuple[str, str], ...] = (
    ("locked", "locked"),
    ("busy", "locked"),
    ("full", "full"),
    ("unable to open", "unavailable"),
    ("readonly", "unavailable"),
    ("read-only", "unavailable"),
    ("disk i/o", "unavailable"),
    ("malformed", "corrupt"),
    ("not a database", "corrupt"),
)


def _reason_for(exc: BaseException) -> str:
    """Map a sqlite3/OS error to a reason, preferring SQLite's result code over its wording."""
    if isinstance(exc, StoreError):
        return exc.reason
    if isinstance(exc, OSError):
        return "unavailable"
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _REASON_BY_CODE:
        return _REASON_BY_CODE[code & 0xFF]
    text = str(exc).lower()
    for needle, reason in _REASON_BY_TEXT:
        if needle in text:
            return reason
    return "error"


def store_error(context: str, exc: BaseException) -> StoreError:
    """Wrap ``exc`` as a StoreError whose message says what we were doing (``context``)."""
    detail = f"{type(exc).__name__}: {exc}"
    return StoreError(_reason_for(exc), f"{context}: {detail}")


MigrationStep = str | Callable[[sqlite3.Connection], None]


@dataclass(frozen=True)
class Migration:
    """One schema step; ``apply`` is SQL (one or more statements) or a callable on the connection.

    A callable must not commit, roll back or call ``executescript`` (which commits): the
    migration runner owns the transaction.
    """

    name: str
    apply: MigrationStep


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "0001_users",
        """
        CREATE TABLE users (
            user_id TEXT PRIMARY KEY,
            attributes TEXT NOT NULL /* JSON object */,
            updated_at TEXT NOT NULL /* UTC ISO */
        );
        """,
    ),
    Migration(
        "0002_sessions",
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL,
            routine_id TEXT NOT NULL,
            local_date TEXT NOT NULL /* YYYY-MM-DD in the user's time zone */,
            finished_at TEXT NOT NULL /* UTC ISO */,
            duration_s INTEGER NOT NULL,
            exercises_done TEXT NOT NULL /* JSON list */,
            exercises_skipped TEXT NOT NULL /* JSON list */,
            mode TEXT NOT NULL DEFAULT 'step'
        );
        CREATE INDEX sessions_user_date ON sessions (user_id, local_date);
        """,
    ),
    Migration(
        "0003_health_probe",
        """
        CREATE TABLE health_probe (
            id INTEGER PRIMARY KEY CHECK (id = 1) /* one row, rewritten by each /healthz */,
            written_at TEXT NOT NULL /* UTC ISO */
        );
        """,
    ),
)

_CREATE_LEDGER = "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)"


def split_statements(sql: str) -> list[str]:
    """Split SQL into single statements; ``executescript`` would commit our transaction."""
    statements: list[str] = []
    pending = ""
    for piece in sql.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\r\n;"):
                statements.append(pending.strip())
            pending = ""
    if pending.strip(" \t\r\n;"):
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:60]!r}")
    return statements


def _check_names(migrations: Sequence[Migration]) -> None:
    """Reject duplicate names: the ledger is keyed by name, so a duplicate would be skipped."""
    names = [m.name for m in migrations]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate migration names in {names}")


def applied_migrations(conn: sqlite3.Connection) -> set[str]:
    """Names already recorded; an empty set for a fresh database (read-only, no write lock)."""
    try:
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
        if exists is None:
            return set()
        return {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
    except sqlite3.Error as exc:
        raise store_error("reading schema_migrations", exc) from exc


def _apply_one(conn: sqlite3.Connection, migration: Migration) -> bool:
    """Apply one migration in its own transaction; False if another process got there first."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise store_error(f"migration {migration.name}: cannot start transaction", exc) from exc
    try:
        conn.execute(_CREATE_LEDGER)
        done = conn.execute("SELECT 1 FROM schema_migrations WHERE name = ?", (migration.name,)).fetchone()
        if done is None:
            if isinstance(migration.apply, str):
                for statement in split_statements(migration.apply):
                    conn.execute(statement)
            else:
                migration.apply(conn)
            conn.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                (migration.name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        conn.execute("COMMIT")
        return done is None
    except BaseException as exc:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # the original failure is the one worth reporting
        if isinstance(exc, Exception):
            context = f"migration {migration.name} failed and was rolled back"
            raise store_error(context, exc) from exc
        raise


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS) -> list[str]:
    """Apply every pending migration in order; return the names this call applied.

    ``conn`` must be in autocommit mode (``isolation_level=None``) and outside a transaction,
    because each migration manages its own ``BEGIN IMMEDIATE`` / ``COMMIT``.
    """
    _check_names(migrations)
    if conn.isolation_level is not None or conn.in_transaction:
        raise ValueError("migrate() needs an autocommit connection outside a transaction")
    already = applied_migrations(conn)
    applied: list[str] = []
    for migration in migrations:
        if migration.name in already:
            continue
        if _apply_one(conn, migration):
            applied.append(migration.name)
    return applied
