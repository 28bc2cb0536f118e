"""The SSML builder escapes text and keeps every response inside Alexa's limits."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heel_coach.voice.ssml import (
    MAX_BREAK_S,
    SilenceClips,
    Ssml,
    SsmlLimitError,
    pauses_in,
    to_display_text,
)

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
    breaks = [
        int(v) / (1000 if unit == "ms" else 1) for v, unit in re.findall(r'<break time="(\d+)(ms|s)"/>', doc)
    ]
    assert all(b <= MAX_BREAK_S for b in breaks)
    assert sum(breaks) == pytest.approx(seconds, abs=0.001)


def test_long_silences_use_clips_when_published() -> None:
    doc = Ssml(silence=CLIPS).say("start").pause(90).say("stop").build()
    assert doc.count("<audio ") == 2  # 60 + 30
    assert "<break" not in doc
    assert pauses_in(doc) == [90.0]


def test_audio_over_240_seconds_is_refused() -> None:
    speech = Ssml(silence=CLIPS)
    speech.pause(200)
    with pytest.raises(SsmlLimitError):
        speech.pause(60)


def test_audio_must_be_https() -> None:
    with pytest.raises(SsmlLimitError):
        Ssml().audio("http://example.com/a.mp3", 1)


def test_speech_over_8000_characters_is_refused() -> None:
    with pytest.raises(SsmlLimitError):
        Ssml().say("word " * 2000).build()


def test_display_text_merges_consecutive_silences() -> None:
    doc = Ssml().say("Hold.").pause(25).say("Halfway.").pause(2.5).build()
    assert to_display_text(doc) == "Hold. [pause 25 s] Halfway. [pause 2.5 s]"
