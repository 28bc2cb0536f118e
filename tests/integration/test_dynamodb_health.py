"""/healthz on DynamoDB: the write probe really writes, leaves no user behind, and answers
within its bound when DynamoDB does not answer at all (moto's server over real HTTP; a
loopback socket that accepts and never replies stands for a hung endpoint)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from heel_coach.persistence.dynamodb_store import HEALTH_PROBE_ID, DynamoStore
from tests.stores import REGION, settings_for


@pytest.fixture
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DynamoStore]:
    settings = settings_for("dynamodb", tmp_path, request)
    s = DynamoStore(
        settings.dynamodb_table,
        settings.dynamodb_history_table,
        endpoint_url=settings.dynamodb_endpoint,
        region=REGION,
        timeout_s=10.0,
    )
    try:
        yield s
    finally:
        s.close()


def test_write_probe_writes_the_health_item(store: DynamoStore) -> None:
    """The item /healthz writes carries only the time (test_store_contract checks that it is
    never counted as a user, on both stores)."""
    assert store.write_health(2000) == "ok"
    item = store.client.get_item(TableName=store.users_table, Key={"user_id": {"S": HEALTH_PROBE_ID}})["Item"]
    assert set(item) == {"user_id", "written_at"}


def test_write_probe_reports_a_missing_table(store: DynamoStore) -> None:
    gone = DynamoStore("no-such-users", "no-such-history", endpoint_url=store.endpoint_url, region=REGION)
    try:
        assert gone.write_health(2000) == "unavailable"
    finally:
        gone.close()


def test_write_probe_is_bounded_when_dynamodb_never_answers() -> None:
    with socket.socket() as listener:  # accepts connections (the backlog) and never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        hung = DynamoStore(
            "users", "history", endpoint_url=f"http://127.0.0.1:{port}", region=REGION, timeout_s=30.0
        )
        try:
            started = time.monotonic()
            reason = hung.write_health(250)
            elapsed = time.monotonic() - started
        finally:
            hung.close()
    assert reason == "unavailable"
    # The store's own client would wait 2 x 30 s; the probe gives up after two 250 ms read
    # timeouts (plus client creation on a busy machine), well inside a load balancer's check.
    assert elapsed < 8.0
