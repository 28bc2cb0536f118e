"""Contracts between the interaction model, the handlers, the prompts and the catalogue."""

from __future__ import annotations

import ast
import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from heel_coach.catalogue.compiled import write_compiled
from heel_coach.catalogue.model import Catalogue, Focus
from heel_coach.console.client import VoiceClient
from heel_coach.console.envelopes import Device, SlotFill
from heel_coach.persistence.adapter import StorePersistenceAdapter
from heel_coach.resources import model_locales, model_path
from heel_coach.settings import Settings
from heel_coach.voice import skill_factory
from heel_coach.voice.handlers import builtins
from heel_coach.voice.model_sync import sync_model
from heel_coach.voice.prompts import load_prompts
from heel_coach.voice.tracks import TrackLibrary
from heel_coach.web.envelope import KNOWN_REQUEST_TYPES, serialize_response, to_envelope

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


EXCEPTION_ORDER = ("errors.StorageErrorHandler", "errors.CatchAllExceptionHandler")


def test_handler_order_is_pinned() -> None:
    names = tuple(entry.name for entry in skill_factory.HANDLERS)
    assert names == HANDLER_ORDER
    assert names[-1] == "builtins.UnhandledRequestHandler", "the catch-all must stay last"
    assert [e.name for e in skill_factory.HANDLERS if e.any] == ["builtins.UnhandledRequestHandler"]
    assert names.index("builtins.FallbackHandler") > names.index("routine.NavigationHandler")
    assert len(set(names)) == len(names)
    assert skill_factory.EXCEPTION_HANDLERS == EXCEPTION_ORDER


def test_every_entry_names_a_handler_class_in_its_module() -> None:
    """The list names handlers by string (so a cold start imports only those it reaches):
    every name must still be a real handler, and the skill must hold them in that order."""
    for entry in skill_factory.HANDLERS:
        handler = entry.load()
        assert issubclass(handler, AbstractRequestHandler), entry.name
        assert f"{handler.__module__}.{handler.__name__}" == f"{skill_factory.HANDLERS_PACKAGE}.{entry.name}"
    for name in skill_factory.EXCEPTION_HANDLERS:
        assert issubclass(skill_factory.Entry(name).load(), AbstractExceptionHandler), name
    assert skill_factory.HANDLERS[-1].load() is builtins.UnhandledRequestHandler


def test_a_declaration_matches_exact_types_families_and_nothing_else() -> None:
    entry = skill_factory.Entry("playback.X", "AudioPlayer.*", "System.ExceptionEncountered")
    assert entry.answers("AudioPlayer.PlaybackStarted") and entry.answers("System.ExceptionEncountered")
    assert not entry.answers("AudioPlayerX.PlaybackStarted") and not entry.answers("System.Other")
    assert not entry.answers("IntentRequest") and not entry.answers(None)
    assert skill_factory.Entry("builtins.X", skill_factory.ANY).answers(None)


class DeclarationProbe(AbstractRequestHandler):
    """Registered before the list: after the interceptors (a real Turn in place), asks every
    real handler about the request and notes one that would answer a type its entry does not
    declare. Live, it answers nothing, so the skill goes on as usual; dry, it answers with an
    empty response and saves nothing, so a request can be tried in a state without moving it."""

    def __init__(self) -> None:
        self.handlers = [(entry, entry.load()()) for entry in skill_factory.HANDLERS]
        self.dry = False
        self.asked = 0
        self.seen: set[str] = set()
        self.answered: set[str] = set()
        self.wrong: set[str] = set()

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request_type = handler_input.request_envelope.request.object_type
        self.asked += 1
        self.seen.add(request_type)
        for entry, handler in self.handlers:
            if handler.can_handle(handler_input):
                self.answered.add(entry.name)
                if not entry.answers(request_type):
                    self.wrong.add(f"{entry.name} answers {request_type}")
        return self.dry

    def handle(self, handler_input: HandlerInput) -> Response:
        from heel_coach.voice.handlers.base import turn_of

        turn_of(handler_input).outcome.skip_save = True
        return handler_input.response_builder.response


