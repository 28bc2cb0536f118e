"""A small inline interaction model (hassil style) shared by the simulator tests."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from heel_coach.simulator import InteractionModel, Matcher, parse_interaction_model

MODEL: dict[str, Any] = {
    "interactionModel": {
        "languageModel": {
            "invocationName": "heel coach",
            "intents": [
                {
                    "name": "StartRoutineIntent",
                    "slots": [{"name": "Routine", "type": "ROUTINE_NAME"}],
                    "samples": [
                        "start my {Routine}",
                        "start the {Routine}",
                        "start {Routine}",
                        "for the {Routine}",
                        "start a routine",
                    ],
                },
                {
                    "name": "SetReminderIntent",
                    "slots": [
                        {"name": "Time", "type": "AMAZON.TIME"},
                        {"name": "Day", "type": "AMAZON.DayOfWeek"},
                    ],
                    "samples": [
                        "remind me every day at {Time}",
                        "remind me on {Day} at {Time}",
                        "remind me {Time}",
                    ],
                },
                {
                    "name": "SetHoldIntent",
                    "slots": [
                        {"name": "Duration", "type": "AMAZON.DURATION"},
                        {"name": "Count", "type": "AMAZON.NUMBER"},
                    ],
                    "samples": ["hold for {Duration}", "do {Count} reps"],
                },
                {
                    "name": "ChooseFootIntent",
                    "slots": [{"name": "Foot", "type": "FOOT_SIDE"}],
                    "samples": ["{Foot}", "my {Foot}"],
                },
                {"name": "SkipExerciseIntent", "samples": ["skip", "skip this one"]},
                {"name": "AMAZON.NextIntent", "samples": ["next exercise"]},
                {"name": "AMAZON.RepeatIntent", "samples": []},
                {"name": "AMAZON.HelpIntent", "samples": []},
                {"name": "AMAZON.StopIntent", "samples": []},
                {"name": "AMAZON.YesIntent", "samples": []},
                {"name": "AMAZON.StartOverIntent", "samples": []},
                {"name": "AMAZON.FallbackIntent", "samples": []},
            ],
            "types": [
                {
                    "name": "ROUTINE_NAME",
                    "values": [
                        {
                            "id": "full",
                            "name": {
                                "value": "full heel routine",
                                "synonyms": ["foot routine", "morning routine"],
                            },
                        },
                        {
                            "id": "quick",
                            "name": {"value": "quick routine", "synonyms": ["short routine"]},
                        },
                    ],
                },
                {
                    "name": "FOOT_SIDE",
                    "values": [
                        {"id": "left", "name": {"value": "left foot", "synonyms": ["left"]}},
                        {"id": "right", "name": {"value": "right foot", "synonyms": ["right"]}},
                    ],
                },
            ],
        }
    }
}


@pytest.fixture
def model_json() -> dict[str, Any]:
    """A fresh deep copy, so a test may edit it freely."""
    return copy.deepcopy(MODEL)


@pytest.fixture
def model() -> InteractionModel:
    return parse_interaction_model(copy.deepcopy(MODEL), "inline.json")


@pytest.fixture
def matcher(model: InteractionModel) -> Matcher:
    return Matcher(model)


@pytest.fixture
def build() -> Callable[[list[dict[str, Any]], list[dict[str, Any]]], Matcher]:
    """A matcher over just these intents and types (invocation "heel coach")."""

    def make(intents: list[dict[str, Any]], types: list[dict[str, Any]]) -> Matcher:
        data = {
            "interactionModel": {
                "languageModel": {
                    "invocationName": "heel coach",
                    "intents": intents,
                    "types": types,
                }
            }
        }
        return Matcher(parse_interaction_model(data, "tiny.json"))

    return make
