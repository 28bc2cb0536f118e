"""Device time zone lookup over HTTPS loopback against the fake Alexa Settings API."""

from __future__ import annotations

import pytest

from heel_coach.errors import ServiceError
from heel_coach.services.api_client import TimeoutApiClient
from heel_coach.services.settings_api import get_time_zone
from tests.fakes.alexa_api import TOKEN, FakeAlexaApi

DEVICE = "amzn1.ask.device.AEXAMPLE/+=="


def _code(exc: pytest.ExceptionInfo[ServiceError]) -> tuple[int, str]:
    return exc.value.status, exc.value.code


def test_reads_the_device_time_zone(fake: FakeAlexaApi, api_client: TimeoutApiClient) -> None:
    fake.set_time_zone(DEVICE, "Europe/Berlin")
    assert get_time_zone(api_client, fake.endpoint, TOKEN, DEVICE) == "Europe/Berlin"
    sent = fake.requests[-1]
    assert sent.method == "GET"
    assert sent.path == ("/v2/devices/amzn1.ask.device.AEXAMPLE%2F%2B%3D%3D/settings/System.timeZone")
    assert sent.headers["authorization"] == f"Bearer {TOKEN}"


def test_needs_no_reminders_permission(fake: FakeAlexaApi, api_client: TimeoutApiClient) -> None:
    fake.grant("no-scopes", scopes=())
    fake.set_time_zone(DEVICE, "America/Los_Angeles")
    assert get_time_zone(api_client, fake.endpoint, "no-scopes", DEVICE) == "America/Los_Angeles"


def test_unset_zone_is_not_found(fake: FakeAlexaApi, api_client: TimeoutApiClient) -> None:
    with pytest.raises(ServiceError) as err:
        get_time_zone(api_client, fake.endpoint, TOKEN, "unknown-device")
    assert _code(err) == (204, "not_found")


def test_garbage_zone_is_unexpected(fake: FakeAlexaApi, api_client: TimeoutApiClient) -> None:
    fake.set_time_zone(DEVICE, "Mars/Olympus_Mons")
    with pytest.raises(ServiceError) as err:
        get_time_zone(api_client, fake.endpoint, TOKEN, DEVICE)
    assert _code(err) == (200, "unexpected")


@pytest.mark.parametrize(
    ("status", "api_code", "expected"),
    [
        (403, "INVALID_TOKEN", "forbidden"),
        (404, "INVALID_URI", "not_found"),
        (429, "TOO_MANY_REQUESTS", "rate_limited"),
        (500, "UNKNOWN_ERROR", "server_error"),
        (503, "DEVICE_UNREACHABLE", "server_error"),
    ],
)
def test_error_statuses(
    fake: FakeAlexaApi, api_client: TimeoutApiClient, status: int, api_code: str, expected: str
) -> None:
    fake.set_time_zone(DEVICE, "Europe/Berlin")
    fake.fail_next("/v2/devices/", status, api_code)
    with pytest.raises(ServiceError) as err:
        get_time_zone(api_client, fake.endpoint, TOKEN, DEVICE)
    assert _code(err) == (status, expected)
    assert get_time_zone(api_client, fake.endpoint, TOKEN, DEVICE) == "Europe/Berlin"


def test_invalid_token(fake: FakeAlexaApi, api_client: TimeoutApiClient) -> None:
    with pytest.raises(ServiceError) as err:
        get_time_zone(api_client, fake.endpoint, "never-issued", DEVICE)
    assert _code(err) == (401, "permission_missing")


def test_timeout(fake: FakeAlexaApi, fast_client: TimeoutApiClient) -> None:
    fake.set_time_zone(DEVICE, "Europe/Berlin")
    fake.delay_next(30)
    with pytest.raises(ServiceError) as err:
        get_time_zone(fast_client, fake.endpoint, TOKEN, DEVICE)
    assert _code(err) == (0, "timeout")


def test_missing_device_id(api_client: TimeoutApiClient) -> None:
    with pytest.raises(ServiceError) as err:
        get_time_zone(api_client, "https://127.0.0.1:1", TOKEN, "")
    assert _code(err) == (0, "invalid")
