"""The DynamoDB store (``HEELCOACH_STORE=dynamodb``): users' attributes and routine history
in two on-demand tables, for AWS Lambda. Imported only when chosen, so boto3 is never loaded
by the SQLite path.

Why our own store and not ``ask-sdk-dynamodb-persistence-adapter``: the official adapter
writes the whole attributes map with an unconditional ``put_item`` (concurrent requests of
one user lose updates), keeps no routine history, sets no TTL, deletes only the attributes
item, converts numbers to ``Decimal`` on the way back, and builds ``boto3.resource`` as a
default argument at import time (a cold-start and configuration trap). This store keeps
the ``UserStore`` contract the SQLite store keeps:

- ``users`` table, key ``user_id``: ``attributes`` (canonical JSON text, so numbers and
  nesting come back exactly as saved), ``version`` (a digest of that text) and
  ``updated_at``. Writes that name a ``base`` are conditional on ``version``; on a conflict
  the item is re-read, merged (``merge_attributes``) and written again.
- ``history`` table, keys ``user_id`` and ``finished`` (``<local date>#<UTC finish>#<random>``,
  so a key range is a date range), one item per finished routine, ``expires_at`` (epoch
  seconds) as the TTL attribute: DynamoDB deletes history 400 days after its day even for a
  user who never comes back; ``prune_sessions`` deletes it at once when the user does.
- ``delete_user`` deletes the attributes item first (so an in-flight conditional write of
  that user fails and is dropped), then every history item.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from heel_coach.persistence.store import (
    HISTORY_DAYS,
    FinishedRoutine,
    SessionRecord,
    StoreError,
    attributes_digest,
    dump_attributes,
    merge_attributes,
)

__all__ = ["DynamoStore"]

MAX_ATTEMPTS = 8
"""Conditional writes tried before giving up with ``StoreError('locked')``."""

_ABSENT = object()
"""Expected version of an item that does not exist yet."""

_REASON_BY_CODE = {
    "ProvisionedThroughputExceededException": "locked",
    "ThrottlingException": "locked",
    "RequestLimitExceeded": "locked",
    "TransactionConflictException": "locked",
    "TransactionInProgressException": "locked",
    "ItemCollectionSizeLimitExceededException": "full",
    "ResourceNotFoundException": "unavailable",
    "AccessDeniedException": "unavailable",
    "UnrecognizedClientException": "unavailable",
    "InternalServerError": "unavailable",
    "ServiceUnavailable": "unavailable",
}


HEALTH_PROBE_ID = "__healthz__"
"""The users-table key /healthz reads and writes; no Alexa user id looks like it."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _load(user_id: str, text: object) -> dict[str, Any]:
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except ValueError as exc:
        raise StoreError("corrupt", f"attributes of user {user_id!r} are not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise StoreError("corrupt", f"attributes of user {user_id!r} are not a JSON object")
    return value


def _names(item: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(v["S"] for v in item.get(key, {}).get("L", []))


class DynamoStore:
    """``UserStore`` on two DynamoDB tables; thread-safe (one boto3 client, made on first use)."""

    def __init__(
        self,
        users_table: str,
        history_table: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        timeout_s: float = 1.0,
        client: Any = None,
    ) -> None:
        if not users_table or not history_table:
            raise ValueError("both DynamoDB table names are needed")
        self.users_table = users_table
        self.history_table = history_table
        self.endpoint_url = endpoint_url
        self.region = region
        self.timeout_s = timeout_s
        self._client = client
        self._probe_clients: dict[int, Any] = {}
        self._lock = threading.Lock()

    # -- client ------------------------------------------------------------------------------

    @property
    def client(self) -> Any:
        """The boto3 client, created on first use (boto3 is imported here, not at import)."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._make_client()
        return self._client

    def _make_client(self, timeout_s: float | None = None, max_attempts: int = 2) -> Any:
        """``max_attempts`` 2 by default: one retry, so a fault is answered in ~2 s."""
        import boto3
        from botocore.config import Config

        region = self.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        timeout = self.timeout_s if timeout_s is None else timeout_s
        config = Config(
            connect_timeout=timeout,
            read_timeout=timeout,
            retries={"max_attempts": max_attempts, "mode": "standard"},
            tcp_keepalive=True,
        )
        session = boto3.session.Session(region_name=region or "us-east-1")
        return session.client("dynamodb", endpoint_url=self.endpoint_url, config=config)

    def open(self) -> None:
        """Create the client now, so bad configuration fails at start-up."""
        _ = self.client

    def close(self) -> None:
        """Drop the client (its connection pool); later use makes a new one."""
        with self._lock:
            client, self._client = self._client, None
            probes, self._probe_clients = list(self._probe_clients.values()), {}
        for each in [client, *probes]:
            if each is not None:
                each.close()

    def release_thread(self) -> None:
        """Nothing per thread: the client is shared."""

    def _call(self, context: str, method: str, *, client: Any = None, **kwargs: Any) -> Any:
        """One DynamoDB call (on ``client``, else the store's); every failure becomes a
        StoreError saying what we were doing."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(client or self.client, method)(**kwargs)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in ("ConditionalCheckFailedException", "TransactionCanceledException"):
                raise
            raise StoreError(_REASON_BY_CODE.get(code, "error"), f"{context}: {code}: {exc}") from exc
        except BotoCoreError as exc:
            raise StoreError("unavailable", f"{context}: {type(exc).__name__}: {exc}") from exc

    @staticmethod
    def _conflict(exc: Exception) -> bool:
        """A failed condition (ours to retry), as opposed to any other client error."""
        response = getattr(exc, "response", None) or {}
        code = response.get("Error", {}).get("Code", "")
        if code == "ConditionalCheckFailedException":
            return True
        if code == "TransactionCanceledException":
            reasons = response.get("CancellationReasons") or []
            return not reasons or any(r.get("Code") == "ConditionalCheckFailed" for r in reasons)
        return False

    # -- users -------------------------------------------------------------------------------

    def _current(self, user_id: str) -> tuple[dict[str, Any] | None, object]:
        """(attributes or None if absent, version to condition on) with a consistent read."""
        item = self._call(
            f"reading attributes of {user_id!r}",
            "get_item",
            TableName=self.users_table,
            Key={"user_id": {"S": user_id}},
            ConsistentRead=True,
        ).get("Item")
        if item is None:
            return None, _ABSENT
        text = item.get("attributes", {}).get("S")
        return _load(user_id, text), item.get("version", {}).get("S", "")

    def get_attributes(self, user_id: str) -> dict[str, Any]:
        """The user's stored attributes, or ``{}`` for a user we have never seen."""
        attributes, _ = self._current(user_id)
        return attributes if attributes is not None else {}

    def _user_put(
        self, user_id: str, payload: str, expected: object | None, *, new: bool = False
    ) -> dict[str, Any]:
        """A Put of the users item; conditional unless ``expected`` is None. ``new``: the
        request loaded no attributes, so an absent item or an empty one both match."""
        put: dict[str, Any] = {
            "TableName": self.users_table,
            "Item": {
                "user_id": {"S": user_id},
                "attributes": {"S": payload},
                "version": {"S": attributes_digest(payload)},
                "updated_at": {"S": _now()},
            },
        }
        if expected is _ABSENT and new:
            put["ConditionExpression"] = "attribute_not_exists(user_id) OR version = :empty"
            put["ExpressionAttributeValues"] = {":empty": {"S": attributes_digest("{}")}}
        elif expected is _ABSENT:
            put["ConditionExpression"] = "attribute_not_exists(user_id)"
        elif expected is not None:
            put["ConditionExpression"] = "version = :expected"
            put["ExpressionAttributeValues"] = {":expected": {"S": expected}}
        return put

    @staticmethod
    def _base_version(base: dict[str, Any]) -> object:
        return attributes_digest(dump_attributes(base, "base attributes")) if base else _ABSENT

    def _write_merged(
        self,
        user_id: str,
        attributes: dict[str, Any],
        base: dict[str, Any],
        write: Callable[[str, object], None],
    ) -> None:
        """Write ``attributes`` if the item still holds ``base``; else merge and try again."""
        expected = self._base_version(base)
        payload = dump_attributes(attributes, f"attributes of {user_id!r}")
        for attempt in range(MAX_ATTEMPTS):
            try:
                write(payload, expected)
                return
            except Exception as exc:
                if not self._conflict(exc):
                    raise
            if attempt:
                time.sleep(random.uniform(0, 0.005 * attempt))  # noqa: S311 - jitter, not security
            current, expected = self._current(user_id)
            merged = merge_attributes(base, attributes, current)
            if merged is None:
                return  # the user's data was deleted during this request: stay deleted
            payload = dump_attributes(merged, f"attributes of {user_id!r}")
        raise StoreError("locked", f"saving attributes of {user_id!r}: {MAX_ATTEMPTS} conflicting writes")

    def save_attributes(
        self, user_id: str, attributes: dict[str, Any], *, base: dict[str, Any] | None = None
    ) -> None:
        """Replace (no ``base``) or save against what the request loaded (see the module doc)."""
        context = f"saving attributes of {user_id!r}"
        if base is None:
            payload = dump_attributes(attributes, f"attributes of {user_id!r}")
            self._call(context, "put_item", **self._user_put(user_id, payload, None))
            return

        def write(payload: str, expected: object) -> None:
            self._call(context, "put_item", **self._user_put(user_id, payload, expected, new=not base))

        self._write_merged(user_id, attributes, base, write)

    def update_attributes(
        self, user_id: str, fn: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> dict[str, Any]:
        """Read-modify-write with a conditional put, retried on conflict: no update is lost.

        ``fn`` may run more than once (once per attempt); if it raises, nothing is written. A
        write whose answer timed out is retried by botocore and, if it had landed, applies
        ``fn`` twice: use it for counters only where that is acceptable (the skill itself saves
        with ``base``, where a repeated write is harmless).
        """
        context = f"updating attributes of {user_id!r}"
        for attempt in range(MAX_ATTEMPTS * 4):
            current, expected = self._current(user_id)
            updated = fn(current if current is not None else {})
            if not isinstance(updated, dict):
                raise TypeError("update_attributes: fn must return a dict")
            payload = dump_attributes(updated, f"attributes of {user_id!r}")
            try:
                self._call(context, "put_item", **self._user_put(user_id, payload, expected))
                return updated
            except Exception as exc:
                if not self._conflict(exc):
                    raise
            time.sleep(random.uniform(0, 0.002 * (attempt + 1)))  # noqa: S311 - jitter
        raise StoreError("locked", f"{context}: too many conflicting writes")

    def delete_user(self, user_id: str) -> None:
        """Forget the user: the attributes item, then every history item."""
        self._call(
            f"deleting user {user_id!r}",
            "delete_item",
            TableName=self.users_table,
            Key={"user_id": {"S": user_id}},
        )
        keys = list(self._query_history(user_id, keys_only=True))
        self._delete_history(keys, f"deleting history of {user_id!r}")

    def count_users(self) -> int:
        """Number of users with stored attributes (a paginated COUNT scan: for tests and ops)."""
        total, start = 0, None
        while True:
            kwargs: dict[str, Any] = {
                "TableName": self.users_table,
                "Select": "COUNT",
                "FilterExpression": "user_id <> :probe",
                "ExpressionAttributeValues": {":probe": {"S": HEALTH_PROBE_ID}},
            }
            if start:
                kwargs["ExclusiveStartKey"] = start
            page = self._call("counting users", "scan", **kwargs)
            total += int(page.get("Count", 0))
            start = page.get("LastEvaluatedKey")
            if not start:
                return total

    # -- history -----------------------------------------------------------------------------

    def record_session(
        self,
        user_id: str,
        routine: FinishedRoutine,
        *,
        attributes: dict[str, Any] | None = None,
        base: dict[str, Any] | None = None,
    ) -> None:
        """``UserStore.record_session``; with ``attributes``, one transaction of both items."""
        item = self._history_item(user_id, routine)
        context = f"recording session of {user_id!r}"
        history_put = {"TableName": self.history_table, "Item": item}
        if attributes is None:
            self._call(context, "put_item", **history_put)
            return

        def write(payload: str, expected: object) -> None:
            user_put = self._user_put(user_id, payload, expected, new=not base)
            self._call(
                context, "transact_write_items", TransactItems=[{"Put": user_put}, {"Put": history_put}]
            )

        if base is None:
            payload = dump_attributes(attributes, f"attributes of {user_id!r}")
            self._call(
                context,
                "transact_write_items",
                TransactItems=[{"Put": self._user_put(user_id, payload, None)}, {"Put": history_put}],
            )
            return
        self._write_merged(user_id, attributes, base, write)

    @staticmethod
    def _history_item(user_id: str, routine: FinishedRoutine) -> dict[str, Any]:
        """The history item: key ``<local date>#<UTC finish>#<random>``, TTL ``expires_at``."""
        day = routine.local_date
        finished = routine.finished_at.astimezone(UTC)
        expires = datetime.combine(day + timedelta(days=HISTORY_DAYS + 1), datetime.min.time(), UTC)
        return {
            "user_id": {"S": user_id},
            "finished": {"S": f"{day.isoformat()}#{finished.isoformat()}#{uuid.uuid4().hex[:8]}"},
            "id": {"N": str(int(finished.timestamp() * 1_000_000))},
            "routine_id": {"S": routine.routine_id},
            "local_date": {"S": day.isoformat()},
            "finished_at": {"S": finished.isoformat(timespec="microseconds")},
            "duration_s": {"N": str(routine.duration_s)},
            "exercises_done": {"L": [{"S": e} for e in routine.exercises_done]},
            "exercises_skipped": {"L": [{"S": e} for e in routine.exercises_skipped]},
            "mode": {"S": routine.mode},
            "expires_at": {"N": str(int(expires.timestamp()))},
        }

    def _query_history(
        self, user_id: str, *, since: date | None = None, before: date | None = None, keys_only: bool = False
    ) -> Iterator[dict[str, Any]]:
        """The user's history items in key order (local date, then finish time), paginated."""
        condition = "user_id = :u"
        values: dict[str, Any] = {":u": {"S": user_id}}
        if since is not None:
            condition += " AND finished >= :since"
            values[":since"] = {"S": since.isoformat()}
        elif before is not None:
            condition += " AND finished < :before"
            values[":before"] = {"S": before.isoformat()}
        kwargs: dict[str, Any] = {
            "TableName": self.history_table,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "ConsistentRead": True,
        }
        if keys_only:
            kwargs["ProjectionExpression"] = "user_id, finished"
        while True:
            page = self._call(f"listing sessions of {user_id!r}", "query", **kwargs)
            yield from page.get("Items", [])
            start = page.get("LastEvaluatedKey")
            if not start:
                return
            kwargs["ExclusiveStartKey"] = start

    def _delete_history(self, keys: list[dict[str, Any]], context: str) -> int:
        """Batch-delete history items by key (25 per call, unprocessed ones retried)."""
        for offset in range(0, len(keys), 25):
            requests = [
                {"DeleteRequest": {"Key": {"user_id": k["user_id"], "finished": k["finished"]}}}
                for k in keys[offset : offset + 25]
            ]
            for attempt in range(MAX_ATTEMPTS):
                result = self._call(context, "batch_write_item", RequestItems={self.history_table: requests})
                requests = result.get("UnprocessedItems", {}).get(self.history_table, [])
                if not requests:
                    break
                time.sleep(0.01 * (attempt + 1))
            else:
                raise StoreError("locked", f"{context}: items left unprocessed")
        return len(keys)

    def prune_sessions(self, older_than: date, *, user_id: str | None = None) -> int:
        """Delete routine history before ``older_than`` now (TTL would, within days)."""
        if user_id is not None:
            keys = list(self._query_history(user_id, before=older_than, keys_only=True))
            return self._delete_history(keys, f"pruning history of {user_id!r}")
        keys, start = [], None
        while True:
            kwargs: dict[str, Any] = {
                "TableName": self.history_table,
                "FilterExpression": "local_date < :d",
                "ExpressionAttributeValues": {":d": {"S": older_than.isoformat()}},
                "ProjectionExpression": "user_id, finished",
            }
            if start:
                kwargs["ExclusiveStartKey"] = start
            page = self._call("pruning routine history", "scan", **kwargs)
            keys.extend(page.get("Items", []))
            start = page.get("LastEvaluatedKey")
            if not start:
                return self._delete_history(keys, "pruning routine history")

    def list_sessions(self, user_id: str, *, since: date | None = None) -> list[SessionRecord]:
        """The user's sessions, oldest first; ``since`` keeps local dates on or after it."""
        return [self._record(item) for item in self._query_history(user_id, since=since)]

    @staticmethod
    def _record(item: dict[str, Any]) -> SessionRecord:
        try:
            return SessionRecord(
                id=int(item["id"]["N"]),
                user_id=item["user_id"]["S"],
                routine_id=item["routine_id"]["S"],
                local_date=date.fromisoformat(item["local_date"]["S"]),
                finished_at=datetime.fromisoformat(item["finished_at"]["S"]),
                duration_s=int(item["duration_s"]["N"]),
                exercises_done=_names(item, "exercises_done"),
                exercises_skipped=_names(item, "exercises_skipped"),
                mode=item["mode"]["S"],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreError("corrupt", f"history item {item.get('finished')}: {exc}") from exc

    # -- health and set-up -------------------------------------------------------------------

    def health(self) -> bool:
        """True if the users table answers a read; never raises (for /healthz)."""
        try:
            self._call(
                "health check",
                "get_item",
                TableName=self.users_table,
                Key={"user_id": {"S": HEALTH_PROBE_ID}},
            )
            return True
        except Exception:  # noqa: BLE001 - health reports, never raises
            return False

    def write_health(self, timeout_ms: int = 250) -> str:
        """Write the /healthz item, bounded by ``timeout_ms``; never raises.

        The item is ``HEALTH_PROBE_ID`` (never a user; ``count_users`` skips it). Returns ``"ok"``
        or the StoreError reason (``locked`` when throttled, ``unavailable``, ...), as
        ``SqliteStore.write_health`` does. Why a real write: a table can answer reads while
        writes fail (write capacity throttled, an IAM policy without ``PutItem``, a table being
        restored), and only a write says the user's progress can be saved. Bounded by a probe
        client of its own, made once per ``timeout_ms``: connect and read timeouts of
        ``timeout_ms`` and one retry (so one slow moment does not flip the health check), about
        4 x ``timeout_ms`` at worst, where the store's client would wait up to 4 x ``timeout_s``.
        """
        try:
            with self._lock:
                probe = self._probe_clients.get(timeout_ms)
                if probe is None:
                    probe = self._make_client(timeout_ms / 1000)
                    self._probe_clients[timeout_ms] = probe
            self._call(
                "health write probe",
                "put_item",
                TableName=self.users_table,
                Item={"user_id": {"S": HEALTH_PROBE_ID}, "written_at": {"S": _now()}},
                client=probe,
            )
            return "ok"
        except StoreError as exc:
            return exc.reason
        except Exception:  # noqa: BLE001 - health reports, never raises (e.g. a bad client config)
            return "error"

    def create_tables(self) -> None:
        """Create both tables as deploy/template.yaml does (on-demand, TTL on history), and
        wait until they are active: for tests, DynamoDB Local and self-hosting without SAM."""
        from botocore.exceptions import ClientError

        for name, keys in ((self.users_table, ("user_id",)), (self.history_table, ("user_id", "finished"))):
            try:
                self._create_table(name, keys)
            except StoreError as exc:  # already there (or created by a retried call): fine
                if not isinstance(exc.__cause__, ClientError) or "ResourceInUse" not in str(exc):
                    raise
        for name in (self.users_table, self.history_table):
            self.client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.1})
        self._call(
            "enabling TTL",
            "update_time_to_live",
            TableName=self.history_table,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"},
        )

    def _create_table(self, name: str, keys: tuple[str, ...]) -> None:
        self._call(
            f"creating table {name}",
            "create_table",
            TableName=name,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"} for k in keys],
            KeySchema=[
                {"AttributeName": k, "KeyType": "HASH" if i == 0 else "RANGE"} for i, k in enumerate(keys)
            ],
        )
