"""Both stores keep the same promises: no lost update, deletion is total and final, history
is ordered and pruned. SQLite is a real file; DynamoDB is moto's server over real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from heel_coach.catalogue.model import Catalogue
from heel_coach.console.client import VoiceClient, flask_transport
from heel_coach.console.envelopes import Device
from heel_coach.persistence.factory import create_store
from heel_coach.persistence.sqlite_store import SqliteStore
from heel_coach.persistence.store import FinishedRoutine, UserStore
from heel_coach.settings import Settings
from heel_coach.web.app import create_app
from tests.stores import (
    STORE_KINDS,
    increment_concurrently,
    put_raw_history,
    raw_history,
    row_counts,
    settings_for,
)

USER = "amzn1.ask.account.CONTRACT"


@pytest.fixture(params=STORE_KINDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    return settings_for(request.param, tmp_path, request)


@pytest.fixture
def store(settings: Settings) -> Iterator[UserStore]:
    s = create_store(settings)
    try:
        yield s
    finally:
        s.close()


def quick_routine(day: date) -> FinishedRoutine:
    """The quick routine finished at 08:00 UTC on ``day``."""
    return FinishedRoutine(
        routine_id="quick",
        local_date=day,
        finished_at=datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=8),
        duration_s=240,
        exercises_done=["calf-stretch"],
        exercises_skipped=[],
    )


def finished(store: UserStore, day: date, user: str = USER, **kwargs: Any) -> None:
    store.record_session(user, quick_routine(day), **kwargs)


def test_concurrent_read_modify_writes_lose_no_update(store: UserStore) -> None:
    assert increment_concurrently(store, threads=4, per_thread=10) == []
    assert store.get_attributes("shared") == {"n": 40}


def test_two_requests_that_loaded_the_same_state_keep_both_changes(store: UserStore) -> None:
    store.save_attributes(USER, {"profile": {"foot": "left", "focus": "a"}, "routine": {"position": 1}})
    base = store.get_attributes(USER)
    store.save_attributes(USER, {**base, "routine": {"position": 2}}, base=base)
    store.save_attributes(
        USER, {**base, "profile": {"foot": "left", "focus": "b"}, "time_zone": "Europe/Berlin"}, base=base
    )
    assert store.get_attributes(USER) == {
        "profile": {"foot": "left", "focus": "b"},
        "routine": {"position": 2},
        "time_zone": "Europe/Berlin",
    }


def test_two_new_users_requests_both_land(store: UserStore) -> None:
    store.save_attributes(USER, {"profile": {"foot": "left"}}, base={})
    store.save_attributes(USER, {"reminders": {"items": []}}, base={})
    assert store.get_attributes(USER) == {"profile": {"foot": "left"}, "reminders": {"items": []}}


def test_a_request_racing_a_deletion_does_not_bring_the_user_back(store: UserStore) -> None:
    store.save_attributes(USER, {"routine": {"position": 1}})
    base = store.get_attributes(USER)
    store.delete_user(USER)
    store.save_attributes(USER, {"routine": {"position": 2}}, base=base)
    finished(store, date(2026, 3, 1), attributes={"routine": None}, base=base)
    assert store.get_attributes(USER) == {}
    assert row_counts(store, USER) == {"users": 0, "sessions": 0}


def test_finishing_merges_state_and_appends_history_together(store: UserStore) -> None:
    store.save_attributes(USER, {"routine": {"position": 3}, "progress": {}})
    base = store.get_attributes(USER)
    store.save_attributes(USER, {**base, "time_zone": "Pacific/Auckland"}, base=base)
    finished(store, date(2026, 3, 1), attributes={**base, "routine": None}, base=base)
    assert store.get_attributes(USER) == {"routine": None, "progress": {}, "time_zone": "Pacific/Auckland"}
    assert [s.routine_id for s in store.list_sessions(USER)] == ["quick"]


def test_history_is_ordered_filtered_pruned_and_deleted_per_user(store: UserStore) -> None:
    for day in (date(2026, 3, 5), date(2024, 1, 1), date(2026, 3, 1)):
        finished(store, day)
    finished(store, date(2024, 1, 1), user="someone-else")
    assert [s.local_date for s in store.list_sessions(USER)] == [
        date(2024, 1, 1),
        date(2026, 3, 1),
        date(2026, 3, 5),
    ]
    assert [s.local_date for s in store.list_sessions(USER, since=date(2026, 3, 2))] == [date(2026, 3, 5)]
    record = store.list_sessions(USER)[0]
    assert (record.user_id, record.duration_s, record.exercises_done) == (USER, 240, ("calf-stretch",))
    assert store.prune_sessions(date(2025, 1, 1), user_id=USER) == 1
    assert len(store.list_sessions("someone-else")) == 1
    store.save_attributes(USER, {"profile": {}})
    store.delete_user(USER)
    assert row_counts(store, USER) == {"users": 0, "sessions": 0}
    assert row_counts(store, "someone-else") == {"users": 0, "sessions": 1}


def test_a_finished_routine_is_checked_before_it_can_reach_a_store() -> None:
    with pytest.raises(ValueError):
        quick_routine(datetime(2026, 3, 1, tzinfo=UTC))


# One finished routine as both stores have written it since history was first kept (SQLite
# sessions row, DynamoDB history item): rows already stored must keep loading, and new ones
# must be written the same way.
SQLITE_ROW = {
    "routine_id": "quick",
    "local_date": "2026-03-01",
    "finished_at": "2026-03-01T08:00:00.000000+00:00",
    "duration_s": 240,
    "exercises_done": '["calf-stretch"]',
    "exercises_skipped": "[]",
    "mode": "step",
}
DYNAMO_ITEM = {
    "finished": {"S": "2026-03-01#2026-03-01T08:00:00+00:00#0a1b2c3d"},
    "id": {"N": "1772352000000000"},
    "routine_id": {"S": "quick"},
    "local_date": {"S": "2026-03-01"},
    "finished_at": {"S": "2026-03-01T08:00:00.000000+00:00"},
    "duration_s": {"N": "240"},
    "exercises_done": {"L": [{"S": "calf-stretch"}]},
    "exercises_skipped": {"L": []},
    "mode": {"S": "step"},
    "expires_at": {"N": "1806969600"},
}


def test_history_is_written_in_the_format_already_stored(store: UserStore) -> None:
    finished(store, date(2026, 3, 1))
    [row] = raw_history(store, USER)
    if isinstance(store, SqliteStore):
        assert {k: v for k, v in row.items() if k != "id"} == {"user_id": USER, **SQLITE_ROW}
    else:
        key = row["finished"]["S"].rsplit("#", 1)[0]
        assert key == DYNAMO_ITEM["finished"]["S"].rsplit("#", 1)[0]
        assert {k: v for k, v in row.items() if k != "finished"} == {
            "user_id": {"S": USER},
            **{k: v for k, v in DYNAMO_ITEM.items() if k != "finished"},
        }


def test_history_stored_before_loads(store: UserStore) -> None:
    store.open()  # the schema is there, as in a deployed store
    if isinstance(store, SqliteStore):
        put_raw_history(store, {"user_id": USER, **SQLITE_ROW})
    else:
        put_raw_history(store, {"user_id": {"S": USER}, **DYNAMO_ITEM})
    [record] = store.list_sessions(USER)
    assert (record.user_id, record.routine_id, record.local_date, record.finished_at) == (
        USER,
        "quick",
        date(2026, 3, 1),
        datetime(2026, 3, 1, 8, tzinfo=UTC),
    )
    assert (record.duration_s, record.exercises_done, record.exercises_skipped, record.mode) == (
        240,
        ("calf-stretch",),
        (),
        "step",
    )


class GatedStore:
    """The real store, but every load of the gated user waits until ``parties`` requests have
    loaded: so concurrent requests really do start from the same state."""

    def __init__(self, store: UserStore, user_id: str, parties: int) -> None:
        self._store = store
        self._user_id = user_id
        self.barrier = threading.Barrier(parties, timeout=20)
        self.armed = False

    def get_attributes(self, user_id: str) -> dict[str, Any]:
        attributes = self._store.get_attributes(user_id)
        if self.armed and user_id == self._user_id:
            self.barrier.wait()
        return attributes

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_two_requests_of_one_user_at_once_lose_nothing(settings: Settings, catalogue: Catalogue) -> None:
    """One device walks a routine while another answers the progression offer: both at once,
    both having loaded the same stored state. Both changes must be stored."""
    store = create_store(settings)
    user = "amzn1.ask.account.TWODEVICES"
    gated = GatedStore(store, user, parties=2)
    app: Flask = create_app(settings, catalogue=catalogue, store=gated)  # type: ignore[arg-type]
    kitchen = VoiceClient.for_locale(flask_transport(app), device=Device(user_id=user))
    bedroom = VoiceClient.for_locale(flask_transport(app), device=Device(user_id=user))
    kitchen.launch()
    kitchen.say("start the quick routine")
    kitchen.say("left")
    kitchen.say("ready")
    bedroom.launch()
    offer = bedroom.say("that was easy")
    assert "next time" in offer.text.lower() or not offer.ends_session, offer.text
    before = store.get_attributes(user)

    gated.armed = True
    replies: dict[str, str] = {}
    threads = [
        threading.Thread(target=lambda: replies.__setitem__("kitchen", kitchen.say("next").text)),
        threading.Thread(target=lambda: replies.__setitem__("bedroom", bedroom.say("yes").text)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    gated.armed = False

    after = store.get_attributes(user)
    assert after["routine"]["position"] == before["routine"]["position"] + 1, replies
    assert after.get("progression") and after.get("progression") != before.get("progression"), replies
    store.close()


def test_the_health_write_probe_writes_and_is_never_a_user(store: UserStore) -> None:
    """/healthz's write probe commits a real write on either store, and leaves no user behind."""
    assert store.health() is True
    assert store.write_health(250) == "ok"
    assert store.write_health(250) == "ok"  # rewritten, not refused as a duplicate
    assert store.count_users() == 0
    store.save_attributes(USER, {"n": 1})
    assert store.count_users() == 1
