"""Small helpers shared by handlers: predicates, slot reading, turning a Reply into a Response."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_request_type, get_slot
from ask_sdk_model import IntentRequest, Response

from heel_coach.voice.features import playback, routine, screens
from heel_coach.voice.speech import Reply
from heel_coach.voice.state import Pending
from heel_coach.voice.turn import TURN, Turn

SPEAKING_REQUESTS = ("LaunchRequest", "IntentRequest")
"""Responses to these may carry speech (AudioPlayer and PlaybackController responses may not)."""


def turn_of(handler_input: HandlerInput) -> Turn:
    turn = handler_input.attributes_manager.request_attributes[TURN]
    assert isinstance(turn, Turn)
    return turn


def request_type(handler_input: HandlerInput) -> str:
    return str(get_request_type(handler_input))


def intent_is(handler_input: HandlerInput, *names: str) -> bool:
    """Read from the request itself (what ``get_request_type`` and ``get_intent_name`` read):
    the SDK asks every handler up to the one that answers, so this runs dozens of times a turn."""
    request = handler_input.request_envelope.request
    return isinstance(request, IntentRequest) and request.intent is not None and request.intent.name in names


def pending(handler_input: HandlerInput) -> Pending | None:
    """The question we asked last turn (read from request attributes: no I/O)."""
    turn = handler_input.attributes_manager.request_attributes.get(TURN)
    return turn.session.pending if isinstance(turn, Turn) else None


def slot_id(handler_input: HandlerInput, name: str) -> tuple[str | None, str | None]:
    """(resolved id, heard text) of a custom slot; id is None when Alexa could not resolve it."""
    try:
        slot = get_slot(handler_input, name)
    except (TypeError, AttributeError):
        return None, None
    if slot is None or not slot.value:
        return None, None
    from ask_sdk_model.slu.entityresolution import StatusCode  # loaded with the slot's resolutions

    resolutions = slot.resolutions.resolutions_per_authority if slot.resolutions else None
    for authority in resolutions or []:
        if (
            authority.status
            and authority.status.code == StatusCode.ER_SUCCESS_MATCH
            and authority.values
            and authority.values[0].value is not None
        ):
            return authority.values[0].value.id, slot.value
    return None, slot.value


def respond(handler_input: HandlerInput, reply: Reply) -> Response:
    """Build the SDK response from a feature's Reply."""
    builder = handler_input.response_builder
    turn = turn_of(handler_input)
    speech, said_before = reply.speech, 0.0
    if request_type(handler_input) in SPEAKING_REQUESTS and (owed := playback.owed_notice(turn, reply)):
        speech = turn.speaker.ssml().sentence(owed).extend(speech)
        said_before = turn.speaker.seconds(owed)
    screens.attach(handler_input, turn, reply, said_before)
    routine.remember_step(turn, reply, said_before)
    ssml = speech.build() if not speech.is_empty() else ""
    if ssml:
        builder.speak(ssml)
    if reply.reprompt:
        reprompt = turn.speaker.ssml().sentence(reply.reprompt).build()
        builder.ask(reprompt)
    if reply.end_session is not None:
        builder.set_should_end_session(reply.end_session)
    for directive in reply.directives:
        builder.add_directive(directive)
    return builder.response
