"""What every store (SQLite, DynamoDB) offers, its error type, and the merge that keeps
concurrent requests of one user from losing each other's changes.

Pure: no SQLite, no boto3. A store saves a request's attributes *against the attributes that
request loaded* (``base``): if the stored value is still ``base`` it is replaced; if another
request changed it meanwhile, the three versions are merged key by key (ours wins only where
we changed something) and the write is tried again. A user deleted meanwhile stays deleted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from heel_coach.errors import StorageError

__all__ = [
    "HISTORY_DAYS",
    "REASONS",
    "SessionRecord",
    "StoreError",
    "UserStore",
    "FinishedRoutine",
    "attributes_digest",
    "dump_attributes",
    "merge_attributes",
]

HISTORY_DAYS = 400
"""Routine history kept (docs/privacy.md); older sessions are deleted, never read or spoken."""

REASONS = frozenset({"locked", "full", "unavailable", "corrupt", "error"})


class StoreError(StorageError):
    """A storage failure with a short machine-readable ``reason`` so callers can pick the speech.

    ``reason`` is one of ``locked``, ``full``, ``unavailable``, ``corrupt``, ``error``.
    """

    def __init__(self, reason: str, message: str) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown storage error reason {reason!r}")
        self.reason = reason
        super().__init__(f"{message} [{reason}]")


@dataclass(frozen=True)
class SessionRecord:
    """One finished routine, as stored; lists become tuples so records stay immutable."""

    id: int
    user_id: str
    routine_id: str
    local_date: date
    finished_at: datetime
    duration_s: int
    exercises_done: tuple[str, ...]
    exercises_skipped: tuple[str, ...]
    mode: str


@dataclass(frozen=True)
class FinishedRoutine:
    """A finished routine as the skill reports it to ``UserStore.record_session``: checked when
    built (bad fields are caller bugs, so ValueError), so no store can be handed a bad one;
    each store turns it into its own row or item."""

    routine_id: str
    local_date: date
    finished_at: datetime
    duration_s: int
    exercises_done: Sequence[str]
    """Stored as a tuple (after the check: a string is refused, not split into letters)."""
    exercises_skipped: Sequence[str]
    mode: str = "step"

    def __post_init__(self) -> None:
        local_date, finished_at, duration_s = self.local_date, self.finished_at, self.duration_s
        if isinstance(local_date, datetime) or not isinstance(local_date, date):
            raise ValueError("local_date must be a datetime.date (the user's local calendar day)")
        if finished_at.tzinfo is None or finished_at.utcoffset() is None:
            raise ValueError("finished_at must be timezone-aware")
        if isinstance(duration_s, bool) or not isinstance(duration_s, int) or duration_s < 0:
            raise ValueError("duration_s must be a non-negative int")
        for items in (self.exercises_done, self.exercises_skipped):
            if isinstance(items, str) or not all(isinstance(i, str) for i in items):
                raise ValueError("exercises_done/exercises_skipped must be lists of exercise ids")
        if not self.routine_id or not self.mode:
            raise ValueError("routine_id and mode must be non-empty")
        object.__setattr__(self, "exercises_done", tuple(self.exercises_done))
        object.__setattr__(self, "exercises_skipped", tuple(self.exercises_skipped))


def dump_attributes(value: object, what: str) -> str:
    """Canonical compact JSON: identical state gives identical text (so it can be compared)."""
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise StoreError("error", f"{what} is not JSON-serialisable: {exc}") from exc


def attributes_digest(text: str) -> str:
    """The version a conditional write checks: a digest of the canonical JSON, so a request
    can name the version it loaded from the attributes alone (no counter to carry around).
    hashlib is imported here: only DynamoDB's conditional writes need it, and OpenSSL's
    start-up would otherwise be in every cold start (~11 M instructions)."""
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def merge_attributes(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any] | None
) -> dict[str, Any] | None:
    """Three-way merge of a user's attributes; None when the user was deleted meanwhile.

    ``base`` is what this request loaded, ``ours`` what it wants to write, ``theirs`` what is
    stored now (None: no row). Keys we did not change keep their value; keys we changed or
    removed take ours; nested objects merge the same way. A non-empty ``base`` with no row
    means the user's data was deleted during the request: the write is dropped.
    """
    if theirs is None:
        return None if base else dict(ours)
    merged = dict(theirs)
    for key in base.keys() | ours.keys():
        if key not in ours:
            merged.pop(key, None)  # we removed it
            continue
        mine, was, now = ours[key], base.get(key), theirs.get(key)
        if key in base and mine == was:
            continue  # unchanged by us: theirs stands
        if type(mine) is dict and type(was) is dict and type(now) is dict:
            merged[key] = merge_attributes(was, mine, now)
        else:
            merged[key] = mine
    return merged


class UserStore(Protocol):
    """The storage the skill needs: a user's attributes and routine history.

    Writes that name a ``base`` never lose a concurrent request's change (see the module
    docstring); ``delete_user`` removes every item of the user.
    """

    def open(self) -> None: ...

    def close(self) -> None: ...

    def release_thread(self) -> None: ...

    def health(self) -> bool: ...

    def write_health(self, timeout_ms: int = 250) -> str:
        """Commit a tiny write within about ``timeout_ms``; "ok" or the StoreError reason."""
        ...

    def get_attributes(self, user_id: str) -> dict[str, Any]: ...

    def save_attributes(
        self, user_id: str, attributes: dict[str, Any], *, base: dict[str, Any] | None = None
    ) -> None: ...

    def update_attributes(
        self, user_id: str, fn: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> dict[str, Any]: ...

    def delete_user(self, user_id: str) -> None: ...

    def count_users(self) -> int: ...

    def record_session(
        self,
        user_id: str,
        routine: FinishedRoutine,
        *,
        attributes: dict[str, Any] | None = None,
        base: dict[str, Any] | None = None,
    ) -> None:
        """Append ``routine`` to the user's history; with ``attributes`` the user's state is
        written in the same transaction (both land or neither), merged against ``base`` when
        given (a user deleted meanwhile gets neither)."""
        ...

    def prune_sessions(self, older_than: date, *, user_id: str | None = None) -> int: ...

    def list_sessions(self, user_id: str, *, since: date | None = None) -> list[SessionRecord]: ...
