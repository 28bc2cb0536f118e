"""An Echo Show and an Echo Spot doing routines: each screen at the right turn with the right
data, a countdown as long as the hold it times, touch doing what the words do, and a speaker
without a screen hearing exactly what it heard before."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from flask import Flask

from heel_coach.alexa_limits import MAX_BREAK_S, MAX_SPEECH_AUDIO_S, MAX_SSML_CHARS
from heel_coach.catalogue.model import Catalogue, Focus
from heel_coach.console.client import Heard, VoiceClient, flask_transport
from heel_coach.console.envelopes import Device
from heel_coach.engine.plan import Foot, build_plan
from heel_coach.engine.speech_time import speech_seconds
from heel_coach.screens.documents import document
from heel_coach.screens.viewports import viewport_named
from heel_coach.screens.views import Screen
from heel_coach.voice.prompts import load_prompts
from heel_coach.voice.speech import Listener, Speaker
from tests.helpers import speaking_rate, timed_work_seconds

MAX_RESPONSE_BYTES = 120 * 1024
"""Alexa's total response size (reference §2); the RenderDocument counts towards it."""
RENDER = "Alexa.Presentation.APL.RenderDocument"


def echo(app: Flask, viewport: str | None) -> VoiceClient:
    screen = viewport_named(viewport).context_viewport() if viewport else None
    return VoiceClient.for_locale(flask_transport(app), device=Device(screen=screen))


@pytest.fixture
def show(app: Flask) -> VoiceClient:
    """An Echo Show 8 (hubLandscapeMedium)."""
    return echo(app, "medium")


def payload(heard: Heard) -> dict[str, Any]:
    screen = heard.screen
    assert screen is not None, heard.text
    data: dict[str, Any] = screen["datasources"]["payload"]
    return data


def screen_of(heard: Heard) -> str:
    screen = heard.screen
    assert screen is not None, heard.text
    return str(screen["token"]).split(".")[1]


def assert_within_alexa_limits(heard: Heard) -> None:
    assert heard.status == 200
    assert len(json.dumps(heard.body).encode("utf-8")) <= MAX_RESPONSE_BYTES
    assert len(heard.ssml) < MAX_SSML_CHARS
    breaks = [
        int(n) / (1000 if unit == "ms" else 1)
        for n, unit in re.findall(r'<break time="(\d+)(ms|s)"/>', heard.ssml)
    ]
    assert all(b <= MAX_BREAK_S for b in breaks)
    clips = sum(int(n) for n in re.findall(r"silence-(\d+)s\.mp3", heard.ssml))
    assert clips <= MAX_SPEECH_AUDIO_S
    for directive in heard.directives:
        if directive["type"] == RENDER:
            screen = Screen(str(directive["token"]).split(".")[1])
            assert directive["document"] == document(screen)


def ticking(data: dict[str, Any], step: int = 0) -> list[dict[str, Any]]:
    return [p for p in data["phases"] if p["kind"] == "work" and p["fromS"] != p["toS"] and p["step"] == step]


def test_each_screen_appears_at_its_turn_with_its_data(show: VoiceClient, catalogue: Catalogue) -> None:
    first = show.say("open heel coach")
    assert screen_of(first) == "safety" and payload(first)["intro"] == catalogue.safety["en-US"].disclaimer

    chosen = show.say("start the quick routine")
    assert "Which foot" in chosen.text
    overview = payload(chosen)
    plan = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    assert screen_of(chosen) == "overview" and overview["title"] == "Quick routine"
    assert [e["name"].lower() for e in overview["exercises"]] == [
        e.exercise.text["en-US"].name.lower() for e in plan.entries
    ]
    announced = Speaker(catalogue, load_prompts("en-US"), "en-US").voice(Listener()).seconds(plan)
    assert overview["total"] == f"About {round(announced / 60)} minutes"  # the announced length

    show.say("both")
    started = show.say("ready")
    assert screen_of(started) == "exercise"
    data = payload(started)
    assert (
        data["steps"][0]["title"]
        == catalogue.exercise(plan.steps[0].exercise_id).text["en-US"].name.capitalize()
    )
    assert data["steps"][0]["counter"] == f"Exercise 1 of {plan.exercise_count()}"
    assert {p["indicator"] for p in ticking(data)} == {"Right foot", "Left foot"}
    assert [b["command"] for b in data["buttons"]] == ["repeat", "pause", "next"]

    progress = show.say("how am I doing")
    assert screen_of(progress) == "progress" and len(payload(progress)["days"]) == 7

    doctor = show.say("when should I see a doctor")
    assert screen_of(doctor) == "safety"
    assert len(payload(doctor)["items"]) == len(catalogue.safety["en-US"].red_flags)

    massage = show.say("massage safety")
    assert screen_of(massage) == "safety"
    assert len(payload(massage)["items"]) == len(catalogue.safety["en-US"].massage_contraindications)


