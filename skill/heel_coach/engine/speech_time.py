"""How long Alexa takes to say a text: ONE estimate shared by announced lengths and the device model.

Announced lengths ("about six minutes", "how long is left") and the device model's clock
(tests, `heel-coach figures`, the console's timing) must agree, so both call this module.

Rate: 150 words per minute (2.5 words a second). Measured speaking rates of Alexa's and other
neural TTS voices sit around 150-170 words per minute; we take the slow end so that a turn's
time and a routine's announced length err long (a person is never cut off, an announcement is
never short). A sentence end adds a short pause, as TTS voices breathe at full stops.
Silences (``<break>``, audio clips) are not speech: callers add them from the timing plan.
"""

from __future__ import annotations

import re

WORDS_PER_MINUTE = 150
"""Speaking rate used everywhere a spoken length is estimated (see the module docstring)."""
SENTENCE_PAUSE_S = 0.3
"""Pause after each sentence (., ?, !): TTS voices pause there, about a third of a second."""

_WORD = re.compile(r"[0-9A-Za-zÀ-ÿ]+(?:['’][A-Za-zÀ-ÿ]+)*")
_SENTENCE_END = re.compile(r"[.?!](?:\s|$)")


def word_count(text: str) -> int:
    """Spoken words in plain text (a number written in digits counts as one word)."""
    return len(_WORD.findall(text))


def speech_seconds(text: str) -> float:
    """Seconds Alexa takes to say plain ``text`` (no SSML tags) at ``WORDS_PER_MINUTE``."""
    words = word_count(text)
    if words == 0:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text.strip() + " ")))
    return words * 60.0 / WORDS_PER_MINUTE + sentences * SENTENCE_PAUSE_S
