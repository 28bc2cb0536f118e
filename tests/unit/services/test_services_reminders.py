"""RemindersClient end to end over HTTPS loopback against the fake Alexa API."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from heel_coach.errors import ServiceError
from heel_coach.reminders.schedule import ReminderSchedule
from heel_coach.services.api_client import TimeoutApiClient, call_api
from heel_coach.services.reminders import Reminder, RemindersClient, build_reminder_request
from tests.fakes.alexa_api import TOKEN, FakeAlexaApi

NOW = datetime(2024, 5, 1, 6, 30, 15, 123000)  # naive local time in the user's zone


@pytest.fixture
def reminders(fake: FakeAlexaApi, api_client: TimeoutApiClient) -> RemindersClient:
    return RemindersClient(api_client, fake.endpoint, TOKEN)


def schedule(**overrides: Any) -> ReminderSchedule:
    """A daily 07:00 Berlin reminder asked for at ``NOW``, with ``overrides``."""
    args: dict[str, Any] = dict(
        hour=7,
        minute=0,
        days=None,
        time_zone="Europe/Berlin",
        text="Time for your heel stretches",
        locale="en-US",
        now=NOW,
    )
    args.update(overrides)
    return ReminderSchedule(**args)


def _create(client: RemindersClient, **overrides: Any) -> Reminder:
    return client.save_daily(schedule(**overrides))


def test_create_sends_exactly_the_documented_body(fake: FakeAlexaApi, reminders: RemindersClient) -> None:
    created = _create(reminders)
    sent = fake.requests[-1]
    assert (sent.method, sent.path) == ("POST", "/v1/alerts/reminders")
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"
    assert sent.json == {
        "requestTime": "2024-05-01T06:30:15.123",
        "trigger": {
            "type": "SCHEDULED_ABSOLUTE",
            "timeZoneId": "Europe/Berlin",
            "recurrence": {
                "startDateTime": "2024-05-01T07:00:00.000",
                "recurrenceRules": ["FREQ=DAILY;BYHOUR=7;BYMINUTE=0;BYSECOND=0;INTERVAL=1;"],
            },
        },
        "alertInfo": {
            "spokenInfo": {"content": [{"locale": "en-US", "text": "Time for your heel stretches"}]}
        },
        "pushNotification": {"status": "ENABLED"},
    }
    assert created == Reminder(
        alert_token=created.alert_token,
        hour=7,
        minute=0,
        days=None,
        time_zone="Europe/Berlin",
        text="Time for your heel stretches",
        status="ON",
    )
    assert [r["alertToken"] for r in fake.reminders_for(TOKEN)] == [created.alert_token]


def test_weekly_days_are_ordered_and_start_is_never_in_the_past(
    fake: FakeAlexaApi, reminders: RemindersClient
) -> None:
    created = _create(reminders, hour=6, minute=5, days=("WE", "MO", "we"))
    trigger = fake.requests[-1].json["trigger"]
    assert trigger["recurrence"] == {
        "startDateTime": "2024-05-02T06:05:00.000",  # 06:05 already passed at 06:30
        "recurrenceRules": ["FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=6;BYMINUTE=5;BYSECOND=0;INTERVAL=1;"],
    }
    assert created.days == ("MO", "WE")


def test_aware_now_is_converted_to_the_reminder_zone() -> None:
    utc_now = datetime(2024, 5, 1, 4, 30, tzinfo=ZoneInfo("UTC"))  # 06:30 in Berlin (CEST)
    body = build_reminder_request(schedule(text="x", now=utc_now))
    assert body["requestTime"] == "2024-05-01T06:30:00.000"
    assert body["trigger"]["recurrence"]["startDateTime"] == "2024-05-01T07:00:00.000"


def test_round_trip_create_list_update_get_delete(fake: FakeAlexaApi, reminders: RemindersClient) -> None:
    first = _create(reminders)
    second = _create(reminders, hour=19, minute=30, days=("SA", "SU"), text="Evening roll")
    assert sorted(reminders.list(), key=lambda r: r.hour) == [first, second]

    updated = reminders.save_daily(
        schedule(
            hour=8,
            minute=15,
            days=("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
            time_zone="America/Los_Angeles",
            text="Morning stretch",
        ),
        first.alert_token,
    )
    assert fake.requests[-1].method == "PUT"
    assert updated.alert_token == first.alert_token
    assert (updated.hour, updated.minute, updated.days) == (8, 15, None)  # all 7 days = daily
    assert reminders.get(first.alert_token) == updated
    stored = {r["alertToken"]: r for r in fake.reminders_for(TOKEN)}
    assert stored[first.alert_token]["version"] == "2"

    reminders.delete(first.alert_token)
    assert reminders.list() == [second]
    with pytest.raises(ServiceError) as gone:
        reminders.delete(first.alert_token)
    assert (gone.value.status, gone.value.code) == (404, "not_found")


def test_reminders_are_per_user(fake: FakeAlexaApi, api_client: TimeoutApiClient) -> None:
    fake.grant("out-of-session", user_id=f"user-of-{TOKEN}")
    fake.grant("someone-else")
    _create(RemindersClient(api_client, fake.endpoint, TOKEN))
    assert len(RemindersClient(api_client, fake.endpoint, "out-of-session").list()) == 1
    assert RemindersClient(api_client, fake.endpoint, "someone-else").list() == []


@pytest.mark.parametrize(
    ("status", "api_code", "expected"),
    [
        (400, "INVALID_TRIGGER", "invalid"),
        (401, "UNAUTHORIZED", "permission_missing"),
        (403, "NO_PERMISSION", "permission_missing"),
        (403, "DEVICE_NOT_SUPPORTED", "forbidden"),
        (404, "ALERT_NOT_FOUND", "not_found"),
        (409, "CONFLICT", "conflict"),
        (429, "TOO_MANY_REQUESTS", "rate_limited"),
        (500, "INTERNAL_SERVER_ERROR", "server_error"),
        (503, "SERVICE_UNAVAILABLE", "server_error"),
        (504, "GATEWAY_TIMEOUT", "server_error"),
        (418, "TEAPOT", "unexpected"),
    ],
)
def test_error_statuses_map_to_stable_codes(
    fake: FakeAlexaApi, reminders: RemindersClient, status: int, api_code: str, expected: str
) -> None:
    fake.fail_next("/v1/alerts/reminders", status, api_code)
    with pytest.raises(ServiceError) as err:
        _create(reminders)
    assert (err.value.status, err.value.code) == (status, expected)
    assert api_code in str(err.value)
    assert reminders.list() == []  # the fault was one-shot and nothing was stored


def test_token_without_reminders_permission(fake: FakeAlexaApi, api_client: TimeoutApiClient) -> None:
    fake.grant("no-consent", scopes=())
    client = RemindersClient(api_client, fake.endpoint, "no-consent")
    for call in (client.list, lambda: _create(client)):
        with pytest.raises(ServiceError) as err:
            call()
        assert (err.value.status, err.value.code) == (401, "permission_missing")


def test_timeout_and_unreachable(fake: FakeAlexaApi, fast_client: TimeoutApiClient) -> None:
    fake.delay_next(30)
    with pytest.raises(ServiceError) as slow:
        RemindersClient(fast_client, fake.endpoint, TOKEN).list()
    assert (slow.value.status, slow.value.code) == (0, "timeout")
    with pytest.raises(ServiceError) as plain:
        RemindersClient(fast_client, fake.endpoint.replace("https", "http"), TOKEN).list()
    assert plain.value.code == "unreachable"


@pytest.mark.parametrize(
    "overrides",
    [
        {"hour": 24},
        {"minute": -1},
        {"days": ()},
        {"days": ("XX",)},
        {"time_zone": "Mars/Olympus"},
        {"text": "  "},
    ],
)
def test_bad_input_is_rejected_before_any_call(
    fake: FakeAlexaApi, reminders: RemindersClient, overrides: dict[str, object]
) -> None:
    with pytest.raises(ServiceError) as err:
        _create(reminders, **overrides)
    assert (err.value.status, err.value.code) == (0, "invalid")
    assert fake.requests == []


def test_fake_rejects_zone_suffixed_times(fake: FakeAlexaApi, api_client: TimeoutApiClient) -> None:
    body = build_reminder_request(schedule(text="x"))
    body["trigger"]["recurrence"]["startDateTime"] = "2024-05-01T07:00:00.000Z"
    with pytest.raises(ServiceError) as err:
        call_api(api_client, "POST", fake.endpoint + "/v1/alerts/reminders", TOKEN, "t", body)
    assert (err.value.status, err.value.code) == (400, "invalid")
    assert "INVALID_TRIGGER_SCHEDULED_TIME_FORMAT" in str(err.value)
    del body["trigger"]
    with pytest.raises(ServiceError, match="INVALID_TRIGGER"):
        call_api(api_client, "POST", fake.endpoint + "/v1/alerts/reminders", TOKEN, "t", body)
    assert fake.reminders_for(TOKEN) == []


def test_list_reads_legacy_reminders_and_skips_unknown_shapes(
    fake: FakeAlexaApi, api_client: TimeoutApiClient, reminders: RemindersClient
) -> None:
    url = fake.endpoint + "/v1/alerts/reminders"
    alert = {"alertInfo": {"spokenInfo": {"content": [{"locale": "en-US", "text": "old"}]}}}
    legacy = {
        "trigger": {
            "type": "SCHEDULED_ABSOLUTE",
            "scheduledTime": "2024-05-02T21:45:00",
            "timeZoneId": "Europe/Berlin",
            "recurrence": {"freq": "WEEKLY", "byDay": ["FR"]},
        },
        **alert,
    }
    relative = {"trigger": {"type": "SCHEDULED_RELATIVE", "offsetInSeconds": 600}, **alert}
    call_api(api_client, "POST", url, TOKEN, "legacy", legacy)
    call_api(api_client, "POST", url, TOKEN, "relative", relative)
    (only,) = reminders.list()
    assert (only.hour, only.minute, only.days, only.text) == (21, 45, ("FR",), "old")
