"""The one speaking-rate estimate: words at 150 per minute plus a short pause per sentence."""

from __future__ import annotations

import pytest

from heel_coach.engine.speech_time import SENTENCE_PAUSE_S, WORDS_PER_MINUTE, speech_seconds, word_count


def test_rate_is_the_documented_150_words_a_minute() -> None:
    assert WORDS_PER_MINUTE == 150
    assert speech_seconds(" ".join(["word"] * 150)) == pytest.approx(60 + SENTENCE_PAUSE_S)


@pytest.mark.parametrize(
    ("text", "words"),
    [("Hold for 30 seconds.", 4), ("Don't push through pain.", 4), ("", 0), ("...", 0), ("Left foot", 2)],
)
def test_word_count(text: str, words: int) -> None:
    assert word_count(text) == words


def test_each_sentence_adds_a_pause() -> None:
    one = speech_seconds("Start now and keep going")
    two = speech_seconds("Start now. And keep going.")
    assert two - one == pytest.approx(SENTENCE_PAUSE_S)


def test_silence_is_free() -> None:
    assert speech_seconds("   ") == 0.0
