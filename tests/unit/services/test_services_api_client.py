"""TimeoutApiClient against the fake over real loopback HTTPS, incl. the ask-sdk client path."""

from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.services.api_client_request import ApiClientRequest
from ask_sdk_model.services.api_configuration import ApiConfiguration
from ask_sdk_model.services.reminder_management.alert_info import AlertInfo
from ask_sdk_model.services.reminder_management.get_reminders_response import (
    GetRemindersResponse,
)
from ask_sdk_model.services.reminder_management.push_notification import PushNotification
from ask_sdk_model.services.reminder_management.push_notification_status import (
    PushNotificationStatus,
)
from ask_sdk_model.services.reminder_management.recurrence import Recurrence
from ask_sdk_model.services.reminder_management.reminder_request import ReminderRequest
from ask_sdk_model.services.reminder_management.reminder_response import ReminderResponse
from ask_sdk_model.services.reminder_management.spoken_info import SpokenInfo
from ask_sdk_model.services.reminder_management.spoken_text import SpokenText
from ask_sdk_model.services.reminder_management.trigger import Trigger
from ask_sdk_model.services.reminder_management.trigger_type import TriggerType
from ask_sdk_model.services.service_client_factory import ServiceClientFactory
from ask_sdk_model.services.service_exception import ServiceException

from heel_coach.services.api_client import ApiTimeout, ApiUnreachable, TimeoutApiClient
from tests.fakes.alexa_api import TOKEN, FakeAlexaApi


def _get(url: str, token: str = TOKEN) -> ApiClientRequest:
    return ApiClientRequest(headers=[("Authorization", f"Bearer {token}")], url=url, method="GET")


def test_https_get_through_trusted_ca(fake: FakeAlexaApi, api_client: TimeoutApiClient) -> None:
    response = api_client.invoke(_get(fake.endpoint + "/v1/alerts/reminders"))
    assert response.status_code == 200
    assert '"totalCount": "0"' in response.body


def test_non_2xx_is_returned_not_raised(fake: FakeAlexaApi, api_client: TimeoutApiClient) -> None:
    """ask-sdk's contract: the caller (BaseServiceClient) translates statuses."""
    response = api_client.invoke(_get(fake.endpoint + "/v1/alerts/reminders", token="nope"))
    assert response.status_code == 401


def test_untrusted_certificate_is_refused(fake: FakeAlexaApi) -> None:
    with TimeoutApiClient(timeout_s=5.0) as client, pytest.raises(ApiUnreachable):
        client.invoke(_get(fake.endpoint + "/v1/alerts/reminders"))


def test_requests_ca_bundle_env_is_honoured(
    fake: FakeAlexaApi, ca_bundle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", ca_bundle)
    with TimeoutApiClient(timeout_s=5.0) as client:
        assert client.invoke(_get(fake.endpoint + "/v1/alerts/reminders")).status_code == 200


def test_plain_http_only_for_allowed_hosts() -> None:
    with FakeAlexaApi() as plain:
        plain.grant(TOKEN)
        url = plain.endpoint + "/v1/alerts/reminders"
        assert url.startswith("http://")
        with TimeoutApiClient(timeout_s=5.0) as strict, pytest.raises(ApiUnreachable):
            strict.invoke(_get(url))
        assert plain.requests == []
        with TimeoutApiClient(timeout_s=5.0, allow_http_hosts=frozenset({"127.0.0.1"})) as lax:
            assert lax.invoke(_get(url)).status_code == 200


def test_slow_answer_raises_timeout(fake: FakeAlexaApi, fast_client: TimeoutApiClient) -> None:
    fake.delay_next(30)  # cut short when the fake closes, so the test stays bounded
    with pytest.raises(ApiTimeout):
        fast_client.invoke(_get(fake.endpoint + "/v1/alerts/reminders"))


def test_connection_refused_is_unreachable(api_client: TimeoutApiClient) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ApiUnreachable):
        api_client.invoke(_get(f"https://127.0.0.1:{port}/v1/alerts/reminders"))


