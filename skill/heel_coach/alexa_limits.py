"""Alexa's documented limits on one response's speech, in one place: the SSML builder
(voice/ssml.py) enforces them, the silence clips (audio/silence.py) and the timing plan
(engine/plan.py) are sized by them. Whole seconds and characters, as Amazon states them.

Source: ../shared/reference/alexa-platform.md section 2 (the request-and-response JSON
reference) and section 3 (the SSML reference and Amazon's "New SSML tag audio" post).
"""

from __future__ import annotations

__all__ = [
    "MAX_BREAK_S",
    "MAX_CLIP_AUDIO_S",
    "MAX_REPROMPT_AUDIO_S",
    "MAX_SPEECH_AUDIO_S",
    "MAX_SSML_CHARS",
]

MAX_BREAK_S = 10
"""``<break time>`` may be at most 10 s (``10s`` or ``10000ms``); longer silence is made of
silent ``<audio>`` clips, since consecutive breaks are undocumented."""

MAX_SPEECH_AUDIO_S = 240
"""Combined ``<audio>`` length in ``outputSpeech`` (the current limit; it was 90 s)."""

MAX_REPROMPT_AUDIO_S = 90
"""Combined ``<audio>`` length in a ``reprompt``."""

MAX_CLIP_AUDIO_S = 90
"""One ``<audio>`` clip was limited to 90 s in Amazon's original announcement; the current
limit is 240 s per response combined, so clips of at most 90 s are safe either way."""

MAX_SSML_CHARS = 8000
"""``outputSpeech`` must be under 8000 characters ("exceeds allowed size of 8000 characters")."""
