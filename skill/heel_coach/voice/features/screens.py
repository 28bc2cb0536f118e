"""Screens on Echo Show, Echo Spot and Fire TV: the one place the voice layer meets APL.

Features note what a reply would show (``Reply.shows``, cheap records); ``attach`` turns the
chosen one into an ``Alexa.Presentation.APL.RenderDocument`` directive, and only when the
device declares ``Alexa.Presentation.APL``: a speaker-only device's response is built exactly
as before. ``TouchInterceptor`` turns a touch on a button (``Alexa.Presentation.APL.UserEvent``
carrying ``["next"]``, ``["pause"]``, ...) into the intent the spoken command is, before any
handler is chosen, so a touch does exactly what the words do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_supported_interfaces
from ask_sdk_model import Intent, IntentRequest

from heel_coach.catalogue.model import Focus, Foot
from heel_coach.voice import tracks
from heel_coach.voice.features.progress import history_of
from heel_coach.voice.interceptors import library_of
from heel_coach.voice.speech import Reply
from heel_coach.voice.turn import Turn

# The engine, progress statistics and screen requests are imported where they are used, so a
# launch loads only what it needs (Lambda cold start: benchmarks/RESULTS.md, figure 7).
if TYPE_CHECKING:
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    from heel_coach.engine.plan import Plan, Step
    from heel_coach.screens.requests import Show, ShowTrack
    from heel_coach.screens.timeline import ScriptItem
    from heel_coach.screens.views import ScreenView

APL_INTERFACE = "Alexa.Presentation.APL"
USER_EVENT = "Alexa.Presentation.APL.UserEvent"
TOUCH_INTENTS = {
    "next": "AMAZON.NextIntent",
    "pause": "AMAZON.PauseIntent",
    "resume": "AMAZON.ResumeIntent",
    "repeat": "AMAZON.RepeatIntent",
}
"""Button argument -> the intent a person would say (see views.BUTTON_COMMANDS)."""
PLAYLIST_TRACKS = 4
"""Continuous mode: the screen carries the timelines of this many tracks from the current one,
so it keeps following playback after tracks are queued (AudioPlayer requests cannot send APL)."""


def supports_apl(handler_input: HandlerInput) -> bool:
    """The device declares ``Alexa.Presentation.APL`` (reference §9)."""
    try:
        return get_supported_interfaces(handler_input).alexa_presentation_apl is not None
    except AttributeError:  # no context or no device: not a screen
        return False


SCREEN_REQUESTS = frozenset({"LaunchRequest", "IntentRequest"})
"""Requests whose response may carry APL (AudioPlayer and PlaybackController ones may not; a
touch arrives here already turned into an IntentRequest)."""


def attach(handler_input: HandlerInput, turn: Turn, reply: Reply, said_before: float = 0.0) -> None:
    """Add the RenderDocument for this reply's screen, on a device that has one.

    ``said_before``: seconds of speech put in front of the reply's own (an owed notice)."""
    if not reply.shows or not supports_apl(handler_input):
        return
    request = handler_input.request_envelope.request
    if request is None or str(request.object_type) not in SCREEN_REQUESTS:
        return
    view = view_for(handler_input, turn, reply, said_before)
    if view is not None:
        reply.directives.append(render_directive(view))


def render_directive(view: ScreenView) -> RenderDocumentDirective:
    # The APL model package is imported here and in TouchInterceptor, only for a device with a
    # screen: its __init__ loads ~150 model classes, which every Lambda cold start would
    # otherwise pay for (benchmarks/RESULTS.md, figure 7).
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    from heel_coach.screens.documents import document  # and the documents and timelines too

    return RenderDocumentDirective(
        token=view.token, document=document(view.screen), datasources=view.datasources()
    )


def choose(shows: list[Show]) -> Show:
    """The last thing said wins: when the massage warning comes before a step, the step's
    countdown is what the person needs on screen (the full list is there on "massage safety")."""
    return shows[-1]


def view_for(
    handler_input: HandlerInput, turn: Turn, reply: Reply, said_before: float = 0.0
) -> ScreenView | None:
    from heel_coach.screens import views
    from heel_coach.screens.requests import ShowOverview, ShowProgress, ShowSafety, ShowStep

    show = choose(reply.shows)
    speaker, locale = turn.speaker, turn.speaker.locale
    if isinstance(show, ShowSafety):
        return views.safety_view(show.topic, speaker.safety(), wording=speaker.prompts)
    if isinstance(show, ShowOverview):
        routine = turn.catalogue.routine(show.routine_id)
        foot = turn.user.foot or Foot.BOTH
        chosen = turn.plans.get(show.routine_id, foot, turn.user.focus or Focus.SOLE)
        feet = speaker.text(f"foot.{foot.value}") if turn.user.foot is not None else ""
        return views.overview_view(
            chosen, routine, locale=locale, wording=speaker.prompts, feet_phrase=feet,
            total_s=turn.voice().seconds(chosen), equipment_names=turn.catalogue.equipment[locale],
        )  # fmt: skip
    if isinstance(show, ShowProgress):
        return _progress_view(handler_input, turn)
    plan, state = turn.plan(), turn.user.routine
    if plan is None or state is None:
        return None
    name = speaker.routine_name(turn.catalogue.routine(plan.routine_id))
    if isinstance(show, ShowStep):
        from heel_coach.screens.timeline import device_length, screen_timeline

        step = plan.steps[show.step_index]
        lead = said_before + reply.speech.spoken_seconds(speaker.rate, upto=show.speech_mark)
        script = [
            (item, device_length(item, speaker.seconds(" ".join(sentences))))
            for item, sentences in reply.spoken[show.spoken_from :]
        ]
        phases = screen_timeline([(step, script, lead)])
        return views.exercise_view(
            plan, phases, locale=locale, wording=speaker.prompts, routine_name=name, paused=state.paused
        )
    return _track_view(handler_input, turn, plan, show, name)


