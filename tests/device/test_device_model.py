"""The simulated Echo's timing: speech, silences, listen windows, barge-in, the player."""

from __future__ import annotations

from typing import Any

import pytest

from heel_coach.engine.speech_time import speech_seconds
from heel_coach.simulator.device import (
    LISTEN_WINDOW_S,
    EchoDevice,
    Reply,
    Route,
    SoundKind,
    manifest_clips,
    time_ssml,
)
from tests.helpers import speaking_rate

SILENCE_URL = "https://coach.example.com/audio/silence/silence-30s.mp3"
RATE = speaking_rate("en-US")


def body(ssml: str, reprompt: str | None = None, *, end: bool | None = False, **extra: Any) -> dict[str, Any]:
    response: dict[str, Any] = {"outputSpeech": {"type": "SSML", "ssml": ssml}, **extra}
    if reprompt is not None:
        response["reprompt"] = {"outputSpeech": {"type": "SSML", "ssml": reprompt}}
    if end is not None:
        response["shouldEndSession"] = end
    return {"version": "1.0", "response": response}


def test_speech_is_timed_by_the_shared_estimate_and_silences_are_added() -> None:
    ssml = (
        '<speak><s>Hold for thirty seconds.</s> Start. <audio src="' + SILENCE_URL + '"/>'
        ' <break time="10s"/><break time="500ms"/> And release.</speak>'
    )
    timing = time_ssml(ssml, RATE)
    assert [s.kind for s in timing.sounds] == [
        SoundKind.SPEECH,
        SoundKind.SILENCE,
        SoundKind.BREAK,
        SoundKind.BREAK,
        SoundKind.SPEECH,
    ]
    assert timing.speech_s == pytest.approx(
        speech_seconds("Hold for thirty seconds. Start.", RATE) + speech_seconds("And release.", RATE)
    )
    assert timing.silence_s == pytest.approx(40.5)
    assert timing.words == 7
    assert timing.seconds == pytest.approx(timing.speech_s + 40.5)


def test_other_clips_take_their_manifest_length_and_unknown_ones_are_listed() -> None:
    ssml = '<speak>Hi. <audio src="https://x.example/a/en-US/step-1.mp3"/><audio src="https://x.example/b.mp3"/></speak>'
    timing = time_ssml(ssml, RATE, manifest_clips({"step-1.mp3": 42.0}))
    assert timing.clip_s == 42.0
    assert timing.unknown_clips == ("https://x.example/b.mp3",)


def test_escaped_text_is_spoken_words() -> None:
    assert time_ssml("<speak>Say &apos;next&apos; &amp; go.</speak>", RATE).text == "Say 'next' & go."


def test_an_open_session_listens_8_s_reprompts_listens_8_s_then_ends() -> None:
    echo = EchoDevice(now=100.0)
    reply = Reply.from_body(body("<speak>Say next.</speak>", "<speak>Say next to go on.</speak>"), RATE)
    line = echo.play_reply(reply)
    spoken = speech_seconds("Say next.", RATE)
    reprompt = speech_seconds("Say next to go on.", RATE)
    assert line.speech_end == pytest.approx(100 + spoken)
    assert line.reprompt == pytest.approx((line.speech_end + LISTEN_WINDOW_S, line.speech_end + 8 + reprompt))
    assert line.session_ends == pytest.approx(line.speech_end + 16 + reprompt)
    assert "mic closes at +" in line.describe()

    in_first = echo.hear(
        line.speech_end + 7.9, wake_word=False, names_skill=False, intent="AMAZON.NextIntent"
    )
    assert in_first.route is Route.SESSION and not in_first.heard_reprompt
    during_reprompt = echo.hear(line.reprompt[0] + 0.1, wake_word=False, names_skill=False, intent=None)
    assert during_reprompt.at == pytest.approx(line.reprompt[1])  # waits for Alexa to finish
    assert during_reprompt.route is Route.SESSION and during_reprompt.heard_reprompt


