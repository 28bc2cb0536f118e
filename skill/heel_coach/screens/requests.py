"""What a turn asks the screen to show: small records the voice layer collects while it speaks.

They cost nothing to make, so speech for speaker-only devices is built exactly as before;
only for a device with a screen does ``heel_coach.voice.screens`` turn the last of them into
a document and its data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

TOKEN_PREFIX = "heelcoach"
"""Every document token starts with this; UserEvents from other tokens are not ours. Here and
not in the views so that checking a touch does not import them."""


class SafetyTopic(StrEnum):
    """Which safety screen: it lives with the requests, not the views, so naming one (every
    first launch does) does not import the views and the engine and progress code they use."""

    DISCLAIMER = "disclaimer"
    CONTRAINDICATIONS = "contraindications"
    WARNING_SIGNS = "warning_signs"


@dataclass(frozen=True)
class ShowStep:
    """The exercise screen for plan step ``step_index``. Its script starts where the reply's
    speech had reached ``speech_mark`` (``Ssml.mark``) and is ``Reply.spoken`` from index
    ``spoken_from``, so its timeline is worked out only for a device with a screen."""

    step_index: int
    speech_mark: int
    spoken_from: int


@dataclass(frozen=True)
class ShowTrack:
    """Continuous mode: the exercise screen following the track of step ``step_index``."""

    step_index: int
    offset_ms: int


@dataclass(frozen=True)
class ShowOverview:
    """The routine's overview screen (its exercises, length and equipment)."""

    routine_id: str


@dataclass(frozen=True)
class ShowProgress:
    """The progress screen (this week's routines and the streak)."""


@dataclass(frozen=True)
class ShowSafety:
    """A safety screen: when to seek help, or the massage contraindications."""

    topic: SafetyTopic


Show = ShowStep | ShowTrack | ShowOverview | ShowProgress | ShowSafety