def _requests_of_every_type(device: Device, model_intents_: list[str]) -> list[dict[str, Any]]:
    """What Alexa sends us (built as the console builds it), then a bare request of every other
    type the edge accepts."""
    token = "heelcoach.step.3"
    sent = [
        device.launch(),
        *(device.intent(name) for name in model_intents_),
        device.intent("ChooseFootIntent", {"Foot": SlotFill("left", resolved_id="left")}),
        *(device.session_ended(reason) for reason in ("USER_INITIATED", "EXCEEDED_MAX_REPROMPTS", "ERROR")),
        *(
            device.audio_event(f"AudioPlayer.Playback{kind}", token=token, offset_ms=1200)
            for kind in ("Started", "NearlyFinished", "Finished", "Stopped", "Failed")
        ),
        *(
            device.raw({"type": f"PlaybackController.{kind}CommandIssued"})
            for kind in ("Play", "Pause", "Next", "Previous")
        ),
        device.raw(
            {
                "type": "System.ExceptionEncountered",
                "error": {"type": "INVALID_RESPONSE", "message": "no"},
                "cause": {"requestId": "amzn1.echo-api.request.1"},
            }
        ),
        *(
            device.skill_event(kind)
            for kind in ("SkillEnabled", "SkillDisabled", "SkillPermissionAccepted", "SkillPermissionChanged")
        ),
        device.skill_event("SkillAccountLinked"),
        device.permission_answer("ACCEPTED", "heelcoach.reminder"),
        device.permission_answer("DENIED", "heelcoach.reminder"),
        device.user_event("not-ours", ["next"]),
    ]
    types = {body["request"]["type"] for body in sent}
    sent += [device.raw({"type": kind}, session=True) for kind in sorted(KNOWN_REQUEST_TYPES - types)]
    return sent


def test_every_declaration_is_true_for_requests_of_every_type(
    catalogue: Catalogue, settings: Settings
) -> None:
    """For every handler and every request type its entry does not declare, the real
    ``can_handle`` is False: in each state a conversation passes through, for every type we
    receive. (The lazy list skips a handler on an undeclared type without asking it, so a
    wrong declaration would silently change who answers.) And every declaration is used:
    each handler of a non-intent type answers one of the requests."""
    from heel_coach.assembly import assemble

    probe = DeclarationProbe()
    assembled = assemble(settings, catalogue=catalogue)
    skill = skill_factory.build_skill(
        catalogue,
        StorePersistenceAdapter(assembled.store),
        store=assembled.store,
        tracks=TrackLibrary(settings.audio_dir, settings.audio_base_url),
        extra_handlers=(probe,),
    )

    def send(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        response = skill.invoke(request_envelope=to_envelope(json.loads(body)), context=None)
        return 200, json.dumps(serialize_response(response)).encode()

    alexa = VoiceClient.for_locale(send)
    intents = model_intents(model_path("en-US"))

    def try_every_type() -> None:
        probe.dry, asked = True, probe.asked
        requests = _requests_of_every_type(copy.deepcopy(alexa.device), intents)
        for body in requests:
            send(json.dumps(body).encode(), {})
        assert probe.asked - asked == len(requests), "a request failed before the handlers"
        probe.dry = False

    try_every_type()  # a user we have never seen
    for step in (
        "open heel coach",  # the disclaimer, then which routine
        "start my foot routine",  # which foot
        "both",  # which focus
        "sole",  # say ready
        "ready",  # in a step
        "next",
        "delete my data",  # are you sure
        "no",
        "stop",
        "open heel coach",  # shall I carry on
        "remind me every day at seven am",
    ):
        alexa.say(step)
        try_every_type()
    assert not probe.wrong, probe.wrong
    declared = {kind for entry in skill_factory.HANDLERS for kind in entry.exact}
    assert declared <= probe.seen, "the table lacks a declared request type"
    for entry in skill_factory.HANDLERS:
        assert all(any(seen.startswith(prefix) for seen in probe.seen) for prefix in entry.prefixes)
        if skill_factory.INTENT not in entry.exact:
            assert entry.name in probe.answered, f"{entry.name} answered none of its declared requests"


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
