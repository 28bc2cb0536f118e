"""The interaction model and the handlers agree: every intent is handled, every handled intent
is in the model, and the intents people use mid-exercise have enough ways to be said."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, get_request_type
from ask_sdk_model import Response
from flask import Flask

from heel_coach.console.client import VoiceClient, flask_transport
from heel_coach.console.envelopes import Device
from heel_coach.resources import model_locales, model_path
from heel_coach.voice import handlers
from heel_coach.voice.handlers import builtins

MODELS = [model_path(locale) for locale in model_locales()]
HANDLER_DIR = Path(handlers.__file__).parent
INTENT_NAME = re.compile(r"(AMAZON\.)?[A-Z][A-Za-z]+Intent")
SPOKEN_MID_EXERCISE = (
    "AMAZON.NextIntent AMAZON.PreviousIntent AMAZON.RepeatIntent AMAZON.StartOverIntent "
    "AMAZON.PauseIntent AMAZON.ResumeIntent KeepGoingIntent TimeLeftIntent SkipExerciseIntent "
    "AMAZON.HelpIntent DescribeExerciseIntent RedFlagsIntent MassageSafetyIntent ListRoutinesIntent "
    "ProgressIntent ScheduleAdviceIntent PainIntent ExercisePurposeIntent EquipmentIntent "
    "WhichSideIntent SetsLeftIntent BreakIntent StopForNowIntent"
).split()
"""Navigation and information intents: at least ``MIN_SAMPLES`` ways to say each."""
MIN_SAMPLES = 15


def intents_of(path: Path) -> dict[str, list[str]]:
    intents = json.loads(path.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]["intents"]
    return {i["name"]: list(i.get("samples", [])) for i in intents}


def intents_named_by_handlers() -> set[str]:
    """Every intent name written in a handler module (predicates, command tables)."""
    names: set[str] = set()
    for path in HANDLER_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if INTENT_NAME.fullmatch(node.value):
                    names.add(node.value)
    return names


@pytest.mark.parametrize("model", MODELS, ids=lambda p: p.stem)
def test_every_intent_a_handler_names_is_in_the_model(model: Path) -> None:
    named = intents_named_by_handlers()
    assert {"PainIntent", "AMAZON.StopIntent", "ChooseFootIntent"} <= named, "the scan found too little"
    missing = sorted(named - set(intents_of(model)))
    assert not missing, f"{model.name} lacks intents the handlers answer: {missing}"


@pytest.mark.parametrize("model", MODELS, ids=lambda p: p.stem)
def test_intents_said_mid_exercise_have_enough_samples(model: Path) -> None:
    intents = intents_of(model)
    short = {name: len(intents[name]) for name in SPOKEN_MID_EXERCISE if len(intents[name]) < MIN_SAMPLES}
    assert not short, f"fewer than {MIN_SAMPLES} samples: {short}"


# -- every intent reaches a handler of its own, in every state -------------------------------


def _idle(alexa: VoiceClient) -> None:
    alexa.launch()


def _choosing_a_foot(alexa: VoiceClient) -> None:
    alexa.launch()
    alexa.say("start the quick routine")


def _mid_exercise(alexa: VoiceClient) -> None:
    alexa.launch()
    alexa.say("start the morning routine")
    alexa.say("both")


STATES: dict[str, Callable[[VoiceClient], None]] = {
    "idle": _idle,
    "choosing a foot": _choosing_a_foot,
    "mid-exercise": _mid_exercise,
}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("model", MODELS, ids=lambda p: p.stem)
def test_no_intent_falls_through_to_the_catch_all(
    model: Path, state: str, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    caught: list[str] = []
    original = builtins.UnhandledRequestHandler.handle

    def spy(self: builtins.UnhandledRequestHandler, handler_input: HandlerInput) -> Response:
        if get_request_type(handler_input) == "IntentRequest":
            caught.append(str(get_intent_name(handler_input)))
        return original(self, handler_input)

    monkeypatch.setattr(builtins.UnhandledRequestHandler, "handle", spy)
    for intent in intents_of(model):
        alexa = VoiceClient.for_locale(flask_transport(app), model.stem, device=Device(locale=model.stem))
        STATES[state](alexa)
        heard = alexa.intent(intent)
        assert heard.status == 200 and heard.text, (intent, state)
        assert "something went wrong" not in heard.text, (intent, state)
    assert not caught, f"{state}: only the catch-all answered {caught}"
    alexa.intent("NoSuchIntent")  # the spy sees what the catch-all answers
    assert caught == ["NoSuchIntent"]
