"""Exception handlers: a spoken apology, never a crash. Specific first, catch-all last."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from heel_coach.errors import StorageError

_LOG = logging.getLogger(__name__)

SILENT_REQUEST_TYPES = (
    "AudioPlayer.",
    "PlaybackController.",
    "System.",
    "SessionEndedRequest",
    "AlexaSkillEvent.",
)
"""Request types whose response may carry no speech, card or reprompt (Alexa rejects one that
does): an error while handling them is answered with an empty response."""


def answers_silently(request_type: str | None) -> bool:
    """True for requests an error must answer with an empty response, never an apology."""
    return bool(request_type) and str(request_type).startswith(SILENT_REQUEST_TYPES)


_GENERIC = "Sorry, something went wrong on my side. Your progress is saved, so please try again."
_STORAGE = (
    "Sorry, I can't reach your saved progress right now. Nothing has been lost; please try again in a minute."
)


class StorageErrorHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return isinstance(exception, StorageError)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        # The store's messages may name the user: log only the kind of failure.
        _LOG.warning("storage failure: %s", getattr(exception, "reason", type(exception).__name__))
        return _apology(handler_input, "error.storage", _STORAGE)


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        # At ERROR only the type and place: exception text can carry request data (user ids).
        _LOG.error("unhandled %s at %s", type(exception).__name__, raised_at(exception))
        _LOG.debug("unhandled exception detail", exc_info=exception)
        return _apology(handler_input, "error.generic", _GENERIC)


def raised_at(exc: BaseException) -> str:
    """``file:line`` where ``exc`` was raised: enough to find a bug, without its (possibly huge,
    possibly user-quoting) message and traceback."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else "?"


def _apology(handler_input: HandlerInput, key: str, fallback: str) -> Response:
    """Apologise in the user's language when prompts loaded; the literal text otherwise.

    AudioPlayer, PlaybackController, System and session-end requests may not carry speech:
    they get an empty response, without the directives the failed turn may have added
    (its state was not saved, so a Play it queued would run ahead of it).
    """
    request = handler_input.request_envelope.request
    request_type = request.object_type if request is not None else None
    if answers_silently(request_type):
        return Response()
    text = fallback
    turn = handler_input.attributes_manager.request_attributes.get("heelcoach.turn")
    if hasattr(turn, "text"):
        try:
            text = turn.text(key)
        except KeyError:
            pass
    builder = handler_input.response_builder
    builder.speak(text)
    if handler_input.request_envelope.session is not None:
        builder.set_should_end_session(True)
    return builder.response
