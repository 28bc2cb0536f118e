"""Continuous mode as a conversation: "play the quick routine" (or yes to the hands-free offer),
then an Echo that plays our tracks and sends AudioPlayer events back, over real HTTP to the
Flask app. No response to an AudioPlayer or PlaybackController request ever carries speech."""

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
from heel_coach.voice.tracks import Token, closing_track, step_track, track_voice, wanted_tracks
from heel_coach.web.app import create_app

BASE_URL = "https://coach.example.com/audio"
CLOSING = 2
"""The quick routine has two steps; the closing words' track is step 2 (a finished routine)."""


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


def silent(heard: Heard) -> Heard:
    """Alexa rejects speech, reprompts and cards in answers to AudioPlayer/PlaybackController."""
    assert heard.status == 200, heard.body
    assert not {"outputSpeech", "reprompt", "card"} & set(heard.response), heard.body
    return heard


def event(alexa: VoiceClient, kind: str, **kwargs: Any) -> Heard:
    return silent(alexa.audio_event(kind, **kwargs))


def start_track(alexa: VoiceClient, stream: dict[str, Any]) -> Heard:
    """What an Echo does with a Play: remember the stream and report PlaybackStarted."""
    device = alexa.device
    device.player_token, device.player_offset_ms = stream["token"], stream["offsetInMilliseconds"]
    device.player_activity = "PLAYING"
    heard = event(
        alexa, "AudioPlayer.PlaybackStarted", token=stream["token"], offset_ms=stream["offsetInMilliseconds"]
    )
    assert heard.status == 200 and heard.ssml == "" and heard.directives == []
    return heard


def finish_track(alexa: VoiceClient, stream: dict[str, Any]) -> dict[str, Any] | None:
    """NearlyFinished (maybe answered with an ENQUEUE), then Finished; returns the next stream."""
    nearly = event(alexa, "AudioPlayer.PlaybackNearlyFinished", token=stream["token"], offset_ms=1000)
    assert nearly.ssml == ""
    following: dict[str, Any] | None = None
    if nearly.directives:
        play = play_of(nearly)
        assert play["playBehavior"] == "ENQUEUE"
        following = play["audioItem"]["stream"]
        assert following["expectedPreviousToken"] == stream["token"]
    done = event(alexa, "AudioPlayer.PlaybackFinished", token=stream["token"], offset_ms=1000)
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


def track_lengths(rendered: Path) -> dict[str, float]:
    """Every rendered track's length (s) by track id: what the device plays."""
    from heel_coach.audio.manifest import load_manifest

    manifest = load_manifest(rendered, "en-US")
    assert manifest is not None
    return {track_id: entry.duration_s for track_id, entry in manifest.tracks.items()}


