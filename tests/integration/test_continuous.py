"""Continuous mode as a conversation: "play the quick routine", then an Echo that plays our
tracks and sends AudioPlayer events back, over real HTTP to the Flask app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from heel_coach.audio.render import render_tracks
from heel_coach.audio.tts import EspeakEngine
from heel_coach.catalogue.model import Catalogue, Focus
from heel_coach.console.client import Heard, VoiceClient, http_transport
from heel_coach.console.envelopes import Device
from heel_coach.engine.plan import Foot, build_plan
from heel_coach.settings import Settings
from heel_coach.voice.prompts import load_prompts
from heel_coach.voice.speech import Listener, Speaker
from heel_coach.voice.tracks import Token, wanted_tracks
from heel_coach.web.app import create_app

BASE_URL = "https://coach.example.com/audio"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Path:
    """The quick routine's tracks, rendered once for the module with the offline engine."""
    out = tmp_path_factory.mktemp("audio")
    speaker = Speaker(catalogue, load_prompts("en-US"), "en-US")
    render_tracks(wanted_tracks(speaker, catalogue, ["quick"]), EspeakEngine(), out, "en-US", progress=None)
    return out


def make_app(tmp_path: Path, catalogue: Catalogue, audio_dir: Path, base_url: str = BASE_URL) -> Flask:
    settings = Settings(
        db_path=tmp_path / "db.sqlite3", verify_signatures=False, audio_dir=audio_dir, audio_base_url=base_url
    )
    return create_app(settings, catalogue=catalogue)


@pytest.fixture
def app(tmp_path: Path, catalogue: Catalogue, rendered: Path) -> Flask:
    return make_app(tmp_path, catalogue, rendered)


@pytest.fixture
def echo(live_url: str) -> VoiceClient:
    alexa = VoiceClient.for_locale(http_transport(live_url))
    alexa.launch()  # first launch: the disclaimer
    return alexa


def play_of(heard: Heard) -> dict[str, Any]:
    directive = heard.directive("AudioPlayer.Play")
    assert directive is not None, heard.body
    return directive


def stream_of(heard: Heard) -> dict[str, Any]:
    stream: dict[str, Any] = play_of(heard)["audioItem"]["stream"]
    return stream


def step_of(stream: dict[str, Any]) -> int:
    token = Token.parse(stream["token"])
    assert token is not None
    return token.step


def start_track(alexa: VoiceClient, stream: dict[str, Any]) -> Heard:
    """What an Echo does with a Play: remember the stream and report PlaybackStarted."""
    device = alexa.device
    device.player_token, device.player_offset_ms = stream["token"], stream["offsetInMilliseconds"]
    device.player_activity = "PLAYING"
    heard = alexa.audio_event(
        "AudioPlayer.PlaybackStarted", token=stream["token"], offset_ms=stream["offsetInMilliseconds"]
    )
    assert heard.status == 200 and heard.ssml == "" and heard.directives == []
    return heard


def finish_track(alexa: VoiceClient, stream: dict[str, Any]) -> dict[str, Any] | None:
    """NearlyFinished (maybe answered with an ENQUEUE), then Finished; returns the next stream."""
    nearly = alexa.audio_event("AudioPlayer.PlaybackNearlyFinished", token=stream["token"], offset_ms=1000)
    assert nearly.ssml == ""
    following: dict[str, Any] | None = None
    if nearly.directives:
        play = play_of(nearly)
        assert play["playBehavior"] == "ENQUEUE"
        following = play["audioItem"]["stream"]
        assert following["expectedPreviousToken"] == stream["token"]
    done = alexa.audio_event("AudioPlayer.PlaybackFinished", token=stream["token"], offset_ms=1000)
    assert done.ssml == "" and done.directives == []
    return following


def play_to_the_end(alexa: VoiceClient, stream: dict[str, Any]) -> list[int]:
    steps: list[int] = []
    current: dict[str, Any] | None = stream
    while current is not None:
        start_track(alexa, current)
        steps.append(step_of(current))
        current = finish_track(alexa, current)
    return steps


def stored(app: Flask, user_id: str) -> tuple[Any, list[tuple[Any, ...]]]:
    store = app.extensions["heelcoach"].store
    sessions = [
        (s.routine_id, s.duration_s, s.exercises_done, s.exercises_skipped)
        for s in store.list_sessions(user_id)
    ]
    return store.get_attributes(user_id), sessions


