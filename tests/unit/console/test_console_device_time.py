"""The console shows an Echo's timing, and with ``device_time`` lives by it."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from heel_coach.console.chat import run, split_wake_word
from heel_coach.console.client import VoiceClient, flask_transport
from heel_coach.engine.speech_time import speech_seconds, word_count
from heel_coach.settings import Settings
from heel_coach.web.app import create_app
from tests.helpers import speaking_rate

SPEECH = "Set one of three. Do ten repetitions at your own pace. Say next when you've finished."
REPROMPT = "Say next to go on."
RATE = speaking_rate("en-US")


class OpenSkill:
    """Answers everything with SPEECH and keeps the session open."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def __call__(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        self.sent.append(json.loads(body))
        response = {
            "outputSpeech": {"type": "SSML", "ssml": f'<speak>{SPEECH} <break time="3s"/></speak>'},
            "reprompt": {"outputSpeech": {"type": "PlainText", "text": REPROMPT}},
            "shouldEndSession": False,
        }
        return 200, json.dumps({"version": "1.0", "response": response}).encode()


def chat(lines: list[str], device_time: bool) -> tuple[OpenSkill, str]:
    skill = OpenSkill()
    out = io.StringIO()
    run(VoiceClient.for_locale(skill), lines, out=out, device_time=device_time)
    return skill, out.getvalue()


def stamp(envelope: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(envelope["request"]["timestamp"].replace("Z", "+00:00"))


def test_every_answer_shows_how_long_it_speaks_and_when_the_mic_closes() -> None:
    _, out = chat(["open heel coach"], device_time=False)
    speech_s, reprompt_s = speech_seconds(SPEECH, RATE), speech_seconds(REPROMPT, RATE)
    words = word_count(SPEECH)
    assert f"[speaks {speech_s + 3:.0f} s: {words} words in {speech_s:.0f} s, 3 s of silences]" in out
    closes = 8 + reprompt_s + 8
    assert (
        f"[mic open 8 s ... reprompt {reprompt_s:.0f} s ... mic closes at +{closes:.0f} s: session would end]"
        in out
    )


def test_with_device_time_late_words_lose_the_session_and_a_bare_next_reaches_nobody() -> None:
    skill, out = chat(["open heel coach", ":wait 30", "next", "open heel coach", "next"], device_time=True)
    kinds = [(e["request"]["type"], e["request"].get("reason")) for e in skill.sent]
    assert kinds == [
        ("LaunchRequest", None),
        ("SessionEndedRequest", "EXCEEDED_MAX_REPROMPTS"),
        ("LaunchRequest", None),
        ("IntentRequest", None),
    ]
    assert "nobody hears this" in out
    first, ended, relaunch, following = (stamp(e) for e in skill.sent)
    spoken = speech_seconds(SPEECH, RATE) + 3
    assert abs((ended - first).total_seconds() - (spoken + 8 + speech_seconds(REPROMPT, RATE) + 8)) <= 1
    assert abs((following - relaunch).total_seconds() - (spoken + 1 + speech_seconds("next", RATE))) <= 1


def test_wait_needs_device_time() -> None:
    _, out = chat([":wait 30"], device_time=False)
    assert ":wait needs --device-time" in out


def test_the_wake_word_is_split_off() -> None:
    assert split_wake_word("Alexa, next") == (True, "next")
    assert split_wake_word("next") == (False, "next")


def test_alexa_repeat_said_over_a_set_is_heard_there_and_the_set_is_said_again(tmp_path: Path) -> None:
    """`:wait 100` after "ready": the toe raises' second set is being counted when the person
    says "Alexa, repeat"; the skill, from the request times alone, starts at set two."""
    settings = Settings(
        db_path=tmp_path / "db.sqlite3", verify_signatures=False, verify_timestamps=False, audio_dir=tmp_path
    )
    client = VoiceClient.for_locale(flask_transport(create_app(settings)))
    lines = [
        "open heel coach",
        "start the strengthening routine",
        "both",
        "ready",
        ":wait 100",
        "Alexa, repeat",
    ]
    out = io.StringIO()
    run(client, lines, out=out, device_time=True)
    said = out.getvalue()
    assert "[your next words come 100 s after Alexa began her last answer]" in said
    assert "[you interrupted Alexa at +100 s]" in said
    assert "Alexa: From set two. Exercise one of five: toe raises." in said