def test_play_the_quick_routine_with_pause_resume_next_previous_and_start_over(
    echo: VoiceClient, app: Flask, catalogue: Catalogue, rendered: Path
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
    event(echo, "AudioPlayer.PlaybackStopped", token=first["token"], offset_ms=42_000)

    # Days later: a new session. The launch offers to play on; "resume" plays from 42 s.
    assert "Shall I play on from where you stopped?" in echo.launch().text
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

    assert play_to_the_end(echo, stream_of(over)) == [0, 1, CLOSING]
    attributes, sessions = stored(app, echo.device.user_id)
    assert attributes["routine"]["position"] == 2 and "playback" not in attributes
    # Recorded with the length continuous mode announced (its tracks' rendered lengths and
    # the opening), not step mode's, which waits for "next" between the steps.
    plan = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    speaker = Speaker(catalogue, load_prompts("en-US"), "en-US")
    planned = round(track_voice(speaker, durations=track_lengths(rendered)).seconds(plan))
    assert planned != round(speaker.voice(Listener(False)).seconds(plan))
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
    stepper.say("no")  # to the hands-free offer
    stepper.say("ready")
    stepper.say("next")
    assert "end of the quick routine" in stepper.say("next").text

    continuous, step_by_step = stored(app, echo.device.user_id), stored(app, stepper.device.user_id)
    # The intended differences: the choice, and the length each mode announced.
    assert continuous[0].pop("playback_prefs")["choice"] == "hands_free"
    assert step_by_step[0].pop("playback_prefs")["choice"] == "step"
    assert continuous[0] == step_by_step[0]
    ((routine, played_s, *done),), ((_, stepped_s, *done_stepping),) = continuous[1], step_by_step[1]
    assert routine == "quick" and done == done_stepping and played_s != stepped_s
    modes = [s.mode for s in app.extensions["heelcoach"].store.list_sessions(echo.device.user_id)]
    assert modes == ["continuous"]


def test_keep_going_in_step_mode_switches_to_playback_of_the_next_step(echo: VoiceClient) -> None:
    echo.say("start the quick routine")
    echo.say("both")
    echo.say("step by step")
    heard = echo.say("keep going")
    assert "Carrying on with your quick routine" in heard.text
    assert step_of(stream_of(heard)) == 1 and heard.ends_session


def test_buttons_on_the_device_pause_and_play(echo: VoiceClient) -> None:
    first = stream_of(echo.say("play the quick routine"))
    start_track(echo, first)
    echo.device.player_offset_ms = 7_000
    paused = event(echo, "PlaybackController.PauseCommandIssued")
    assert paused.directive("AudioPlayer.Stop") is not None
    played = event(echo, "PlaybackController.PlayCommandIssued")
    assert stream_of(played)["offsetInMilliseconds"] == 7_000
    skipped = event(echo, "PlaybackController.NextCommandIssued")
    assert step_of(stream_of(skipped)) == 1


ERROR = {"type": "MEDIA_ERROR_SERVICE_UNAVAILABLE", "message": "down"}
OFFER = "I can play it through"


def test_starting_a_routine_offers_hands_free_once_and_yes_plays_it(echo: VoiceClient) -> None:
    echo.say("start the quick routine")
    offer = echo.say("both")
    assert OFFER in offer.text and "'Alexa, pause'" in offer.text
    assert offer.text.endswith("Shall I?") and len(offer.text.split()) <= 12
    assert not offer.ends_session and offer.directives == []
    heard = echo.say("yes")
    # Right after the offer: the length and the equipment, not the offer's pause hint again.
    assert heard.text.startswith("It's about ") and "You'll need" in heard.text and heard.ends_session
    assert "'Alexa, pause'" not in heard.text
    assert play_to_the_end(echo, stream_of(heard)) == [0, 1, CLOSING]

    # Another day, a new session (the server checks timestamps, so only the session is new):
    # "start" plays straight away, nothing asked.
    echo.launch()
    again = echo.say("start the quick routine")
    assert OFFER not in again.text and "Playing your quick routine, both feet. It takes about" in again.text
    assert "You'll need" in again.text and "Say 'Alexa, pause' whenever you need a break." in again.text
    assert step_of(stream_of(again)) == 0 and again.ends_session


def test_an_unclear_answer_to_the_offer_asks_again(echo: VoiceClient) -> None:
    echo.say("start the quick routine")
    echo.say("both")
    assert "Say yes, or say step by step" in echo.say("banana bread").text
    assert step_of(stream_of(echo.say("play it"))) == 0


def test_no_to_the_offer_coaches_step_by_step_and_is_remembered(echo: VoiceClient, app: Flask) -> None:
    echo.say("start the quick routine")
    echo.say("both")
    heard = echo.say("no")
    assert heard.text.startswith("Okay, step by step. Say 'hands free' any time to switch.")
    assert "Then say 'ready'" in heard.text and heard.directives == [] and not heard.ends_session
    assert stored(app, echo.device.user_id)[0]["playback_prefs"] == {"choice": "step", "notice": None}

    echo.end()  # another day: a new session
    echo.launch()
    again = echo.say("start the quick routine")
    assert OFFER not in again.text and "Then say 'ready'" in again.text and again.directives == []


def test_the_choice_changes_by_voice_either_way(echo: VoiceClient) -> None:
    echo.say("start the quick routine")
    echo.say("both")
    echo.say("one step at a time")  # answers the offer: no
    echo.say("ready")
    echo.say("next")
    # "Hands free" mid-routine plays on from the current step, and sticks.
    heard = echo.say("hands free")
    assert "Carrying on with your quick routine" in heard.text
    stream = stream_of(heard)
    assert step_of(stream) == 1 and stream["offsetInMilliseconds"] == 0 and heard.ends_session
    start_track(echo, stream)

    # "Step by step" while it plays: the player stops, coaching carries on at the same exercise.
    echo.device.player_offset_ms = 9_000
    back = echo.say("step by step")
    assert back.directive("AudioPlayer.Stop") is not None and back.directive("AudioPlayer.Play") is None
    assert "Exercise two of two" in back.text and not back.ends_session
    assert "end of the quick routine" in echo.say("next").text

    echo.launch()
    assert "Then say 'ready'" in echo.say("start the quick routine").text  # step mode, unasked
    echo.say("hands free")
    echo.launch()
    assert step_of(stream_of(echo.say("start the quick routine"))) == 0  # hands-free, unasked


def test_a_track_that_fails_is_retried_where_it_failed_then_coaching_goes_on_step_by_step(
    echo: VoiceClient, app: Flask
) -> None:
    echo.say("start the quick routine")
    echo.say("both")
    first = stream_of(echo.say("yes"))
    start_track(echo, first)

    # 42 s in the stream drops; the Echo reports where (currentPlaybackState).
    retry = event(echo, "AudioPlayer.PlaybackFailed", token=first["token"], offset_ms=42_000, error=ERROR)
    assert play_of(retry)["playBehavior"] == "REPLACE_ALL"
    assert stream_of(retry)["token"] == first["token"] and stream_of(retry)["offsetInMilliseconds"] == 42_000
    start_track(echo, stream_of(retry))
    second = event(echo, "AudioPlayer.PlaybackFailed", token=first["token"], offset_ms=57_500, error=ERROR)
    assert stream_of(second)["offsetInMilliseconds"] == 57_500
    start_track(echo, stream_of(second))

    # A third failure of the same track: we give up, silently (no speech allowed here).
    gave_up = event(echo, "AudioPlayer.PlaybackFailed", token=first["token"], offset_ms=58_000, error=ERROR)
    assert gave_up.directives == []
    assert stored(app, echo.device.user_id)[0]["playback_prefs"]["notice"] == "audio_failed"

    # The next launch says so in one sentence, then offers to carry on from the same place.
    launch = echo.launch()
    assert launch.text.startswith("The audio didn't play, so I'll coach you step by step. Welcome back")
    assert "Shall we carry on" in launch.text
    step = echo.say("yes")
    assert "didn't play" not in step.text and step.directives == []
    assert "Exercise one of two" in step.text and not step.ends_session
    assert "Exercise two of two" in echo.say("next").text
    assert stored(app, echo.device.user_id)[0]["playback_prefs"] == {"choice": "hands_free", "notice": None}


def test_a_queued_track_that_fails_as_it_starts_is_replayed_from_its_start(echo: VoiceClient) -> None:
    first = stream_of(echo.say("play the quick routine"))
    start_track(echo, first)
    following = finish_track(echo, first)
    assert following is not None
    retry = event(echo, "AudioPlayer.PlaybackFailed", token=following["token"], offset_ms=0, error=ERROR)
    assert step_of(stream_of(retry)) == 1 and stream_of(retry)["offsetInMilliseconds"] == 0
    assert play_to_the_end(echo, stream_of(retry)) == [1, CLOSING]


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
    first = alexa.say("both")
    assert OFFER not in first.text and "Then say 'ready'" in first.text  # nothing offered
    assert "can't play long audio" in alexa.say("hands free").text


def test_without_rendered_audio_play_falls_back_to_step_by_step(tmp_path: Path, catalogue: Catalogue) -> None:
    from heel_coach.console.client import flask_transport

    for audio_dir, base in ((tmp_path / "empty", BASE_URL), (tmp_path / "empty", "")):
        alexa = VoiceClient.for_locale(
            flask_transport(make_app(tmp_path / base[:5], catalogue, audio_dir, base))
        )
        alexa.launch()
        heard = alexa.say("play the quick routine")
        assert "isn't available right now" in heard.text and heard.directives == []


def test_it_hurts_during_playback_stops_the_stream_where_it_is(echo: VoiceClient, app: Flask) -> None:
    first = stream_of(echo.say("play the quick routine"))
    start_track(echo, first)
    echo.device.player_offset_ms = 12_000  # the intent arrives with the player's context
    heard = echo.say("alexa tell heel coach it hurts")
    assert heard.directive("AudioPlayer.Stop") is not None and heard.directive("AudioPlayer.Play") is None
    assert "Don't push through pain." in heard.text and "see a health professional if you have" in heard.text
    assert "Say skip to move on, or stop to finish for today." in heard.text
    assert not heard.ends_session and heard.reprompt
    echo.device.player_activity = "STOPPED"
    echo.audio_event("AudioPlayer.PlaybackStopped", token=first["token"], offset_ms=12_000)
    attributes, _ = stored(app, echo.device.user_id)
    assert (attributes["routine"]["position"], attributes["routine"]["offset_ms"]) == (0, 12_000)
    resumed = echo.say("resume")
    assert stream_of(resumed)["token"] == first["token"]
    assert stream_of(resumed)["offsetInMilliseconds"] == 12_000


def test_a_break_during_playback_stops_the_stream_and_says_how_to_come_back(echo: VoiceClient) -> None:
    first = stream_of(echo.say("play the quick routine"))
    start_track(echo, first)
    echo.device.player_offset_ms = 30_000
    heard = echo.say("ask heel coach to give me a minute")
    assert heard.directive("AudioPlayer.Stop") is not None and heard.ends_session
    assert "When you're ready, say 'Alexa, open heel coach'." in heard.text
    assert "Shall I play on from where you stopped?" in echo.launch().text
    assert stream_of(echo.say("resume"))["offsetInMilliseconds"] == 30_000


def test_an_echo_show_follows_the_tracks_on_screen(
    app: Flask, live_url: str, rendered: Path, catalogue: Catalogue
) -> None:
    """Continuous mode on a screen: the Play response shows the exercise screen laid out on the
    rendered tracks themselves (their measured layout), and a resume starts it at the offset."""
    from heel_coach.audio.manifest import load_manifest
    from heel_coach.catalogue.model import Focus
    from heel_coach.engine.plan import Foot, build_plan
    from heel_coach.screens.viewports import viewport_named

    show = VoiceClient.for_locale(
        http_transport(live_url), device=Device(screen=viewport_named("large").context_viewport())
    )
    show.launch()
    heard = show.say("play the quick routine")
    screen = heard.screen
    assert screen is not None and play_of(heard) is not None
    data = screen["datasources"]["payload"]
    assert data["offsetMs"] == 0 and len(data["steps"]) == 2  # both tracks of the quick routine
    manifest = load_manifest(rendered, "en-US")
    assert manifest is not None
    first = manifest.tracks[Token.parse(stream_of(heard)["token"]).track_id]  # type: ignore[union-attr]
    ticks = [p for p in data["phases"] if p["kind"] == "work" and p["fromS"] != p["toS"] and p["step"] == 0]
    gaps = [(a, b) for kind, a, b in first.layout if kind == "gap"]
    # Every second of counting is a silent gap of the track, at the same place in it.
    for tick in ticks:
        assert any(abs(tick["startMs"] / 1000 - a) < 0.002 for a, _ in gaps), tick
    assert sum(p["fromS"] - p["toS"] for p in ticks) == sum(
        s.work.seconds * s.work.count
        for s in build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE).steps[0].segments
    )
    start_track(show, stream_of(heard))
    show.device.player_offset_ms = 42_000
    show.say("pause")
    show.audio_event("AudioPlayer.PlaybackStopped", token=stream_of(heard)["token"], offset_ms=42_000)
    show.launch()
    resumed = show.say("resume")
    assert resumed.screen is not None and resumed.screen["datasources"]["payload"]["offsetMs"] == 42_000
    # Responses to AudioPlayer and PlaybackController requests never carry APL.
    played = show.audio_event("PlaybackController.PlayCommandIssued")
    assert played.screen is None


