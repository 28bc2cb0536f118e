"""The console plays Alexa's part: what it sends for ``:`` commands and for the AskFor
permission question, checked on the request JSON itself (a stub skill answers)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from heel_coach.console.account import Account, Clock, parse_moment
from heel_coach.console.chat import run
from heel_coach.console.client import VoiceClient
from heel_coach.console.envelopes import Device

ASK_FOR = {
    "type": "Connections.SendRequest",
    "name": "AskFor",
    "token": "tok-42",
    "payload": {
        "@type": "AskForPermissionsConsentRequest",
        "@version": "1",
        "permissionScope": "alexa::alerts:reminders:skill:readwrite",
    },
}
CARD = {"type": "AskForPermissionsConsent", "permissions": ["alexa::alerts:reminders:skill:readwrite"]}


class StubSkill:
    """Answers "yes" with AskFor, a denied permission with the consent card, else "ok"."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def __call__(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        envelope = json.loads(body)
        self.sent.append(envelope)
        request = envelope["request"]
        response: dict[str, Any] = {"outputSpeech": {"type": "PlainText", "text": "ok"}}
        if request.get("intent", {}).get("name") == "AMAZON.YesIntent":
            response = {"directives": [ASK_FOR]}
        elif request["type"] == "Connections.Response" and request["payload"]["status"] != "ACCEPTED":
            response["card"] = CARD
        return 200, json.dumps({"version": "1.0", "response": response}).encode()


def chat(lines: list[str], device: Device | None = None) -> tuple[StubSkill, str, VoiceClient]:
    skill = StubSkill()
    client = VoiceClient.for_locale(skill, device=device or Device(api_access_token="base"))
    out = io.StringIO()
    run(client, lines, out=out, account=Account.for_tokens("base"))
    return skill, out.getvalue(), client


def answers(skill: StubSkill) -> list[dict[str, Any]]:
    return [e for e in skill.sent if e["request"]["type"] == "Connections.Response"]


def test_accepted_sends_the_response_and_switches_to_the_granted_token() -> None:
    skill, out, _ = chat(["open heel coach", "yes", "yes", "next"])
    assert "[Alexa asks: Allow Heel Coach to create reminders? yes / no" in out
    [answer] = answers(skill)
    assert answer["request"]["name"] == "AskFor" and answer["request"]["token"] == "tok-42"
    assert answer["request"]["payload"] == {"status": "ACCEPTED", "isCardThrown": False}
    assert answer["session"]["sessionId"] == skill.sent[0]["session"]["sessionId"]
    system = answer["context"]["System"]
    assert system["apiAccessToken"] == "base-reminders"
    assert system["user"]["permissions"] == {"consentToken": "console-consent-token"}
    assert skill.sent[-1]["context"]["System"]["apiAccessToken"] == "base-reminders"
    assert skill.sent[1]["context"]["System"]["apiAccessToken"] == "base"
    assert "permissions" not in skill.sent[1]["context"]["System"]["user"]


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        (["no"], "DENIED"),
        ([""], "NOT_ANSWERED"),
        (["what", "pardon"], "NOT_ANSWERED"),
        ([], "NOT_ANSWERED"),
    ],
)
def test_other_answers_keep_the_permission_off(typed: list[str], status: str) -> None:
    skill, out, client = chat(["yes", *typed])
    [answer] = answers(skill)
    assert answer["request"]["payload"]["status"] == status
    assert client.device.permissions_token is None and client.device.api_access_token == "base"
    assert "[card shown in the Alexa app: allow Heel Coach to create reminders]" in out


def test_date_moves_the_request_timestamps_and_now_resets() -> None:
    skill, out, _ = chat(
        [
            ":date 2026-11-14T08:00",
            "open heel coach",
            ":date 2026-11-15",
            "next",
            ":date 2026-11-16T08:00+01:00",
            "next",
            ":date now",
            "next",
        ]
    )
    stamps = [e["request"]["timestamp"] for e in skill.sent]
    assert stamps[0].startswith("2026-11-14T08:0") and stamps[0].endswith("Z")
    assert stamps[1].startswith("2026-11-15T12:0")
    assert stamps[2].startswith("2026-11-16T07:0")
    assert (
        abs(
            datetime.strptime(stamps[3], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) - datetime.now(UTC)
        ).total_seconds()
        < 60
    )
    assert skill.sent[0]["session"]["sessionId"] != skill.sent[1]["session"]["sessionId"]
    assert "[clock: Sat 14 Nov 2026 08:00 UTC; new session]" in out


def test_disable_sends_skill_disabled_and_becomes_a_new_user() -> None:
    device = Device(api_access_token="base", user_id="amzn1.ask.account.leaving")
    skill, out, client = chat([":grant", "open heel coach", ":disable", "open heel coach"], device)
    event = skill.sent[2]
    assert event["request"]["type"] == "AlexaSkillEvent.SkillDisabled" and "session" not in event
    assert event["context"]["System"]["user"]["userId"] == "amzn1.ask.account.leaving"
    assert {"eventCreationTime", "eventPublishingTime", "body"} <= set(event["request"])
    assert skill.sent[3]["context"]["System"]["user"]["userId"] != "amzn1.ask.account.leaving"
    assert client.device.permissions_token is None  # permissions go with the enablement
    assert skill.sent[0]["request"]["type"] == "AlexaSkillEvent.SkillPermissionAccepted"
    assert "Alexa sent SkillDisabled: HTTP 200" in out


def test_unknown_command_and_help() -> None:
    skill, out, _ = chat([":frobnicate", ":help"])
    assert skill.sent == []
    assert "unknown command :frobnicate" in out and out.count(":grant / :revoke") == 2


def test_parse_moment() -> None:
    assert parse_moment("2026-11-14") == datetime(2026, 11, 14, 12, 0, tzinfo=UTC)
    assert parse_moment("2026-11-14T08:30Z") == datetime(2026, 11, 14, 8, 30, tzinfo=UTC)
    with pytest.raises(ValueError):
        parse_moment("next tuesday")
    clock = Clock()
    clock.set(datetime(2030, 1, 1, tzinfo=UTC))
    assert clock().year == 2030 and clock.moved


def test_in_german_the_console_speaks_german_and_alexa_asks_in_german() -> None:
    """`chat --locale de-DE`: banner, help, notes and Alexa's own question are German, the
    ":" commands are the same, and "ja" answers Alexa's question."""
    skill = StubSkill()
    client = VoiceClient.for_locale(skill, "de-DE", device=Device(locale="de-DE", api_access_token="base"))
    out = io.StringIO()
    run(client, ["öffne fersen trainer", ":help", "ja", "ja"], out=out, account=Account.for_tokens("base"))
    text = out.getvalue()
    assert text.startswith("Fersentrainer-Konsole. Tipp ein, was du zu Alexa sagen würdest")
    assert text.count("  :wait 40                  (mit --device-time)") == 2  # banner and :help
    assert "[Alexa fragt: Darf der Fersentrainer Erinnerungen erstellen? ja / nein" in text
    [answer] = answers(skill)
    assert answer["request"]["payload"]["status"] == "ACCEPTED"
    assert "Lines starting with" not in text and "(if you say nothing" not in text
