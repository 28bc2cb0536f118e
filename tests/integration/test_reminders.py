"""Reminder dialogues end to end: VoiceClient -> Flask app -> Reminders/Settings API fake over HTTPS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from heel_coach.catalogue.model import Catalogue
from heel_coach.console.client import Heard, VoiceClient, flask_transport
from heel_coach.console.envelopes import Device
from heel_coach.services.api_client import TimeoutApiClient
from heel_coach.settings import Settings
from heel_coach.web.app import create_app
from tests.fakes.alexa_api import FakeAlexaApi
from tests.helpers import API_TOKEN as TOKEN

CONSENT = "consent-token-for-reminders"
ZONE = "Europe/Berlin"


class SlowRemindersClient(TimeoutApiClient):
    """Holds the fake's answer to every Reminders API call past the time budget."""

    fake: FakeAlexaApi | None = None

    def invoke(self, request: Any) -> Any:
        if self.fake is not None and "/v1/alerts/reminders" in (request.url or ""):
            self.fake.delay_next(3.0)
        return super().invoke(request)


@pytest.fixture
def api_client(alexa_api_tls: tuple[Path, Path, Path]) -> Iterator[SlowRemindersClient]:
    client = SlowRemindersClient(timeout_s=1.0, ca_bundle=str(alexa_api_tls[2]))
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def app(settings: Settings, catalogue: Catalogue, api_client: TimeoutApiClient) -> Flask:
    return create_app(settings, catalogue=catalogue, api_client=api_client)


def client_for(
    app: Flask, fake: FakeAlexaApi, *, consent: str | None = CONSENT, locale: str = "en-US"
) -> VoiceClient:
    device = Device(
        locale=locale, api_endpoint=fake.endpoint, api_access_token=TOKEN, permissions_token=consent
    )
    fake.set_time_zone(device.device_id, ZONE)
    alexa = VoiceClient.for_locale(flask_transport(app), device=device)
    alexa.launch()
    return alexa


def stored_items(app: Flask, alexa: VoiceClient) -> list[dict[str, Any]]:
    attributes = app.extensions["heelcoach"].store.get_attributes(alexa.device.user_id)
    items: list[dict[str, Any]] = (attributes.get("reminders") or {}).get("items", [])
    return items


def permission_answer(alexa: VoiceClient, status: str, card_thrown: bool = False) -> Heard:
    return alexa.send(
        alexa.device.raw(
            {
                "type": "Connections.Response",
                "name": "AskFor",
                "status": {"code": "200", "message": "OK"},
                "payload": {"status": status, "isCardThrown": card_thrown},
                "token": "heelcoach-reminder",
            },
            session=True,
        )
    )


def rules(fake: FakeAlexaApi) -> list[str]:
    return [r["trigger"]["recurrence"]["recurrenceRules"][0] for r in fake.reminders_for(TOKEN)]


def test_set_a_daily_reminder_with_permission(app: Flask, fake: FakeAlexaApi) -> None:
    alexa = client_for(app, fake)
    heard = alexa.say("remind me every day at seven am")
    assert "Shall I remind you every day at 7 AM to do your morning routine?" in heard.text
    assert fake.reminders_for(TOKEN) == []  # nothing before the user says yes
    heard = alexa.say("yes")
    assert "Done. I'll remind you every day at 7 AM to do your morning routine." in heard.text
    [reminder] = fake.reminders_for(TOKEN)
    assert reminder["trigger"]["timeZoneId"] == ZONE
    assert rules(fake) == ["FREQ=DAILY;BYHOUR=7;BYMINUTE=0;BYSECOND=0;INTERVAL=1;"]
    assert "morning routine" in reminder["alertInfo"]["spokenInfo"]["content"][0]["text"]
    assert [i["token"] for i in stored_items(app, alexa)] == [reminder["alertToken"]]


def test_evening_reminder_names_the_massage(app: Flask, fake: FakeAlexaApi) -> None:
    alexa = client_for(app, fake)
    heard = alexa.say("remind me to stretch in the evening")
    assert "every day at 7 PM to do your evening massage" in heard.text
    alexa.say("yes")
    assert rules(fake) == ["FREQ=DAILY;BYHOUR=19;BYMINUTE=0;BYSECOND=0;INTERVAL=1;"]