def manifest_text(rendered: Path, stream: dict[str, Any]) -> str:
    """What a stream says: its track's text in the rendered manifest."""
    from heel_coach.audio.manifest import load_manifest

    manifest, token = load_manifest(rendered, "en-US"), Token.parse(stream["token"])
    assert manifest is not None and token is not None
    return manifest.tracks[token.track_id].text


def pause_at(alexa: VoiceClient, stream: dict[str, Any], offset_ms: int) -> None:
    """ "Alexa, pause" ``offset_ms`` into ``stream``: the device stops it and reports where."""
    alexa.device.player_offset_ms = offset_ms
    paused = alexa.say("pause")
    assert paused.directive("AudioPlayer.Stop") is not None and paused.ends_session
    alexa.device.player_activity = "STOPPED"
    event(alexa, "AudioPlayer.PlaybackStopped", token=stream["token"], offset_ms=offset_ms)


def test_yes_to_carry_on_plays_on_from_where_it_stopped(echo: VoiceClient) -> None:
    """Item 1: the launch after a hands-free pause says what yes does, and yes does it."""
    first = stream_of(echo.say("play the quick routine"))
    start_track(echo, first)
    pause_at(echo, first, 42_000)

    launch = echo.launch()
    assert launch.text.endswith("exercise one of two. Shall I play on from where you stopped?")
    assert "play on" in launch.reprompt or "carry on" in launch.reprompt
    heard = echo.say("yes")
    assert stream_of(heard)["token"] == first["token"] and stream_of(heard)["offsetInMilliseconds"] == 42_000
    assert heard.ends_session and heard.directive("AudioPlayer.Stop") is None

    # "Start my exercises" (no routine named) offers the same, and yes plays the same way.
    start_track(echo, stream_of(heard))
    pause_at(echo, first, 50_000)
    echo.launch()
    assert "Shall I play on" in echo.say("start my exercises").text
    assert stream_of(echo.say("yes"))["offsetInMilliseconds"] == 50_000


