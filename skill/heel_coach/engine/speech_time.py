"""How long Alexa takes to say a text: ONE estimate per locale, shared by announced lengths,
the device model and offline renders.

Announced lengths ("about six minutes", "how long is left") and the device model's clock
(tests, `heel-coach figures`, the console's timing) must agree, so both call this module with
the locale's ``SpeakingRate`` (``catalogue.speaking_rate[locale]``, from the language's
``speech.yaml``, which says where its number comes from: 150 words a minute in English, 120 in
German, whose words have more syllables). A sentence end adds a short pause, as TTS voices
breathe at full stops; that pause is the same in every language. Silences (``<break>``, audio
clips) are not speech: callers add them from the timing plan.
"""

from __future__ import annotations

import re

from heel_coach.catalogue.model import SpeakingRate

SENTENCE_PAUSE_S = 0.3
"""Pause after each sentence (., ?, !): TTS voices pause there, about a third of a second."""

# Compiled by ``re`` on first use and kept in its cache: not at import (a cold start).
_WORD = r"[0-9A-Za-zÀ-ÿ]+(?:['’][A-Za-zÀ-ÿ]+)*"
_SENTENCE_END = r"[.?!](?:\s|$)"


def word_count(text: str) -> int:
    """Spoken words in plain text (a number written in digits counts as one word)."""
    return len(re.findall(_WORD, text))


def speech_seconds(text: str, rate: SpeakingRate) -> float:
    """Seconds Alexa takes to say plain ``text`` (no SSML tags) at the locale's ``rate``."""
    words = word_count(text)
    if words == 0:
        return 0.0
    sentences = max(1, len(re.findall(_SENTENCE_END, text.strip() + " ")))
    return words * 60.0 / rate.words_per_minute + sentences * SENTENCE_PAUSE_S
