"""Both stores for the suites that must pass on each: settings for a kind, raw row counts.

DynamoDB is moto in server mode (one loopback server per test session, started by the
``dynamodb_endpoint`` fixture in tests/conftest.py) reached by boto3 over real HTTP; each test
gets its own pair of freshly created tables.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from heel_coach.persistence.store import UserStore
from heel_coach.settings import Settings

STORE_KINDS = ("sqlite", "dynamodb")
REGION = "eu-west-1"


def settings_for(kind: str, tmp_path: Path, request: pytest.FixtureRequest, **overrides: Any) -> Settings:
    """Test settings on a fresh store of ``kind`` (tables created for DynamoDB)."""
    base = Settings(
        db_path=tmp_path / "heel-coach.sqlite3", verify_signatures=False, audio_dir=tmp_path / "audio"
    )
    if kind == "sqlite":
        return Settings(**{**base.__dict__, **overrides})
    endpoint = request.getfixturevalue("dynamodb_endpoint")
    suffix = uuid.uuid4().hex[:12]
    settings = Settings(
        **{
            **base.__dict__,
            "store": "dynamodb",
            "dynamodb_table": f"users-{suffix}",
            "dynamodb_history_table": f"history-{suffix}",
            "dynamodb_endpoint": endpoint,
            "dynamodb_region": REGION,
            "dynamodb_timeout_s": 10.0,  # a shared, busy test machine: no spurious timeouts
            **overrides,
        }
    )
    from heel_coach.persistence.dynamodb_store import DynamoStore

    setup = DynamoStore(
        settings.dynamodb_table,
        settings.dynamodb_history_table,
        endpoint_url=endpoint,
        region=REGION,
        timeout_s=10.0,
    )
    setup.create_tables()
    setup.close()
    return settings


def row_counts(store: UserStore, user_id: str) -> dict[str, int]:
    """Items the user has in each table, read behind the store's back (raw SQL or raw boto3)."""
    from heel_coach.persistence.sqlite_store import SqliteStore

    if isinstance(store, SqliteStore):
        import sqlite3
        from contextlib import closing

        with closing(sqlite3.connect(store.path)) as conn:
            return {
                table: conn.execute(f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (user_id,)).fetchone()[
                    0
                ]
                for table in ("users", "sessions")
            }
    from heel_coach.persistence.dynamodb_store import DynamoStore

    assert isinstance(store, DynamoStore)
    client = store.client
    counts = {}
    for name, table in (("users", store.users_table), ("sessions", store.history_table)):
        page = client.query(
            TableName=table,
            KeyConditionExpression="user_id = :u",
            ExpressionAttributeValues={":u": {"S": user_id}},
            Select="COUNT",
            ConsistentRead=True,
        )
        counts[name] = int(page["Count"])
    return counts


def increment_concurrently(
    store: UserStore, threads: int, per_thread: int, on_start: Callable[[], None] | None = None
) -> list[BaseException]:
    """``threads`` threads each add 1 to the shared user's ``n``, ``per_thread`` times, with
    read-modify-writes; returns what any of them raised (``on_start`` runs first in each)."""
    errors: list[BaseException] = []

    def work() -> None:
        try:
            if on_start is not None:
                on_start()
            for _ in range(per_thread):
                store.update_attributes("shared", lambda a: {"n": a.get("n", 0) + 1})
        except BaseException as exc:  # noqa: BLE001 - reported to the caller
            errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(timeout=120)
    return errors


def raw_history(store: UserStore, user_id: str) -> list[dict[str, Any]]:
    """The user's history rows (SQLite) or items (DynamoDB) exactly as stored, read behind the
    store's back: what a deployed store holds and must keep reading."""
    from heel_coach.persistence.sqlite_store import SqliteStore

    if isinstance(store, SqliteStore):
        import sqlite3
        from contextlib import closing

        with closing(sqlite3.connect(store.path)) as conn:
            conn.row_factory = sqlite3.Row
            rows = conn.execute("SELECT * FROM sessions WHERE user_id = ? ORDER BY id", (user_id,))
            return [dict(row) for row in rows]
    from heel_coach.persistence.dynamodb_store import DynamoStore

    assert isinstance(store, DynamoStore)
    page = store.client.query(
        TableName=store.history_table,
        KeyConditionExpression="user_id = :u",
        ExpressionAttributeValues={":u": {"S": user_id}},
        ConsistentRead=True,
    )
    return list(page["Items"])


def put_raw_history(store: UserStore, row: dict[str, Any]) -> None:
    """Write one history row or item as given, behind the store's back (see ``raw_history``)."""
    from heel_coach.persistence.sqlite_store import SqliteStore

    if isinstance(store, SqliteStore):
        import sqlite3
        from contextlib import closing

        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with closing(sqlite3.connect(store.path)) as conn, conn:
            conn.execute(f"INSERT INTO sessions ({columns}) VALUES ({marks})", tuple(row.values()))  # noqa: S608
        return
    from heel_coach.persistence.dynamodb_store import DynamoStore

    assert isinstance(store, DynamoStore)
    store.client.put_item(TableName=store.history_table, Item=row)