def test_countdown_lasts_exactly_the_hold_and_starts_when_the_speech_says_start(
    show: VoiceClient, catalogue: Catalogue
) -> None:
    """For every step of the quick routine: the count runs for exactly the timed silence of the
    speech, and the first hold's count starts when the words before it have been said."""
    show.say("open heel coach")
    show.say("start the quick routine")
    show.say("both")
    heard = show.say("ready")
    steps = 0
    while not heard.ends_session:
        data = payload(heard)
        if data["phases"][0]["kind"] != "reps":
            ticks = ticking(data)
            assert sum(p["fromS"] - p["toS"] for p in ticks) == pytest.approx(timed_work_seconds(heard.text))
            assert sum(p["endMs"] - p["startMs"] for p in ticks) / 1000 == pytest.approx(
                timed_work_seconds(heard.text), abs=0.01
            )
            said_before = heard.text.split("[pause")[0]
            if "Start." in said_before:  # a timed bout is described after its "Start"
                said_before = said_before[: said_before.index("Start.") + len("Start.")]
            assert ticks[0]["startMs"] / 1000 == pytest.approx(
                speech_seconds(said_before, speaking_rate()), abs=0.05
            )
            for hold in ticks:
                assert hold["totalS"] in {
                    s.work.seconds
                    for s in build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE).segments
                }
        steps += 1
        assert_within_alexa_limits(heard)
        heard = show.say("next")
    assert steps >= 2
    assert screen_of(heard) == "safety"  # the warning signs close the routine


def test_touching_a_button_does_what_saying_it_does(app: Flask) -> None:
    spoken, touched = echo(app, "large"), echo(app, "large")
    for alexa in (spoken, touched):
        alexa.say("open heel coach")
        alexa.say("start the quick routine")
        alexa.say("both")
        alexa.say("ready")
    for word in ("repeat", "next", "pause"):
        by_voice, by_touch = spoken.say(word), touched.touch(word)
        assert by_touch.ssml == by_voice.ssml, word
        assert by_touch.reprompt == by_voice.reprompt
        assert by_touch.ends_session == by_voice.ends_session
        assert [d["type"] for d in by_touch.directives] == [d["type"] for d in by_voice.directives]
    again = touched.say("resume")
    assert screen_of(again) == "exercise"


def test_a_speaker_without_a_screen_hears_exactly_what_it_heard(app: Flask) -> None:
    """Same conversation on an Echo Dot and an Echo Show: the Show's response is the Dot's plus
    one RenderDocument; the Dot's carries nothing of APL."""
    dot, spot = echo(app, None), echo(app, "round-small")
    script = ["open heel coach", "start the quick routine", "both", "repeat", "next", "how am I doing",
              "when should I see a doctor"]  # fmt: skip
    for line in script:
        plain, screened = dot.say(line), spot.say(line)
        assert "Alexa.Presentation" not in json.dumps(plain.body)
        without = dict(screened.response)
        without["directives"] = [d for d in screened.directives if d["type"] != RENDER]
        if not without["directives"]:
            del without["directives"]
        assert without == plain.response, line
        assert screened.screen is not None, line
        assert_within_alexa_limits(screened)


def test_a_touch_from_another_document_is_not_taken_for_a_command(app: Flask) -> None:
    alexa = echo(app, "medium")
    alexa.say("open heel coach")
    alexa.say("start the quick routine")
    alexa.say("both")
    alexa.say("ready")
    heard = alexa.send(alexa.device.user_event("someone-else.screen", ["next"]))
    assert heard.status == 200
    assert "Exercise 2" not in json.dumps(heard.body)


@pytest.mark.parametrize("viewport", ["round-small", "landscape-small", "medium", "large", "tv"])
def test_every_viewport_gets_the_same_document_and_data(app: Flask, viewport: str) -> None:
    """The document adapts itself (``@viewportProfile``); the skill sends the same to every size."""
    alexa = echo(app, viewport)
    assert alexa.device.context()["Viewport"]["pixelWidth"] == viewport_named(viewport).pixel_width
    alexa.say("open heel coach")
    alexa.say("start the quick routine")
    alexa.say("both")
    heard = alexa.say("ready")
    assert heard.screen is not None and heard.screen["document"] == document(Screen.EXERCISE)
