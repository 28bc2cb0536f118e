"""Build the skill: one explicit, ordered handler list. Order is behaviour (first match wins).

Guards first, then answers to our own questions, then routine intents, then built-ins,
then the catch-all. ``tests/contract/test_contract_registry.py`` pins this order.

Each entry names its handler by module and class, with the request types it can answer. The
skill holds a ``LazyHandler`` per entry: it checks the request's type against the declaration
(no import), and only when that matches imports the handler's module, once, and asks the
handler itself. So a cold start imports only the handlers its first request can reach (for a
LaunchRequest: the launch handler), and a request skips the handlers of other request types
without calling them. The exception handlers are imported when an exception first happens.
``tests/contract/test_contract_registry.py`` checks every declaration against the real
``can_handle`` for requests of every type we receive.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from importlib import import_module
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import Response
from ask_sdk_model.services import ApiClient

from heel_coach.catalogue.model import Catalogue
from heel_coach.persistence.store import UserStore
from heel_coach.voice.features.playback import HandsFreeInterceptor
from heel_coach.voice.features.progress import SessionRecorder
from heel_coach.voice.features.screens import TouchInterceptor
from heel_coach.voice.interceptors import (
    AttachLibraryInterceptor,
    LoadTurnInterceptor,
    SaveTurnInterceptor,
    StoreInterceptor,
)
from heel_coach.voice.prompts import Prompts, available_locales, load_prompts, locale_candidates
from heel_coach.voice.speech import Speaker
from heel_coach.voice.ssml import SilenceClips
from heel_coach.voice.tracks import TrackLibrary
from heel_coach.voice.turn import PlanCache

HANDLERS_PACKAGE = "heel_coach.voice.handlers"

# Request types a handler can answer: an exact type, a family ("AudioPlayer.*": every type
# under that prefix), or "*" (any request: the catch-all).
LAUNCH = "LaunchRequest"
INTENT = "IntentRequest"
SESSION_ENDED = "SessionEndedRequest"
AUDIO_PLAYER = "AudioPlayer.*"
PLAYBACK_CONTROLLER = "PlaybackController.*"
SYSTEM_EXCEPTION = "System.ExceptionEncountered"
SKILL_DISABLED = "AlexaSkillEvent.SkillDisabled"
SKILL_EVENTS = "AlexaSkillEvent.*"
CONNECTIONS_RESPONSE = "Connections.Response"
ANY = "*"


class Entry:
    """One handler of the list: ``module.Class`` under ``voice/handlers`` and the request types
    its ``can_handle`` can be true for (the contract test holds it to that)."""

    __slots__ = ("any", "exact", "name", "prefixes")

    def __init__(self, name: str, *answers: str) -> None:
        self.name = name
        self.any = ANY in answers
        self.exact = frozenset(a for a in answers if not a.endswith("*"))
        self.prefixes = tuple(a[:-1] for a in answers if a.endswith(".*"))

    def answers(self, request_type: str | None) -> bool:
        """Whether the declaration covers ``request_type`` (pure: imports nothing)."""
        if self.any or request_type in self.exact:
            return True
        return bool(self.prefixes) and request_type is not None and request_type.startswith(self.prefixes)

    def load(self) -> type[Any]:
        """The handler class, its module imported on first use."""
        module, _, cls = self.name.partition(".")
        found: type[Any] = getattr(import_module(f"{HANDLERS_PACKAGE}.{module}"), cls)
        return found

    def __repr__(self) -> str:
        return f"Entry({self.name!r})"


HANDLERS: tuple[Entry, ...] = (
    # Launch and session lifecycle.
    Entry("launch.LaunchHandler", LAUNCH),
    Entry("builtins.SessionEndedHandler", SESSION_ENDED),
    # AudioPlayer events and buttons (continuous mode; no session, no speech).
    Entry("playback.AudioPlayerEventHandler", AUDIO_PLAYER),
    Entry("playback.PlaybackControllerHandler", PLAYBACK_CONTROLLER),
    Entry("playback.SystemExceptionHandler", SYSTEM_EXCEPTION),
    # Skill events (no session, no speech) and the answer to a reminders permission request.
    Entry("skill_events.SkillDisabledHandler", SKILL_DISABLED),
    Entry("skill_events.SkillEventHandler", SKILL_EVENTS),
    Entry("reminders.PermissionResponseHandler", CONNECTIONS_RESPONSE),
    # "It hurts" means the same in every state: before any question, step or playback handler.
    Entry("coaching.PainHandler", INTENT),
    # Answers to the question we just asked.
    Entry("dialog.PendingQuestionRepromptHandler", INTENT),
    Entry("reminders.ReminderAnswerHandler", INTENT),
    Entry("progress.ProgressionAnswerHandler", INTENT),
    Entry("skill_events.DeleteMyDataAnswerHandler", INTENT),
    Entry("playback.PlayThroughAnswerHandler", INTENT),
    Entry("playback.CarryOnHandler", INTENT),
    # An answer to a question nobody asked ("left" or "hard" mid-exercise): nothing changes.
    Entry("coaching.OutOfContextAnswerHandler", INTENT),
    Entry("dialog.ChooseFootHandler", INTENT),
    Entry("dialog.ChooseFocusHandler", INTENT),
    Entry("dialog.YesHandler", INTENT),
    Entry("dialog.NoHandler", INTENT),
    # Routine intents.
    Entry("routine.StartRoutineHandler", INTENT),
    Entry("routine.ListRoutinesHandler", INTENT),
    Entry("routine.DescribeExerciseHandler", INTENT),
    Entry("coaching.ExercisePurposeHandler", INTENT),
    Entry("coaching.EquipmentHandler", INTENT),
    Entry("coaching.WhichSideHandler", INTENT),
    Entry("coaching.SetsLeftHandler", INTENT),
    Entry("coaching.LeaveHandler", INTENT),
    # Continuous mode: before NavigationHandler so pause/next/... during playback are its own.
    Entry("playback.PlayRoutineHandler", INTENT),
    Entry("playback.StepByStepHandler", INTENT),
    Entry("playback.KeepGoingHandler", INTENT),
    Entry("playback.WhilePlayingHandler", INTENT),
    Entry("routine.NavigationHandler", INTENT),
    # Reminders, progress and the user's data.
    Entry("reminders.SetReminderHandler", INTENT),
    Entry("reminders.MoveReminderHandler", INTENT),
    Entry("reminders.ListRemindersHandler", INTENT),
    Entry("reminders.CancelReminderHandler", INTENT),
    Entry("reminders.ScheduleAdviceHandler", INTENT),
    Entry("progress.ProgressHandler", INTENT),
    Entry("progress.EffortHandler", INTENT),
    Entry("skill_events.DeleteMyDataHandler", INTENT),
    # Safety information.
    Entry("info.RedFlagsHandler", INTENT),
    Entry("info.MassageSafetyHandler", INTENT),
    # Built-ins.
    Entry("builtins.HelpHandler", INTENT),
    Entry("builtins.StopCancelHandler", INTENT),
    Entry("builtins.LoopShuffleHandler", INTENT),
    Entry("builtins.FallbackHandler", INTENT),
    # Catch-all: must stay last.
    Entry("builtins.UnhandledRequestHandler", ANY),
)

EXCEPTION_HANDLERS: tuple[str, ...] = ("errors.StorageErrorHandler", "errors.CatchAllExceptionHandler")
"""Specific first, catch-all last (the SDK asks them in this order)."""


class LazyHandler(AbstractRequestHandler):
    """An entry of HANDLERS in the skill: the request type first, then the handler itself,
    built on the first request of a type it declares. Two threads may both build it; the
    handlers keep no state, so either one serves."""

    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        self.handler: AbstractRequestHandler | None = None
        # Entry.answers, inlined below: the SDK asks every handler up to the one that answers.
        self.exact, self.prefixes, self.any = entry.exact, entry.prefixes, entry.any

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        kind = request.object_type if request is not None else None
        if kind in self.exact or self.any or (self.prefixes and kind and kind.startswith(self.prefixes)):
            return (self.handler or self._load()).can_handle(handler_input)
        return False

    def handle(self, handler_input: HandlerInput) -> Response | None:
        return (self.handler or self._load()).handle(handler_input)

    def _load(self) -> AbstractRequestHandler:
        handler: AbstractRequestHandler = self.entry.load()()
        self.handler = handler
        return handler


class LazyExceptionHandler(AbstractExceptionHandler):
    """An exception handler imported when the first exception reaches it."""

    def __init__(self, name: str) -> None:
        self.entry = Entry(name)
        self.handler: AbstractExceptionHandler | None = None

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return self._handler().can_handle(handler_input, exception)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response | None:
        return self._handler().handle(handler_input, exception)

    def _handler(self) -> AbstractExceptionHandler:
        handler = self.handler
        if handler is None:
            handler = self.handler = self.entry.load()()
        return handler


def build_skill(
    catalogue: Catalogue,
    persistence_adapter: AbstractPersistenceAdapter,
    *,
    api_client: ApiClient | None = None,
    silence: SilenceClips | None = None,
    default_locale: str = "en-US",
    skill_id: str | None = None,
    extra_handlers: tuple[AbstractRequestHandler, ...] = (),
    store: UserStore | None = None,
    tracks: TrackLibrary | None = None,
    prompts: Mapping[str, Prompts] | None = None,
) -> CustomSkill:
    """A ready CustomSkill; nothing global, so tests can build several in one process.

    ``prompts`` (every locale's, as ``heel_coach.lambda_package`` snapshots them) come from a
    built package; without them a locale's prompts are read when its first request arrives
    (a cold start serves one locale, and reading all six cost more than the rest of the build)."""
    plans = PlanCache(catalogue)
    if prompts is None:
        locales = tuple(loc for loc in available_locales() if loc in catalogue.locales)
    else:
        locales = tuple(prompts)
    loaded: Mapping[str, Prompts] = prompts or {}  # a package's unpickles a locale when read

    @lru_cache(maxsize=32)
    def speaker_for(locale: str | None) -> Speaker:
        chosen = locale_candidates(locale, default_locale, locales)
        said = loaded[chosen] if chosen in loaded else load_prompts(chosen)
        return Speaker(catalogue, said, chosen, silence)

    speakers: Callable[[str | None], Speaker] = speaker_for
    builder = CustomSkillBuilder(persistence_adapter=persistence_adapter, api_client=api_client)  # type: ignore[arg-type]
    if skill_id:
        builder.skill_id = skill_id  # type: ignore[assignment]
    builder.add_global_request_interceptor(TouchInterceptor())  # a touch is the spoken command
    builder.add_global_request_interceptor(LoadTurnInterceptor(plans, speakers))
    if tracks is not None:  # continuous mode: rendered tracks and their public URLs
        builder.add_global_request_interceptor(AttachLibraryInterceptor(tracks))
        builder.add_global_request_interceptor(HandsFreeInterceptor(tracks))
    recorder = None
    if store is not None:  # routine history needs the store itself, not only the adapter
        builder.add_global_request_interceptor(StoreInterceptor(store))
        recorder = SessionRecorder(store)
    builder.add_global_response_interceptor(SaveTurnInterceptor(on_finished=recorder))
    for extra in extra_handlers:
        builder.add_request_handler(extra)
    for entry in HANDLERS:
        builder.add_request_handler(LazyHandler(entry))
    for name in EXCEPTION_HANDLERS:
        builder.add_exception_handler(LazyExceptionHandler(name))
    return builder.create()