def test_a_device_without_audio_player_says_yes_carries_on_step_by_step(
    echo: VoiceClient, live_url: str
) -> None:
    first = stream_of(echo.say("play the quick routine"))
    start_track(echo, first)
    pause_at(echo, first, 42_000)

    speaker = VoiceClient.for_locale(
        http_transport(live_url), device=Device(user_id=echo.device.user_id, audio_player=False)
    )
    launch = speaker.launch()
    assert launch.text.endswith("This device can't play long audio. Shall we carry on step by step?")
    heard = speaker.say("yes")
    assert heard.directives == [] and "Exercise one of two" in heard.text and not heard.ends_session


def test_the_closing_words_play_after_the_last_track_as_step_mode_says_them(
    echo: VoiceClient, app: Flask, rendered: Path, live_url: str
) -> None:
    """Item 2: AudioPlayer events cannot speak, so the closing words are a track of their own,
    enqueued after the last step's; the routine is recorded as the last step's track ends."""
    first = stream_of(echo.say("play the quick routine"))
    start_track(echo, first)
    last = finish_track(echo, first)
    assert last is not None and step_of(last) == 1
    start_track(echo, last)
    closing = finish_track(echo, last)
    assert closing is not None and step_of(closing) == CLOSING
    assert stored(app, echo.device.user_id)[1] != []  # recorded: the exercises are done
    assert stored(app, echo.device.user_id)[0]["playback"] is not None  # "Alexa, pause" still works
    start_track(echo, closing)
    assert finish_track(echo, closing) is None
    attributes, sessions = stored(app, echo.device.user_id)
    assert "playback" not in attributes and len(sessions) == 1

    stepper = VoiceClient.for_locale(http_transport(live_url))
    stepper.launch()
    stepper.say("start the quick routine")
    stepper.say("both")
    stepper.say("no")
    stepper.say("ready")
    stepper.say("next")
    said = manifest_text(rendered, closing)
    assert said.startswith("That's the end of the quick routine. Well done! You did two of two exercises.")
    assert said.endswith("See you next time.")
    assert said in stepper.say("next").text  # the same words, from the same prompts