def test_weekday_reminder(app: Flask, fake: FakeAlexaApi) -> None:
    alexa = client_for(app, fake)
    heard = alexa.say("remind me on weekdays at seven thirty am")
    assert "every weekday at 7:30 AM" in heard.text
    alexa.say("yes")
    assert rules(fake) == ["FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=7;BYMINUTE=30;BYSECOND=0;INTERVAL=1;"]


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("en-US", "every Monday at 7:30 PM"),
        ("en-GB", "every Monday at 7:30 pm"),
        ("en-CA", "every Monday at 7:30 p.m."),
        ("en-AU", "every Monday at 7:30 pm"),
        ("en-IN", "every Monday at 7:30 PM"),
    ],
)
def test_each_english_locale_says_the_time_its_own_way(
    app: Flask, fake: FakeAlexaApi, locale: str, said: str
) -> None:
    alexa = client_for(app, fake, locale=locale)
    heard = alexa.say("remind me on monday at seven thirty pm")
    assert said in heard.text
    alexa.say("yes")
    [reminder] = fake.reminders_for(TOKEN)
    assert reminder["alertInfo"]["spokenInfo"]["content"][0]["locale"] == locale
    assert rules(fake) == ["FREQ=WEEKLY;BYDAY=MO;BYHOUR=19;BYMINUTE=30;BYSECOND=0;INTERVAL=1;"]


def test_no_creates_nothing(app: Flask, fake: FakeAlexaApi) -> None:
    alexa = client_for(app, fake)
    alexa.say("remind me every day at seven am")
    heard = alexa.say("no")
    assert "I haven't set a reminder" in heard.text
    assert fake.reminders_for(TOKEN) == [] and stored_items(app, alexa) == []


def test_without_permission_asks_by_voice_then_creates(app: Flask, fake: FakeAlexaApi) -> None:
    fake.grant(TOKEN, scopes=())
    alexa = client_for(app, fake, consent=None)
    alexa.say("remind me every day at seven am")
    heard = alexa.say("yes")
    directive = heard.directive("Connections.SendRequest")
    assert directive is not None and directive["name"] == "AskFor"
    assert directive["payload"] == {
        "@type": "AskForPermissionsConsentRequest",
        "@version": "1",
        "permissionScope": "alexa::alerts:reminders:skill:readwrite",
    }
    assert heard.ssml == "" and heard.reprompt == ""
    assert heard.response.get("shouldEndSession") is None
    # The user grants the permission in Alexa's own dialogue.
    fake.grant(TOKEN)
    alexa.device.permissions_token = CONSENT
    heard = permission_answer(alexa, "ACCEPTED")
    assert "Done. I'll remind you every day at 7 AM to do your morning routine." in heard.text
    assert len(fake.reminders_for(TOKEN)) == 1 and len(stored_items(app, alexa)) == 1


@pytest.mark.parametrize("status", ["DENIED", "NOT_ANSWERED"])
def test_permission_denied_sends_card_and_guidance(app: Flask, fake: FakeAlexaApi, status: str) -> None:
    fake.grant(TOKEN, scopes=())
    alexa = client_for(app, fake, consent=None)
    alexa.say("remind me every day at seven am")
    alexa.say("yes")
    heard = permission_answer(alexa, status, card_thrown=False)
    assert "I haven't set a reminder" in heard.text and "Alexa app" in heard.text
    assert heard.response["card"] == {
        "type": "AskForPermissionsConsent",
        "permissions": ["alexa::alerts:reminders:skill:readwrite"],
    }
    assert fake.reminders_for(TOKEN) == []
    attributes = app.extensions["heelcoach"].store.get_attributes(alexa.device.user_id)
    assert "pending" not in attributes["reminders"]


def test_cancel_without_permission_says_so_instead_of_claiming_none(app: Flask, fake: FakeAlexaApi) -> None:
    fake.grant(TOKEN, scopes=())
    alexa = client_for(app, fake, consent=None)
    heard = alexa.say("cancel my reminder")
    assert "doesn't have permission to use reminders" in heard.text
    assert "You don't have any reminders" not in heard.text
    assert not [r for r in fake.requests if r.path.startswith("/v1/alerts/reminders")]


def test_denied_when_alexa_already_sent_the_card(app: Flask, fake: FakeAlexaApi) -> None:
    fake.grant(TOKEN, scopes=())
    alexa = client_for(app, fake, consent=None)
    alexa.say("remind me every day at seven am")
    alexa.say("yes")
    heard = permission_answer(alexa, "DENIED", card_thrown=True)
    assert "card" not in heard.response


