"""Contracts between the interaction model, the handlers, the prompts and the catalogue."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from heel_coach.catalogue.compiled import write_compiled
from heel_coach.catalogue.model import Catalogue, Focus
from heel_coach.console.envelopes import Device
from heel_coach.resources import model_locales, model_path
from heel_coach.voice import skill_factory
from heel_coach.voice.handlers import builtins
from heel_coach.voice.model_sync import sync_model
from heel_coach.voice.prompts import load_prompts

ROOT = Path(__file__).resolve().parents[2]
MODELS = [model_path(locale) for locale in model_locales()]


def model_intents(path: Path) -> list[str]:
    return [i["name"] for i in json.loads(path.read_text())["interactionModel"]["languageModel"]["intents"]]


HANDLER_ORDER = (
    # Launch and session lifecycle.
    "launch.LaunchHandler",
    "builtins.SessionEndedHandler",
    # AudioPlayer events and buttons (continuous mode; no session, no speech).
    "playback.AudioPlayerEventHandler",
    "playback.PlaybackControllerHandler",
    "playback.SystemExceptionHandler",
    # Skill events and the answer to a reminders permission request.
    "skill_events.SkillDisabledHandler",
    "skill_events.SkillEventHandler",
    "reminders.PermissionResponseHandler",
    # "It hurts" means the same in every state.
    "coaching.PainHandler",
    # Answers to the question we just asked, before any intent they could be mistaken for.
    "dialog.PendingQuestionRepromptHandler",
    "reminders.ReminderAnswerHandler",
    "progress.ProgressionAnswerHandler",
    "skill_events.DeleteMyDataAnswerHandler",
    "playback.PlayThroughAnswerHandler",
    "playback.CarryOnHandler",
    # An answer to a question nobody asked changes nothing.
    "coaching.OutOfContextAnswerHandler",
    "dialog.ChooseFootHandler",
    "dialog.ChooseFocusHandler",
    "dialog.YesHandler",
    "dialog.NoHandler",
    # Routine intents.
    "routine.StartRoutineHandler",
    "routine.ListRoutinesHandler",
    "routine.DescribeExerciseHandler",
    "coaching.ExercisePurposeHandler",
    "coaching.EquipmentHandler",
    "coaching.WhichSideHandler",
    "coaching.SetsLeftHandler",
    "coaching.LeaveHandler",
    # Continuous mode: before NavigationHandler so pause/next/... during playback are its own.
    "playback.PlayRoutineHandler",
    "playback.StepByStepHandler",
    "playback.KeepGoingHandler",
    "playback.WhilePlayingHandler",
    "routine.NavigationHandler",
    # Reminders, progress and the user's data.
    "reminders.SetReminderHandler",
    "reminders.MoveReminderHandler",
    "reminders.ListRemindersHandler",
    "reminders.CancelReminderHandler",
    "reminders.ScheduleAdviceHandler",
    "progress.ProgressHandler",
    "progress.EffortHandler",
    "skill_events.DeleteMyDataHandler",
    # Safety information.
    "info.RedFlagsHandler",
    "info.MassageSafetyHandler",
    # Built-ins, then the catch-all, which must stay last.
    "builtins.HelpHandler",
    "builtins.StopCancelHandler",
    "builtins.LoopShuffleHandler",
    "builtins.FallbackHandler",
    "builtins.UnhandledRequestHandler",
)
"""The whole order of skill_factory.HANDLERS: first match wins, so order is behaviour."""


def test_handler_order_is_pinned() -> None:
    handlers = skill_factory.HANDLERS
    assert tuple(f"{h.__module__.rsplit('.', 1)[1]}.{h.__name__}" for h in handlers) == HANDLER_ORDER
    assert handlers[-1] is builtins.UnhandledRequestHandler, "the catch-all must stay last"
    assert handlers.index(builtins.FallbackHandler) > handlers.index(skill_factory.routine.NavigationHandler)
    assert len(set(handlers)) == len(handlers)


@pytest.mark.parametrize("model", MODELS, ids=lambda p: p.stem)
def test_every_intent_in_every_locale_has_a_handler_other_than_the_catch_all(model: Path, app) -> None:  # type: ignore[no-untyped-def]
    from heel_coach.console.client import VoiceClient, flask_transport

    client = VoiceClient(flask_transport(app), device=Device(locale=model.stem))
    prompts = load_prompts(model.stem)
    client.launch()
    for intent in model_intents(model):
        if intent in ("AMAZON.FallbackIntent",):
            continue
        client.device.session_id = None
        heard = client.intent(intent)
        assert heard.status == 200, intent
        speech = heard.text
        assert speech, f"{intent} got no speech"
        assert prompts.get("fallback") not in speech, f"{intent} fell through to the catch-all"
        assert prompts.get("error.generic") not in speech, f"{intent} raised an error"


@pytest.mark.parametrize("model", MODELS, ids=lambda p: p.stem)
def test_slot_values_are_generated_from_the_catalogue(model: Path, catalogue: Catalogue) -> None:
    assert not sync_model(catalogue, model.stem, write=False), "run `heel-coach model sync`"


def test_compiled_content_is_up_to_date() -> None:
    assert not write_compiled(write=False), "run `heel-coach content compile`"


def _prompt_keys_used_in_code() -> set[str]:
    keys: set[str] = set()
    for path in (ROOT / "skill").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in {"text", "get", "ask"}:
                    value = node.args[0].value
                    if isinstance(value, str) and re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", value):
                        keys.add(value)
            if (
                isinstance(node, ast.Call)
                and len(node.args) >= 3
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "ask"
            ):
                for arg in node.args[1:3]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        keys.add(arg.value)
    return keys


def test_every_prompt_key_used_in_code_exists_in_every_locale(catalogue: Catalogue) -> None:
    used = {k for k in _prompt_keys_used_in_code() if not k.startswith(("heelcoach.", "skill."))}
    assert used, "the scan found no prompt keys"
    for locale in catalogue.locales:
        prompts = load_prompts(locale)
        missing = sorted(
            k
            for k in used
            if k not in prompts.strings
            and "." in k
            and k.split(".")[0] in {p.split(".")[0] for p in prompts.strings}
        )
        assert not missing, f"{locale} lacks {missing}"


def test_every_key_the_engine_says_exists(catalogue: Catalogue) -> None:
    """Every cue of every step, routine opening and ending, in every routine, foot and focus."""
    from heel_coach.engine.plan import Foot, build_plan
    from heel_coach.engine.timing import CONTENT_CUES, Cue, routine_head, routine_tail, step_script

    keys: set[str] = set()
    for routine in catalogue.routines.values():
        for foot in Foot:
            for focus in Focus:
                plan = build_plan(routine, foot, focus)
                items = [*routine_head(plan), *routine_tail(plan)]
                items += [i for step in plan.steps for i in step_script(plan, step)]
                items += [  # said again from a later set (a repeat or resume where the person was)
                    i
                    for step in plan.steps
                    for start in range(1, len(step.segments))
                    for i in step_script(plan, step, start=start)
                ]
                keys |= {i.key for i in items if isinstance(i, Cue)}
    assert {"cue.count", "cue.pass", "cue.side.leg", "step.wait.side.foot"} <= keys
    assert {"cue.from.set", "cue.from.set_side.foot", "cue.from.side.foot", "cue.from.side.leg"} <= keys
    for locale in catalogue.locales:
        strings = load_prompts(locale).strings
        assert not sorted(k for k in keys - CONTENT_CUES if k not in strings), locale


def test_every_routine_and_exercise_has_text_in_every_locale(catalogue: Catalogue) -> None:
    for locale in catalogue.locales:
        assert locale in catalogue.safety
        for exercise in catalogue.exercises.values():
            assert exercise.text[locale].steps
        for routine in catalogue.routines.values():
            assert routine.text[locale].name


def test_invocation_name_and_required_phrases() -> None:
    from heel_coach.simulator import Matcher, load_interaction_model

    model = load_interaction_model(model_path("en-US"))
    assert model.invocation_name == "heel coach"
    matcher = Matcher(model)
    expected = {
        "start my foot routine": "StartRoutineIntent",
        "next exercise": "AMAZON.NextIntent",
        "repeat that": "AMAZON.RepeatIntent",
        "say that again": "AMAZON.RepeatIntent",
        "pause": "AMAZON.PauseIntent",
        "keep going": "KeepGoingIntent",
        "how long is left": "TimeLeftIntent",
    }
    for text, intent in expected.items():
        assert matcher.recognize_best(text).intent_name == intent, text
    assert matcher.recognize_best("start my foot routine").slots["Routine"].id == "full"
