"""Text -> Alexa request simulation for the ``heel-coach chat`` console and conversation tests.

Pure code: it reads an interaction model and typed text, and says which LaunchRequest or
IntentRequest (with slots) Alexa would send; building the JSON request is the caller's job.
"""

from __future__ import annotations

from heel_coach.simulator.matcher import Matcher
from heel_coach.simulator.model import (
    Intent,
    InteractionModel,
    Slot,
    SlotType,
    TypeValue,
    load_interaction_model,
    parse_interaction_model,
)
from heel_coach.simulator.normalize import normalize
from heel_coach.simulator.samples import sample_utterances
from heel_coach.simulator.utterance import Score, SlotValue, Utterance, UtteranceKind

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