def test_play_the_quick_routine_with_pause_resume_next_previous_and_start_over(
    echo: VoiceClient, app: Flask, catalogue: Catalogue
) -> None:
    heard = echo.say("play the quick routine")
    assert "Playing your quick routine" in heard.text
    assert heard.ends_session
    assert play_of(heard)["playBehavior"] == "REPLACE_ALL"
    first = stream_of(heard)
    assert first["url"].startswith(BASE_URL + "/en-US/") and first["url"].endswith(".mp3")
    assert first["token"].startswith("hc1|quick|both|sole|0|") and len(first["token"]) <= 1024
    start_track(echo, first)

    # "Alexa, pause" 42 s into the first track; the device then reports PlaybackStopped.
    echo.device.player_offset_ms = 42_000
    paused = echo.say("pause")
    assert paused.directive("AudioPlayer.Stop") is not None and paused.ssml == ""
    echo.device.player_activity = "STOPPED"
    echo.audio_event("AudioPlayer.PlaybackStopped", token=first["token"], offset_ms=42_000)

    # Days later: a new session. The launch offers to carry on; "resume" plays from 42 s.
    assert "Shall we carry on" in echo.launch().text
    resumed = echo.say("resume")
    assert stream_of(resumed)["token"] == first["token"]
    assert stream_of(resumed)["offsetInMilliseconds"] == 42_000
    start_track(echo, stream_of(resumed))

    after_next = echo.say("next")
    assert step_of(stream_of(after_next)) == 1 and stream_of(after_next)["offsetInMilliseconds"] == 0
    start_track(echo, stream_of(after_next))
    back = echo.say("previous")
    assert step_of(stream_of(back)) == 0
    start_track(echo, stream_of(back))
    echo.device.player_offset_ms = 5_000
    again = echo.say("repeat")
    assert step_of(stream_of(again)) == 0 and stream_of(again)["offsetInMilliseconds"] == 0
    over = echo.say("start over")
    assert step_of(stream_of(over)) == 0 and stream_of(over)["offsetInMilliseconds"] == 0

    assert play_to_the_end(echo, stream_of(over)) == [0, 1]
    attributes, sessions = stored(app, echo.device.user_id)
    assert attributes["routine"]["position"] == 2 and "playback" not in attributes
    # recorded with the length announced for this user (the massage warning was said up front)
    plan = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    planned = round(Speaker(catalogue, load_prompts("en-US"), "en-US").voice(Listener(False)).seconds(plan))
    assert sessions == [("quick", planned, ("sole-roll", "plantar-fascia-stretch"), ())]


def test_finishing_in_continuous_mode_stores_what_step_by_step_stores(
    echo: VoiceClient, app: Flask, live_url: str
) -> None:
    assert "both feet" in echo.say("both").text  # the same choice the step-by-step user makes
    play_to_the_end(echo, stream_of(echo.say("play the quick routine")))

    stepper = VoiceClient.for_locale(http_transport(live_url))
    stepper.launch()
    stepper.say("start the quick routine")
    stepper.say("both")
    stepper.say("next")
    assert "end of the quick routine" in stepper.say("next").text

    continuous, step_by_step = stored(app, echo.device.user_id), stored(app, stepper.device.user_id)
    assert continuous == step_by_step
    modes = [s.mode for s in app.extensions["heelcoach"].store.list_sessions(echo.device.user_id)]
    assert modes == ["continuous"]


def test_keep_going_in_step_mode_switches_to_playback_of_the_next_step(echo: VoiceClient) -> None:
    echo.say("start the quick routine")
    echo.say("both")
    heard = echo.say("keep going")
    assert "Carrying on with your quick routine" in heard.text
    assert step_of(stream_of(heard)) == 1 and heard.ends_session


def test_buttons_on_the_device_pause_and_play(echo: VoiceClient) -> None:
    first = stream_of(echo.say("play the quick routine"))
    start_track(echo, first)
    echo.device.player_offset_ms = 7_000
    paused = echo.audio_event("PlaybackController.PauseCommandIssued")
    assert paused.directive("AudioPlayer.Stop") is not None and paused.ssml == ""
    played = echo.audio_event("PlaybackController.PlayCommandIssued")
    assert stream_of(played)["offsetInMilliseconds"] == 7_000 and played.ssml == ""
    skipped = echo.audio_event("PlaybackController.NextCommandIssued")
    assert step_of(stream_of(skipped)) == 1


def test_a_failed_stream_is_replayed_from_its_offset_then_given_up(echo: VoiceClient) -> None:
    first = stream_of(echo.say("play the quick routine"))
    start_track(echo, first)
    echo.audio_event("AudioPlayer.PlaybackStopped", token=first["token"], offset_ms=3_000)
    error = {"type": "MEDIA_ERROR_SERVICE_UNAVAILABLE", "message": "down"}
    for _ in range(2):
        heard = echo.audio_event(
            "AudioPlayer.PlaybackFailed", token=first["token"], offset_ms=3_000, error=error
        )
        assert stream_of(heard)["offsetInMilliseconds"] == 3_000 and heard.ssml == ""
    third = echo.audio_event("AudioPlayer.PlaybackFailed", token=first["token"], offset_ms=3_000, error=error)
    assert third.directives == []
    # Given up: "next" is step-by-step again, from the same place.
    assert "Exercise two of two" in echo.say("next").text


def test_system_exception_and_loop_get_polite_answers(echo: VoiceClient) -> None:
    start_track(echo, stream_of(echo.say("play the quick routine")))
    heard = echo.send(
        echo.device.raw({"type": "System.ExceptionEncountered", "error": {"type": "INVALID_RESPONSE"}})
    )
    assert heard.status == 200 and heard.ssml == "" and heard.directives == []
    assert "loop and shuffle" in echo.intent("AMAZON.LoopOnIntent").text


def test_a_device_without_audio_player_gets_step_by_step(live_url: str) -> None:
    alexa = VoiceClient.for_locale(http_transport(live_url), device=Device(audio_player=False))
    alexa.launch()
    heard = alexa.say("play the quick routine")
    assert "can't play long audio" in heard.text
    assert heard.directives == []
    assert "Which foot" in heard.text  # the usual step-by-step start


def test_without_rendered_audio_play_falls_back_to_step_by_step(tmp_path: Path, catalogue: Catalogue) -> None:
    from heel_coach.console.client import flask_transport

    for audio_dir, base in ((tmp_path / "empty", BASE_URL), (tmp_path / "empty", "")):
        alexa = VoiceClient.for_locale(
            flask_transport(make_app(tmp_path / base[:5], catalogue, audio_dir, base))
        )
        alexa.launch()
        heard = alexa.say("play the quick routine")
        assert "isn't available right now" in heard.text and heard.directives == []
