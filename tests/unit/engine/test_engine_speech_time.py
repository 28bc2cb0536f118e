"""The speaking-rate estimate: words at the locale's rate plus a short pause per sentence."""

from __future__ import annotations

import pytest

from heel_coach.catalogue.model import OURS, SpeakingRate
from heel_coach.engine.speech_time import SENTENCE_PAUSE_S, speech_seconds, word_count

RATE = SpeakingRate(150, OURS, "a round figure for the arithmetic")


def test_a_minute_of_words_at_the_rate_and_one_sentence_pause() -> None:
    assert speech_seconds(" ".join(["word"] * 150), RATE) == pytest.approx(60 + SENTENCE_PAUSE_S)


def test_a_slower_language_takes_longer_for_the_same_words() -> None:
    slower = SpeakingRate(120, OURS, "German: more syllables a word")
    text = " ".join(["Wort"] * 120)
    assert speech_seconds(text, slower) == pytest.approx(60 + SENTENCE_PAUSE_S)
    assert speech_seconds(text, slower) > speech_seconds(text, RATE)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Hold for 30 seconds.", 4),
        ("Don't push through pain.", 4),
        ("", 0),
        ("...", 0),
        ("Left foot", 2),
        ("Halte dreißig Sekunden, dann löse.", 5),
    ],
)
def test_word_count(text: str, words: int) -> None:
    assert word_count(text) == words


def test_each_sentence_adds_a_pause() -> None:
    one = speech_seconds("Start now and keep going", RATE)
    two = speech_seconds("Start now. And keep going.", RATE)
    assert two - one == pytest.approx(SENTENCE_PAUSE_S)


def test_silence_is_free() -> None:
    assert speech_seconds("   ", RATE) == 0.0
