"""Progress by voice: routines are recorded as they finish, and "how am I doing" counts them
in the device's time zone (read from the Settings API fake over HTTPS)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask

from heel_coach.console.client import Heard, VoiceClient, flask_transport
from heel_coach.console.envelopes import Device
from heel_coach.persistence.store import FinishedRoutine
from heel_coach.settings import Settings
from tests.fakes.alexa_api import FakeAlexaApi
from tests.helpers import finish_quick_routine

ZONE = "America/New_York"
# Wednesday 12 March 2025, 11:00 in New York (DST began on Sunday 9 March).
NOW = datetime(2025, 3, 12, 15, 0, tzinfo=UTC)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Requests here carry the moments the test chooses, days or weeks ago."""
    return replace(settings, verify_timestamps=False)


@pytest.fixture
def app(api_app: Flask) -> Flask:
    return api_app


@pytest.fixture
def alexa(app: Flask, fake: FakeAlexaApi, api_token: str) -> VoiceClient:
    device = Device(api_endpoint=fake.endpoint, api_access_token=api_token)
    fake.set_time_zone(device.device_id, ZONE)
    return VoiceClient.for_locale(flask_transport(app), device=device)


def at(alexa: VoiceClient, when: datetime, body: dict[str, Any]) -> Heard:
    body["request"]["timestamp"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return alexa.send(body)


def say_at(alexa: VoiceClient, when: datetime, intent: str, **slots: Any) -> Heard:
    return at(alexa, when, alexa.device.intent(intent, slots or None))


def record(app: Flask, alexa: VoiceClient, routine: str, finished_at: datetime) -> None:
    app.extensions["heelcoach"].store.record_session(
        alexa.device.user_id,
        FinishedRoutine(
            routine, finished_at.date(), finished_at, 300, exercises_done=["x"], exercises_skipped=[]
        ),
    )


def a_week_of_sessions(app: Flask, alexa: VoiceClient) -> None:
    record(app, alexa, "quick", datetime(2025, 3, 3, 12, 0, tzinfo=UTC))  # Mon, last week
    record(app, alexa, "quick", datetime(2025, 3, 10, 3, 30, tzinfo=UTC))  # Sun 23:30 local
    record(app, alexa, "strength", datetime(2025, 3, 10, 22, 0, tzinfo=UTC))  # Mon 18:00
    record(app, alexa, "evening-massage", datetime(2025, 3, 12, 2, 0, tzinfo=UTC))  # Tue 22:00
    record(app, alexa, "morning", datetime(2025, 3, 12, 11, 0, tzinfo=UTC))  # Wed 07:00
    record(app, alexa, "strength", datetime(2025, 3, 12, 14, 0, tzinfo=UTC))  # Wed 10:00


def test_how_am_i_doing_after_a_week(app: Flask, alexa: VoiceClient) -> None:
    a_week_of_sessions(app, alexa)
    heard = say_at(alexa, NOW, "ProgressIntent")
    assert "This week you've finished four routines on three days." in heard.text
    assert "You're on a four-day streak." in heard.text
    assert (
        "The exercise guides suggest strengthening three to five times a week; "
        "so far this week you've done twice."
    ) in heard.text
    assert "today you've stretched once" in heard.text
    assert "six to eight weeks" in heard.text
    assert not heard.ends_session


def test_streak_counts_yesterday_but_not_the_day_before(app: Flask, alexa: VoiceClient) -> None:
    record(app, alexa, "quick", datetime(2025, 3, 11, 16, 0, tzinfo=UTC))  # Tue
    assert "one-day streak" in say_at(alexa, NOW, "ProgressIntent").text
    later = datetime(2025, 3, 13, 16, 0, tzinfo=UTC)  # Thursday: Tuesday is too long ago
    assert "Today is a good day to start a new streak." in say_at(alexa, later, "ProgressIntent").text


def test_no_sessions_yet(alexa: VoiceClient) -> None:
    heard = say_at(alexa, NOW, "ProgressIntent")
    assert "You haven't finished a routine with me yet." in heard.text
    assert "two to three times a day" in heard.text


def test_finished_routine_is_recorded_in_the_local_day(app: Flask, alexa: VoiceClient) -> None:
    say_at(alexa, NOW, "ProgressIntent")  # reads and remembers the device's time zone
    late = datetime(2025, 3, 13, 3, 0, tzinfo=UTC)  # 23:00 on Wednesday in New York
    heard = finish_quick_routine(alexa, late)
    assert "That's the end of the quick routine" in heard.text
    [session] = app.extensions["heelcoach"].store.list_sessions(alexa.device.user_id)
    assert session.routine_id == "quick"
    assert session.local_date == date(2025, 3, 12)
    assert session.exercises_done and not session.exercises_skipped
    state = app.extensions["heelcoach"].store.get_attributes(alexa.device.user_id)
    assert state["routine"]["position"] > 0  # saved in the same transaction as the session


def test_the_first_finished_routine_learns_the_time_zone(
    app: Flask, alexa: VoiceClient, fake: FakeAlexaApi
) -> None:
    late = datetime(2025, 3, 13, 3, 0, tzinfo=UTC)  # 23:00 on Wednesday in New York
    finish_quick_routine(alexa, late)
    [session] = app.extensions["heelcoach"].store.list_sessions(alexa.device.user_id)
    assert session.local_date == date(2025, 3, 12)  # New York's day, not UTC's Thursday
    state = app.extensions["heelcoach"].store.get_attributes(alexa.device.user_id)
    assert state["time_zone"] == ZONE
    zone_calls = [r for r in fake.requests if "System.timeZone" in r.path]
    assert len(zone_calls) == 1


def test_weekly_summary_once_a_week_at_launch(app: Flask, alexa: VoiceClient) -> None:
    a_week_of_sessions(app, alexa)
    at(alexa, NOW, alexa.device.launch())  # first use: the disclaimer
    say_at(alexa, NOW, "ProgressIntent")  # launch uses the zone last read (no API call)
    heard = at(alexa, NOW, alexa.device.launch())
    assert "Last week: two routines on two days." in heard.text
    assert heard.text.endswith("Which routine today?")
    assert "Last week" not in at(alexa, NOW, alexa.device.launch()).text
    next_week = datetime(2025, 3, 17, 15, 0, tzinfo=UTC)
    assert "Last week: four routines" in at(alexa, next_week, alexa.device.launch()).text


def test_easy_offers_the_seeds_progression_and_remembers_it(app: Flask, alexa: VoiceClient) -> None:
    alexa.launch()
    heard = alexa.say("that was easy")
    assert "toe raises" in heard.text and "try it on one foot" in heard.text
    assert "Shall I remind you of that next time" in heard.text
    alexa.say("yes")
    extra = app.extensions["heelcoach"].store.get_attributes(alexa.device.user_id)
    assert extra["progression"] == {"toe-raise": "single-leg"}
    assert "lower your heels very slowly" in alexa.say("it felt easy").text
    alexa.say("yes")
    assert "already at the hardest step" in alexa.say("that was easy").text
    assert "right level" in alexa.say("it felt about right").text
    heard = alexa.say("that was hard")
    assert "own pace" in heard.text
    for word in ("pain", "symptom", "hurt"):
        assert word not in heard.text.lower()
