"""Hostile input at POST /alexa: whatever arrives, the answer is a 400 with a JSON reason or a
200 with a valid Alexa response; never a 500 or a traceback, and a rejected request never
changes the database.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heel_coach.console.envelopes import Device, SlotFill
from heel_coach.settings import Settings
from heel_coach.web.app import create_app

pytestmark = pytest.mark.slow

MAX_BODY = 16 * 1024
FUZZ = settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
slot_values = st.one_of(
    st.text(max_size=60),
    st.just(""),
    st.text(min_size=2000, max_size=3000),
    st.just("\u202e\U0001f9b6\u0000\ud7ff"),
    json_values,
)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    db = tmp_path_factory.mktemp("fuzz") / "heelcoach.sqlite3"
    application = create_app(
        Settings(db_path=db, verify_signatures=False, verify_timestamps=False, max_body_bytes=MAX_BODY)
    )
    yield application
    application.extensions["heelcoach"].store.close()


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="module")
def device() -> Device:
    return Device(user_id="amzn1.ask.account.FUZZ")


def users_dump(app: Flask) -> list[tuple[Any, ...]]:
    db = app.extensions["heelcoach"].settings.db_path
    if not Path(db).exists():
        return []
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT * FROM users ORDER BY user_id").fetchall()


def check(app: Flask, client: FlaskClient, body: bytes) -> int:
    before = users_dump(app)
    response = client.post("/alexa", data=body, headers={"Content-Type": "application/json"})
    raw = response.get_data()
    assert response.status_code in (200, 400), (response.status_code, raw[:300])
    assert b"Traceback" not in raw
    payload = json.loads(raw)
    assert isinstance(payload, dict)
    if response.status_code == 400:
        assert isinstance(payload.get("error"), str) and payload["error"]
        assert users_dump(app) == before, "a rejected request changed the database"
    else:
        assert isinstance(payload.get("version"), str)
        assert isinstance(payload.get("response"), dict)
    return response.status_code


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key/index path inside a JSON document (the root excluded)."""
    out: list[tuple[Any, ...]] = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        out.append((*prefix, key))
        out.extend(paths(child, (*prefix, key)))
    return out


def envelopes(device: Device) -> list[dict[str, Any]]:
    return [
        device.launch(),
        device.intent(
            "StartRoutineIntent", {"Routine": SlotFill("quick routine", "quick", "quick routine", "ROUTINE")}
        ),
        device.intent("ChooseFootIntent", {"Foot": SlotFill("both", "both", "both feet", "FOOT")}),
        device.intent("AMAZON.NextIntent"),
        device.audio_event("AudioPlayer.PlaybackNearlyFinished", token="t", offset_ms=1),
        device.session_ended(),
    ]


@FUZZ
@given(data=st.data())
def test_mutated_envelopes_never_crash(
    app: Flask, client: FlaskClient, device: Device, data: st.DataObject
) -> None:
    envelope = copy.deepcopy(data.draw(st.sampled_from(envelopes(device))))
    for _ in range(data.draw(st.integers(1, 3))):
        where = data.draw(st.sampled_from(paths(envelope)))
        parent = envelope
        for key in where[:-1]:
            parent = parent[key]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[where[-1]]
        else:
            parent[where[-1]] = data.draw(json_values)
        if not paths(envelope):
            break
    check(app, client, json.dumps(envelope).encode())


@FUZZ
@given(
    slot_name=st.sampled_from(["Routine", "Foot", "Exercise", "Focus", "Other"]),
    intent=st.sampled_from(
        [
            "StartRoutineIntent",
            "ChooseFootIntent",
            "DescribeExerciseIntent",
            "AMAZON.NextIntent",
            "NoSuchIntent",
        ]
    ),
    value=slot_values,
    resolution=st.one_of(st.none(), json_values, st.text(max_size=30)),
)
def test_slot_values_of_every_shape(
    app: Flask, client: FlaskClient, device: Device, slot_name: str, intent: str, value: Any, resolution: Any
) -> None:
    envelope = device.intent(intent)
    slot: dict[str, Any] = {"name": slot_name, "value": value, "confirmationStatus": "NONE"}
    if resolution is not None:
        slot["resolutions"] = {
            "resolutionsPerAuthority": [
                {
                    "authority": "x",
                    "status": {"code": "ER_SUCCESS_MATCH"},
                    "values": [{"value": {"name": resolution, "id": resolution}}],
                }
            ]
        }
    envelope["request"]["intent"]["slots"] = {slot_name: slot}
    check(app, client, json.dumps(envelope).encode())


@settings(max_examples=150, deadline=None)
@given(
    body=st.one_of(
        st.binary(max_size=512),
        st.text(max_size=200).map(str.encode),
        json_values.map(lambda v: json.dumps(v).encode()),
    )
)
def test_malformed_bodies_are_400(app: Flask, client: FlaskClient, body: bytes) -> None:
    assert check(app, client, body) == 400


@settings(max_examples=40, deadline=None)
@given(request_type=st.text(min_size=1, max_size=60))
def test_unknown_request_types(app: Flask, client: FlaskClient, device: Device, request_type: str) -> None:
    envelope = device.raw({"type": request_type})
    status = check(app, client, json.dumps(envelope).encode())
    if status == 400:
        return
    assert request_type.startswith(
        (
            "Alexa",
            "AudioPlayer",
            "Connections",
            "Display",
            "GameEngine",
            "Messaging",
            "PlaybackController",
            "Session",
            "Launch",
            "Intent",
            "CanFulfill",
            "Dialog",
            "System",
            "Reminders",
            "Skill",
            "Alexa.",
        )
    )


def test_huge_bodies_are_refused(app: Flask, client: FlaskClient, device: Device) -> None:
    envelope = device.launch()
    envelope["padding"] = "x" * (MAX_BODY + 1)
    before = users_dump(app)
    response = client.post("/alexa", data=json.dumps(envelope).encode())
    assert response.status_code == 400
    assert response.get_json()["error"] == "body_too_large"
    assert users_dump(app) == before
    deep = ("[" * 5000 + "]" * 5000).encode()
    assert check(app, client, deep) == 400