def test_list_move_and_cancel(app: Flask, fake: FakeAlexaApi) -> None:
    alexa = client_for(app, fake)
    assert "don't have any reminders" in alexa.say("what reminders do I have").text
    alexa.say("remind me every day at seven am")
    alexa.say("yes")
    heard = alexa.say("what reminders do I have")
    assert "You have one Heel Coach reminder: every day at 7 AM for your morning routine." in heard.text
    heard = alexa.say("move my reminder to eight am")
    assert "Shall I move your reminder for your morning routine to every day at 8 AM?" in heard.text
    heard = alexa.say("yes")
    assert "is now every day at 8 AM" in heard.text
    assert rules(fake) == ["FREQ=DAILY;BYHOUR=8;BYMINUTE=0;BYSECOND=0;INTERVAL=1;"]
    assert [i["hour"] for i in stored_items(app, alexa)] == [8]
    heard = alexa.say("cancel my reminder")
    assert "Shall I cancel your reminder every day at 8 AM for your morning routine?" in heard.text
    heard = alexa.say("yes")
    assert "I've cancelled it" in heard.text
    assert fake.reminders_for(TOKEN) == [] and stored_items(app, alexa) == []


def test_move_without_a_reminder(app: Flask, fake: FakeAlexaApi) -> None:
    alexa = client_for(app, fake)
    assert "don't have any reminders" in alexa.say("move my reminder to eight am").text


def test_reminder_deleted_in_the_app_is_reported_gone(app: Flask, fake: FakeAlexaApi) -> None:
    alexa = client_for(app, fake)
    alexa.say("remind me every day at seven am")
    alexa.say("yes")
    fake.fail_next("/v1/alerts/reminders/", 404, "NOT_FOUND")
    alexa.say("move my reminder to eight am")
    heard = alexa.say("yes")
    assert "no longer exists" in heard.text
    assert stored_items(app, alexa) == []


@pytest.mark.parametrize(
    ("status", "code", "sentence"),
    [
        (401, "UNAUTHORIZED", "doesn't have permission to use reminders"),
        (403, "FORBIDDEN", "doesn't have permission to use reminders"),
        (
            429,
            "RATE_EXCEEDED",
            "busy right now, so I haven't set your reminder. Please try again in a few minutes.",
        ),
        (
            500,
            "INTERNAL_ERROR",
            "couldn't reach the reminder service just now, so I haven't set your reminder. "
            "Please try again later.",
        ),
        (503, "SERVICE_UNAVAILABLE", "couldn't reach the reminder service just now"),
        (400, "INVALID_TRIGGER", "didn't accept that reminder, so I haven't set your reminder."),
    ],
)
def test_api_errors_give_the_right_sentence_and_store_nothing(
    app: Flask, fake: FakeAlexaApi, status: int, code: str, sentence: str
) -> None:
    alexa = client_for(app, fake)
    alexa.say("remind me every day at seven am")
    fake.fail_next("/v1/alerts/reminders", status, code)
    heard = alexa.say("yes")
    assert sentence in heard.text
    assert "Done" not in heard.text and "I'll remind you" not in heard.text
    assert fake.reminders_for(TOKEN) == [] and stored_items(app, alexa) == []
    assert not heard.ends_session
    if status in (401, 403):
        assert heard.response["card"]["type"] == "AskForPermissionsConsent"


def test_timeout_gives_try_later(app: Flask, fake: FakeAlexaApi, api_client: SlowRemindersClient) -> None:
    alexa = client_for(app, fake)
    alexa.say("remind me every day at seven am")
    api_client.fake = fake
    heard = alexa.say("yes")
    api_client.fake = None
    assert "couldn't reach the reminder service just now" in heard.text
    assert stored_items(app, alexa) == []


def test_time_zone_failure_keeps_state(app: Flask, fake: FakeAlexaApi) -> None:
    alexa = client_for(app, fake)
    fake.set_time_zone(alexa.device.device_id, None)
    alexa.say("remind me every day at seven am")
    heard = alexa.say("yes")
    assert "couldn't read your device's time zone, so I haven't set your reminder" in heard.text
    assert fake.reminders_for(TOKEN) == [] and stored_items(app, alexa) == []


def test_list_errors_are_explained(app: Flask, fake: FakeAlexaApi) -> None:
    alexa = client_for(app, fake)
    fake.fail_next("/v1/alerts/reminders", 429, "RATE_EXCEEDED")
    assert "I can't read your reminders right now" in alexa.say("what reminders do I have").text


def test_when_should_i_do_this(app: Flask, fake: FakeAlexaApi) -> None:
    alexa = client_for(app, fake)
    heard = alexa.say("when should I do this")
    for figure in (
        "two to three times a day",
        "before your first steps",
        "three to five times a week",
        "evening massage every evening",
        "six to eight weeks",
        "exercise guides suggest",
    ):
        assert figure in heard.text
    assert heard.text.endswith("Shall I remind you every day at 7 AM to do your morning routine?")
    heard = alexa.say("yes")
    assert "Done. I'll remind you every day at 7 AM" in heard.text
    assert len(fake.reminders_for(TOKEN)) == 1
