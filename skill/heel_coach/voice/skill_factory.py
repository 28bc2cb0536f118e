"""Build the skill: one explicit, ordered handler list. Order is behaviour (first match wins).

Guards first, then answers to our own questions, then routine intents, then built-ins,
then the catch-all. ``tests/contract/test_contract_registry.py`` pins this order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model.services import ApiClient

from heel_coach.catalogue.model import Catalogue
from heel_coach.persistence.store import UserStore
from heel_coach.voice.features.progress import SessionRecorder
from heel_coach.voice.features.screens import TouchInterceptor
from heel_coach.voice.handlers import (
    builtins,
    coaching,
    dialog,
    errors,
    info,
    launch,
    playback,
    progress,
    reminders,
    routine,
    skill_events,
)
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

HANDLERS: tuple[type[AbstractRequestHandler], ...] = (
    # Launch and session lifecycle.
    launch.LaunchHandler,
    builtins.SessionEndedHandler,
    # AudioPlayer events and buttons (continuous mode; no session, no speech).
    playback.AudioPlayerEventHandler,
    playback.PlaybackControllerHandler,
    playback.SystemExceptionHandler,
    # Skill events (no session, no speech) and the answer to a reminders permission request.
    skill_events.SkillDisabledHandler,
    skill_events.SkillEventHandler,
    reminders.PermissionResponseHandler,
    # "It hurts" means the same in every state: before any question, step or playback handler.
    coaching.PainHandler,
    # Answers to the question we just asked.
    dialog.PendingQuestionRepromptHandler,
    reminders.ReminderAnswerHandler,
    progress.ProgressionAnswerHandler,
    skill_events.DeleteMyDataAnswerHandler,
    playback.PlayThroughAnswerHandler,
    playback.CarryOnHandler,
    # An answer to a question nobody asked ("left" or "hard" mid-exercise): nothing changes.
    coaching.OutOfContextAnswerHandler,
    dialog.ChooseFootHandler,
    dialog.ChooseFocusHandler,
    dialog.YesHandler,
    dialog.NoHandler,
    # Routine intents.
    routine.StartRoutineHandler,
    routine.ListRoutinesHandler,
    routine.DescribeExerciseHandler,
    coaching.ExercisePurposeHandler,
    coaching.EquipmentHandler,
    coaching.WhichSideHandler,
    coaching.SetsLeftHandler,
    coaching.LeaveHandler,
    # Continuous mode: before NavigationHandler so pause/next/... during playback are its own.
    playback.PlayRoutineHandler,
    playback.StepByStepHandler,
    playback.KeepGoingHandler,
    playback.WhilePlayingHandler,
    routine.NavigationHandler,
    # Reminders, progress and the user's data.
    reminders.SetReminderHandler,
    reminders.MoveReminderHandler,
    reminders.ListRemindersHandler,
    reminders.CancelReminderHandler,
    reminders.ScheduleAdviceHandler,
    progress.ProgressHandler,
    progress.EffortHandler,
    skill_events.DeleteMyDataHandler,
    # Safety information.
    info.RedFlagsHandler,
    info.MassageSafetyHandler,
    # Built-ins.
    builtins.HelpHandler,
    builtins.StopCancelHandler,
    builtins.LoopShuffleHandler,
    builtins.FallbackHandler,
    # Catch-all: must stay last.
    builtins.UnhandledRequestHandler,
)


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
    loaded: dict[str, Prompts] = dict(prompts or {})

    @lru_cache(maxsize=32)
    def speaker_for(locale: str | None) -> Speaker:
        chosen = locale_candidates(locale, default_locale, locales)
        if chosen not in loaded:
            loaded[chosen] = load_prompts(chosen)
        return Speaker(catalogue, loaded[chosen], chosen, silence)

    speakers: Callable[[str | None], Speaker] = speaker_for
    builder = CustomSkillBuilder(persistence_adapter=persistence_adapter, api_client=api_client)  # type: ignore[arg-type]
    if skill_id:
        builder.skill_id = skill_id  # type: ignore[assignment]
    builder.add_global_request_interceptor(TouchInterceptor())  # a touch is the spoken command
    builder.add_global_request_interceptor(LoadTurnInterceptor(plans, speakers))
    if tracks is not None:  # continuous mode: rendered tracks and their public URLs
        builder.add_global_request_interceptor(AttachLibraryInterceptor(tracks))
        builder.add_global_request_interceptor(playback.HandsFreeInterceptor(tracks))
    recorder = None
    if store is not None:  # routine history needs the store itself, not only the adapter
        builder.add_global_request_interceptor(StoreInterceptor(store))
        recorder = SessionRecorder(store)
    builder.add_global_response_interceptor(SaveTurnInterceptor(on_finished=recorder))
    for extra in extra_handlers:
        builder.add_request_handler(extra)
    for handler in HANDLERS:
        builder.add_request_handler(handler())
    builder.add_exception_handler(errors.StorageErrorHandler())
    builder.add_exception_handler(errors.CatchAllExceptionHandler())
    return builder.create()