def _progress_view(handler_input: HandlerInput, turn: Turn) -> ScreenView | None:
    from heel_coach.progress import stats

    history = history_of(handler_input, turn)
    if history is None:
        return None
    sessions, zone = history
    from heel_coach.screens import views

    progress = stats.summarise(sessions, turn.now, zone, stats.routine_kinds(turn.catalogue))
    counts = views.week_counts(sessions, turn.now, zone)
    return views.progress_view(progress, counts, wording=turn.speaker.prompts)


def _track_view(
    handler_input: HandlerInput, turn: Turn, plan: Plan, show: ShowTrack, name: str
) -> ScreenView | None:
    """Continuous mode: the timeline of the rendered tracks themselves (their measured layout)."""
    library = library_of(handler_input)
    manifest = library.manifest(turn.speaker.locale)
    if manifest is None:
        return None
    voice = tracks.track_voice(turn.speaker)
    parts: list[tuple[Step, list[ScriptItem], float]] = []
    carry = 0.0  # the previous track's time after its script (the gap after its wait cue)
    last = min(len(plan.steps), show.step_index + PLAYLIST_TRACKS)
    for index in range(show.step_index, last):
        ref = library.track(turn.speaker, plan, index)
        entry = manifest.tracks.get(ref.token.track_id) if ref is not None else None
        if entry is None or not entry.layout:
            break
        step = plan.steps[index]
        laid = _laid_out(voice, plan, step, entry.layout)
        if laid is None:
            break
        lead, script, script_end = laid
        parts.append((step, script, carry + lead))
        carry = entry.duration_s - script_end
    if not parts:
        return None
    from heel_coach.screens import views
    from heel_coach.screens.timeline import screen_timeline

    return views.exercise_view(
        plan, screen_timeline(parts), locale=turn.speaker.locale, wording=turn.speaker.prompts,
        routine_name=name, offset_ms=show.offset_ms,
    )  # fmt: skip


def _laid_out(
    voice: tracks.TrackVoice, plan: Plan, step: Step, layout: list[list[object]]
) -> tuple[float, list[ScriptItem], float] | None:
    """(start of the script, each item with its measured length, end of the script) in a track.

    The track is ``voice.tracks.step_track``: a lead-in gap, then per script item a gap for a
    pause; for a beat its sentences laid over (``over``) a gap of its length; for other cues
    their sentences (said, or laid over the silence for halfway/ten left), plus the wait gap
    after a wait cue. One layout entry per track item, in order.
    """
    from heel_coach.engine.timing import Pause, step_script

    position = 1
    try:
        start = float(layout[position][1])  # type: ignore[arg-type]
        script: list[ScriptItem] = []
        for item in step_script(plan, step):
            if isinstance(item, Pause):
                count = 1
            else:
                count = len(voice.sentences(item, plan)) + (1 if item.within_s is not None else 0)
                count += 1 if item.key in tracks.WAIT_GAP_S else 0
            entries = layout[position : position + count]
            if len(entries) != count:
                return None
            length = sum(_span(e) for e in entries if e[0] != "over")
            script.append((item, length))
            position += count
        end = float(layout[position - 1][2])  # type: ignore[arg-type]
    except (IndexError, TypeError, ValueError):
        return None
    return start, script, end


def _span(entry: list[object]) -> float:
    """Seconds a layout entry ``[kind, start_s, end_s]`` lasts."""
    return float(str(entry[2])) - float(str(entry[1]))


class TouchInterceptor(AbstractRequestInterceptor):
    """A touch on one of our buttons becomes the intent the spoken command is."""

    def process(self, handler_input: HandlerInput) -> None:
        request = handler_input.request_envelope.request
        if request is None or str(request.object_type) != USER_EVENT:
            return
        from ask_sdk_model.interfaces.alexa.presentation.apl import UserEvent

        from heel_coach.screens.requests import TOKEN_PREFIX  # only a touch needs them

        if not isinstance(request, UserEvent):
            return
        if not str(request.token or "").startswith(TOKEN_PREFIX):
            return
        arguments = request.arguments or []
        intent = TOUCH_INTENTS.get(str(arguments[0])) if arguments else None
        if intent is None:
            return
        handler_input.request_envelope.request = IntentRequest(
            request_id=request.request_id,
            timestamp=request.timestamp,
            locale=request.locale,
            intent=Intent(name=intent, slots={}),
        )