def test_the_closing_words_count_a_skipped_exercise(echo: VoiceClient, app: Flask, rendered: Path) -> None:
    first = stream_of(echo.say("play the quick routine"))
    start_track(echo, first)
    echo.device.player_offset_ms = 20_000
    skipped = echo.say("skip this exercise")
    assert step_of(stream_of(skipped)) == 1
    start_track(echo, stream_of(skipped))
    closing = finish_track(echo, stream_of(skipped))
    assert closing is not None
    assert "You did one of two exercises." in manifest_text(rendered, closing)
    assert stored(app, echo.device.user_id)[1][0][2:] == (("plantar-fascia-stretch",), ("sole-roll",))


def test_pause_during_the_closing_words_stops_them_and_nothing_plays_again_after(echo: VoiceClient) -> None:
    first = stream_of(echo.say("play the quick routine"))
    start_track(echo, first)
    last = event(echo, "PlaybackController.NextCommandIssued")  # the button skips to the last step
    start_track(echo, stream_of(last))
    closing = stream_of(event(echo, "PlaybackController.NextCommandIssued"))  # past it: the closing
    assert step_of(closing) == CLOSING and closing["offsetInMilliseconds"] == 0
    start_track(echo, closing)
    pause_at(echo, closing, 3_000)
    resumed = echo.say("resume")
    assert stream_of(resumed)["token"] == closing["token"]
    assert stream_of(resumed)["offsetInMilliseconds"] == 3_000
    start_track(echo, stream_of(resumed))
    assert finish_track(echo, stream_of(resumed)) is None
    # The routine is over: a later "Alexa, resume" (our stream was the last) plays nothing.
    echo.device.player_activity = "FINISHED"
    late = echo.intent("AMAZON.ResumeIntent", new_session=True)
    assert late.directive("AudioPlayer.Play") is None and "don't have a routine going" in late.text