def test_words_after_the_second_window_find_no_session() -> None:
    echo = EchoDevice()
    line = echo.play_reply(Reply.from_body(body("<speak>Do ten.</speak>", "<speak>Say next.</speak>"), RATE))
    assert line.session_ends is not None
    late = echo.hear(line.session_ends + 5, wake_word=False, names_skill=False, intent="AMAZON.NextIntent")
    assert late.route is Route.LOST and late.timed_out_at == pytest.approx(line.session_ends)
    assert not echo.session_open
    bare_next = echo.hear(
        line.session_ends + 9, wake_word=True, names_skill=False, intent="AMAZON.NextIntent"
    )
    assert bare_next.route is Route.LOST  # "Alexa, next": no session, no player of ours
    relaunch = echo.hear(line.session_ends + 12, wake_word=True, names_skill=True, intent=None)
    assert relaunch.route is Route.NEW_SESSION


def test_should_end_session_closes_the_mic_when_the_speech_ends() -> None:
    echo = EchoDevice()
    line = echo.play_reply(Reply.from_body(body("<speak>Paused. Bye.</speak>", end=True), RATE))
    assert line.session_ends is None and line.mic_closes == line.speech_end
    assert "session is over" in line.describe()
    heard = echo.hear(line.speech_end + 1, wake_word=False, names_skill=False, intent="AMAZON.NextIntent")
    assert heard.route is Route.LOST and heard.timed_out_at is None


def test_the_wake_word_barges_in_and_cuts_the_speech() -> None:
    echo = EchoDevice()
    reply = Reply.from_body(
        body("<speak>one two three four five six seven eight nine ten.</speak>", "<speak>Go.</speak>"), RATE
    )
    line = echo.play_reply(reply)
    half = line.start + (line.speech_end - line.start) / 2
    barge = echo.hear(half, wake_word=True, names_skill=False, intent="AMAZON.PauseIntent")
    assert barge.barged_in and barge.route is Route.SESSION and barge.at == half
    assert reply.speech.text_until(half - line.start).split() == "one two three four five".split()
    polite = echo.hear(line.start + 0.5, wake_word=False, names_skill=False, intent="AMAZON.PauseIntent")
    assert polite.at == pytest.approx(line.speech_end) and not polite.barged_in


def play_body(
    token: str, url: str, behavior: str = "REPLACE_ALL", speech: str = "Here it is."
) -> dict[str, Any]:
    directive = {
        "type": "AudioPlayer.Play",
        "playBehavior": behavior,
        "audioItem": {"stream": {"token": token, "url": url, "offsetInMilliseconds": 0}},
    }
    return body(f"<speak>{speech}</speak>", end=True, directives=[directive])


def test_a_stream_plays_its_manifest_length_and_reports_its_events() -> None:
    clips = manifest_clips({"step-0.mp3": 60.0, "step-1.mp3": 30.0})
    echo = EchoDevice()
    line = echo.play_reply(
        Reply.from_body(play_body("t0", "https://a.example/en-US/step-0.mp3"), RATE, clips)
    )
    assert not echo.session_open and echo.player_active
    events = echo.player_events(line.speech_end + 55)
    assert [(e.kind, round(e.at - line.speech_end)) for e in events] == [
        ("AudioPlayer.PlaybackStarted", 0),
        ("AudioPlayer.PlaybackNearlyFinished", 50),
    ]
    next_reply = Reply.from_body(
        play_body("t1", "https://a.example/en-US/step-1.mp3", "ENQUEUE", ""), RATE, clips
    )
    assert next_reply.play is not None
    echo.enqueue(next_reply.play, "ENQUEUE", line.speech_end + 50)
    assert echo.finish_stream(line.speech_end + 59) is None
    finished = echo.finish_stream(line.speech_end + 61)
    assert finished is not None and finished.token == "t0" and finished.offset_ms == 60_000
    assert echo.player.current is not None and echo.player.current.token == "t1"
    assert echo.player.started == pytest.approx(line.speech_end + 60)


def test_a_bare_command_reaches_the_skill_only_through_its_player() -> None:
    clips = manifest_clips({"step-0.mp3": 60.0})
    echo = EchoDevice()
    line = echo.play_reply(Reply.from_body(play_body("t0", "https://a.example/step-0.mp3"), RATE, clips))
    pause = echo.hear(line.speech_end + 20, wake_word=True, names_skill=False, intent="AMAZON.PauseIntent")
    assert pause.route is Route.PLAYER
    assert echo.player.stopped_offset_ms == 20_000
    chat = echo.hear(line.speech_end + 21, wake_word=True, names_skill=False, intent="HowLongLeftIntent")
    assert chat.route is Route.LOST
