"""The SSML builder escapes text and keeps every response inside Alexa's limits."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heel_coach.alexa_limits import MAX_REPROMPT_AUDIO_S
from heel_coach.voice.ssml import (
    SilenceClips,
    Ssml,
    SsmlLimitError,
    pauses_in,
    to_display_text,
)

# Amazon's documented limits (docs/ and the platform reference), written out here on purpose:
# the tests compare the builder with Amazon's numbers, not with the module's own constants.
AMAZON_MAX_BREAK_MS = 10_000  # <break time> at most 10 s / 10000 ms
AMAZON_MAX_SPEECH_AUDIO_S = 240  # combined <audio> in outputSpeech
AMAZON_MAX_REPROMPT_AUDIO_S = 90  # combined <audio> in a reprompt
AMAZON_MAX_SPEECH_CHARS = 8000  # outputSpeech SSML ("exceeds allowed size of 8000 characters")
SPEAK_TAGS = len("<speak></speak>")
CLIP = "https://coach.example/audio/track.mp3"

CLIPS = SilenceClips(
    (1, 2, 5, 10, 15, 20, 30, 45, 60), lambda n: f"https://coach.example/audio/silence/silence-{n}s.mp3"
)


def test_text_is_escaped() -> None:
    doc = Ssml().sentence('Feet & toes <now> "quoted"').build()
    assert "&amp;" in doc and "&lt;now&gt;" in doc and "<now>" not in doc
    assert to_display_text(doc) == 'Feet & toes <now> "quoted"'


@given(st.floats(min_value=0, max_value=200, allow_nan=False).map(lambda x: round(x, 1)))
def test_a_pause_of_any_length_is_exact_and_every_break_within_ten_seconds(seconds: float) -> None:
    doc = Ssml().say("start").pause(seconds).say("stop").build()
    breaks = break_ms(doc)
    assert all(0 < b <= AMAZON_MAX_BREAK_MS for b in breaks)
    assert sum(breaks) == round(seconds * 1000)


def break_ms(doc: str) -> list[int]:
    return [
        int(v) * (1 if unit == "ms" else 1000) for v, unit in re.findall(r'<break time="(\d+)(ms|s)"/>', doc)
    ]


@pytest.mark.parametrize(
    ("seconds", "breaks"),
    [(10, [10_000]), (10.001, [10_000, 1]), (11, [10_000, 1000]), (20, [10_000, 10_000])],
)
def test_one_break_lasts_at_most_amazons_ten_seconds(seconds: float, breaks: list[int]) -> None:
    assert break_ms(Ssml().pause(seconds).build()) == breaks


def test_long_silences_use_clips_when_published() -> None:
    doc = Ssml(silence=CLIPS).say("start").pause(90).say("stop").build()
    assert doc.count("<audio ") == 2  # 60 + 30
    assert "<break" not in doc
    assert pauses_in(doc) == [90.0]


def test_audio_up_to_240_seconds_per_response_and_not_a_moment_more() -> None:
    speech = Ssml(silence=CLIPS)
    speech.pause(200).audio(CLIP, AMAZON_MAX_SPEECH_AUDIO_S - 200)
    assert speech.audio_seconds == AMAZON_MAX_SPEECH_AUDIO_S
    speech.build()
    with pytest.raises(SsmlLimitError):
        speech.audio(CLIP, 0.5)
    with pytest.raises(SsmlLimitError):
        Ssml().audio(CLIP, AMAZON_MAX_SPEECH_AUDIO_S + 0.5)


def test_extend_keeps_the_combined_audio_within_240_seconds() -> None:
    first = Ssml().audio(CLIP, 200)
    first.extend(Ssml().audio(CLIP, AMAZON_MAX_SPEECH_AUDIO_S - 200))
    assert first.audio_seconds == AMAZON_MAX_SPEECH_AUDIO_S
    assert first.build().count("<audio ") == 2
    over = Ssml().audio(CLIP, 200)
    with pytest.raises(SsmlLimitError):
        over.extend(Ssml().audio(CLIP, AMAZON_MAX_SPEECH_AUDIO_S - 200 + 0.5))
    assert over.audio_seconds == 200 and over.build().count("<audio ") == 1  # refused whole


def test_a_reprompt_carries_at_most_90_seconds_of_audio() -> None:
    reprompt = Ssml(max_audio_s=MAX_REPROMPT_AUDIO_S)
    reprompt.audio(CLIP, AMAZON_MAX_REPROMPT_AUDIO_S)
    with pytest.raises(SsmlLimitError):
        reprompt.audio(CLIP, 0.5)
    with pytest.raises(SsmlLimitError):
        Ssml(max_audio_s=MAX_REPROMPT_AUDIO_S).audio(CLIP, AMAZON_MAX_REPROMPT_AUDIO_S + 0.5)


def test_audio_must_be_https() -> None:
    with pytest.raises(SsmlLimitError):
        Ssml().audio("http://example.com/a.mp3", 1)


def test_speech_of_8000_characters_passes_and_8001_is_refused() -> None:
    at_limit = Ssml().say("a" * (AMAZON_MAX_SPEECH_CHARS - SPEAK_TAGS)).build()
    assert len(at_limit) == AMAZON_MAX_SPEECH_CHARS
    with pytest.raises(SsmlLimitError):
        Ssml().say("a" * (AMAZON_MAX_SPEECH_CHARS - SPEAK_TAGS + 1)).build()


def test_display_text_merges_consecutive_silences() -> None:
    doc = Ssml().say("Hold.").pause(25).say("Halfway.").pause(2.5).build()
    assert to_display_text(doc) == "Hold. [pause 25 s] Halfway. [pause 2.5 s]"