def test_how_long_is_left_counts_the_tracks_still_to_play_and_plays_on(
    echo: VoiceClient, catalogue: Catalogue, rendered: Path
) -> None:
    """Item 6: "how long is left" mid-stream answers from the rendered tracks (the length the
    start announced), less what has played of the current one, then the stream plays on."""
    speaker = Speaker(catalogue, load_prompts("en-US"), "en-US")
    plan = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    lengths = track_lengths(rendered)
    to_play = [step_track(speaker, plan, step) for step in plan.steps]
    to_play.append(closing_track(speaker, plan, plan.exercise_count()))
    first = stream_of(echo.say("play the quick routine"))
    start_track(echo, first)

    echo.device.player_offset_ms = 60_000
    heard = echo.say("how long is left")
    left_s = sum(lengths[track.track_id] for track in to_play) - 60
    assert heard.text == f"About {speaker.words.approximate_duration(left_s)} left, with two exercises to go."
    assert stream_of(heard)["token"] == first["token"] and stream_of(heard)["offsetInMilliseconds"] == 60_000
    assert heard.ends_session and heard.directive("AudioPlayer.Stop") is None

    # On the last step, paused: the answer counts that track and the closing words; it stays paused.
    start_track(echo, stream_of(heard))
    last = stream_of(echo.say("next"))
    start_track(echo, last)
    pause_at(echo, last, 10_000)
    paused = echo.say("how long is left")
    left_s = lengths[to_play[1].track_id] + lengths[to_play[2].track_id] - 10
    assert paused.text == f"About {speaker.words.approximate_duration(left_s)} left, with one exercise to go."
    assert paused.directives == [] and paused.ends_session
    assert stream_of(echo.say("resume"))["offsetInMilliseconds"] == 10_000