def test_bad_method_is_refused(api_client: TimeoutApiClient) -> None:
    request = ApiClientRequest(url="https://127.0.0.1:1/x", method="TRACE")
    with pytest.raises(ApiUnreachable):
        api_client.invoke(request)


def test_closed_client_refuses(fake: FakeAlexaApi, ca_bundle: str) -> None:
    client = TimeoutApiClient(timeout_s=5.0, ca_bundle=ca_bundle)
    client.close()
    with pytest.raises(ApiUnreachable):
        client.invoke(_get(fake.endpoint + "/v1/alerts/reminders"))


def test_concurrent_calls_share_one_client(fake: FakeAlexaApi, api_client: TimeoutApiClient) -> None:
    url = fake.endpoint + "/v1/alerts/reminders"
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: api_client.invoke(_get(url)).status_code, range(32)))
    assert statuses == [200] * 32
    assert len(fake.requests) == 32


def _factory(fake: FakeAlexaApi, client: TimeoutApiClient, token: str = TOKEN) -> ServiceClientFactory:
    return ServiceClientFactory(
        ApiConfiguration(
            serializer=DefaultSerializer(),
            api_client=client,
            authorization_value=token,
            api_endpoint=fake.endpoint,
        )
    )


def test_ask_sdk_reminder_client_round_trip(fake: FakeAlexaApi, api_client: TimeoutApiClient) -> None:
    service = _factory(fake, api_client).get_reminder_management_service()
    empty = service.get_reminders()
    assert isinstance(empty, GetRemindersResponse) and empty.total_count == "0"
    request = ReminderRequest(
        request_time=datetime(2024, 5, 1, 6, 30),  # naive: serialised without a zone suffix
        trigger=Trigger(
            object_type=TriggerType.SCHEDULED_ABSOLUTE,
            time_zone_id="Europe/Berlin",
            recurrence=Recurrence(
                start_date_time=datetime(2024, 5, 2, 7, 0),
                recurrence_rules=["FREQ=DAILY;BYHOUR=7;BYMINUTE=0;BYSECOND=0;INTERVAL=1;"],
            ),
        ),
        alert_info=AlertInfo(SpokenInfo([SpokenText(locale="en-US", text="Stretch time")])),
        push_notification=PushNotification(PushNotificationStatus.ENABLED),
    )
    created = service.create_reminder(request)
    assert isinstance(created, ReminderResponse)
    assert created.alert_token and created.status is not None and created.status.value == "ON"
    sent = fake.requests[-1].json
    assert sent["requestTime"] == "2024-05-01T06:30:00"
    assert sent["trigger"]["recurrence"]["startDateTime"] == "2024-05-02T07:00:00"
    assert fake.reminders_for(TOKEN)[0]["trigger"]["timeZoneId"] == "Europe/Berlin"
    # ask-sdk-model 1.82 bug: AlertInfo names a module that does not exist
    # (alert_info_spoken_info), so reading back any reminder through the SDK fails. This is
    # why RemindersClient parses the JSON itself. If this starts passing, the SDK is fixed.
    with pytest.raises(SerializationException, match="alert_info_spoken_info"):
        service.get_reminders()
    service.delete_reminder(created.alert_token)
    assert fake.reminders_for(TOKEN) == []


def test_ask_sdk_client_sees_statuses_and_timeouts(
    fake: FakeAlexaApi, api_client: TimeoutApiClient, fast_client: TimeoutApiClient
) -> None:
    fake.grant("no-scope", scopes=())
    with pytest.raises(ServiceException) as denied:
        _factory(fake, api_client, "no-scope").get_reminder_management_service().get_reminders()
    assert denied.value.status_code == 401
    fake.delay_next(30)
    with pytest.raises(ServiceException) as slow:
        _factory(fake, fast_client).get_reminder_management_service().get_reminders()
    assert "Call to service failed" in str(slow.value)
