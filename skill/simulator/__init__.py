"""Text -> Alexa request simulation for the ``heel-coach chat`` console and conversation tests.

Pure code: it reads an interaction model and typed text, and says which LaunchRequest or
IntentRequest (with slots) Alexa would send; building the JSON request is the caller's job.
"""

from __future__ import annotations

from skill.simulator.matcher import Matcher
from skill.simulator.model import (
    Intent,
    InteractionModel,
    Slot,
    SlotType,
    TypeValue,
    load_interaction_model,
    parse_interaction_model,
)
from skill.simulator.normalize import normalize
from skill.simulator.samples import sample_utterances
from skill.simulator.utterance import Score, SlotValue, Utterance, UtteranceKind

__all__ = [
    "Intent",
    "InteractionModel",
    "Matcher",
    "Score",
    "Slot",
    "SlotType",
    "SlotValue",
    "TypeValue",
    "Utterance",
    "UtteranceKind",
    "load_interaction_model",
    "normalize",
    "parse_interaction_model",
    "sample_utterances",
]
