"""The user's data kept safe: skill events, "delete my data", and logs that identify nobody."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask

from heel_coach.console.client import Heard, VoiceClient, flask_transport
from heel_coach.console.envelopes import Device
from heel_coach.persistence.store import FinishedRoutine
from heel_coach.settings import Settings
from tests.fakes.alexa_api import FakeAlexaApi
from tests.helpers import finish_quick_routine as finish_quick_routine_to_the_end
from tests.stores import STORE_KINDS, row_counts, settings_for

TOKEN = "secret-api-access-token-1234"
CONSENT = "secret-consent-token-5678"


@pytest.fixture
def api_token() -> str:
    """A token that looks secret: the logs must never show it."""
    return TOKEN


@pytest.fixture
def app(api_app: Flask) -> Flask:
    return api_app


@pytest.fixture
def alexa(app: Flask, fake: FakeAlexaApi) -> VoiceClient:
    device = Device(api_endpoint=fake.endpoint, api_access_token=TOKEN, permissions_token=CONSENT)
    fake.set_time_zone(device.device_id, "Pacific/Auckland")
    return VoiceClient.for_locale(flask_transport(app), device=device)


@pytest.fixture(params=STORE_KINDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Every privacy test runs on both stores."""
    return settings_for(request.param, tmp_path, request)


def rows(app: Flask, user_id: str) -> dict[str, int]:
    return row_counts(app.extensions["heelcoach"].store, user_id)


def event(alexa: VoiceClient, kind: str) -> Heard:
    body = {
        "type": f"AlexaSkillEvent.{kind}",
        "eventCreationTime": "2025-03-12T15:00:00Z",
        "eventPublishingTime": "2025-03-12T15:00:01Z",
        "body": {},
    }
    return alexa.send(alexa.device.raw(body, session=False))


def finish_quick_routine(alexa: VoiceClient) -> Heard:
    heard = finish_quick_routine_to_the_end(alexa)
    assert "That's the end" in heard.text
    return heard


def test_skill_disabled_leaves_no_row_behind(app: Flask, alexa: VoiceClient) -> None:
    finish_quick_routine(alexa)
    user = alexa.device.user_id
    assert rows(app, user) == {"users": 1, "sessions": 1}
    heard = event(alexa, "SkillDisabled")
    assert heard.status == 200 and "outputSpeech" not in heard.response
    assert rows(app, user) == {"users": 0, "sessions": 0}


def test_other_skill_events_are_silent_and_store_nothing(alexa: VoiceClient, app: Flask) -> None:
    for kind in ("SkillEnabled", "SkillPermissionAccepted", "SkillPermissionChanged"):
        heard = event(alexa, kind)
        assert heard.status == 200 and "outputSpeech" not in heard.response
    assert rows(app, alexa.device.user_id) == {"users": 0, "sessions": 0}


def test_delete_my_data_asks_first(alexa: VoiceClient, app: Flask) -> None:
    finish_quick_routine(alexa)
    alexa.launch()
    heard = alexa.say("delete my data")
    assert "Shall I delete your data?" in heard.text and not heard.ends_session
    assert "haven't deleted anything" in alexa.say("no").text
    assert rows(app, alexa.device.user_id) == {"users": 1, "sessions": 1}
    alexa.say("delete my data")
    heard = alexa.say("yes")
    assert "I've deleted everything" in heard.text and heard.ends_session
    assert rows(app, alexa.device.user_id) == {"users": 0, "sessions": 0}


def test_nothing_identifying_is_logged(
    alexa: VoiceClient, app: Flask, fake: FakeAlexaApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    store = app.extensions["heelcoach"].store
    now = datetime.now(UTC)
    store.record_session(
        alexa.device.user_id,
        FinishedRoutine(
            "strength", now.date(), now, duration_s=60, exercises_done=["toe-raise"], exercises_skipped=[]
        ),
    )
    finish_quick_routine(alexa)
    alexa.launch()
    for text in (
        "how am I doing",
        "remind me every day at seven am",
        "yes",
        "what reminders do I have",
        "move my reminder to eight am",
        "yes",
        "that was easy",
        "yes",
        "cancel my reminder",
        "yes",
    ):
        alexa.say(text)
    fake.fail_next("/v1/alerts/reminders", 500, "INTERNAL_ERROR")
    alexa.say("remind me every day at seven am")
    alexa.say("yes")
    alexa.say("delete my data")
    alexa.say("yes")
    event(alexa, "SkillDisabled")
    assert caplog.records  # the request log is there, so we did capture
    secrets = (
        alexa.device.user_id,
        alexa.device.device_id,
        TOKEN,
        CONSENT,
        "amzn1.ask.account",
        "toe-raise",
        "sole-roll",
        "Pacific/Auckland",
    )
    for record in caplog.records:
        if record.levelno < logging.INFO:
            continue
        text = record.getMessage() + (caplog.text if record.exc_info else "")
        for secret in secrets:
            assert secret not in text, (record.name, text)
