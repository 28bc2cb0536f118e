"""Request plumbing: load the user's state once before a request and save it once after (only
if it changed), and hand the store and the track library to features without globals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor, AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from heel_coach.persistence.store import UserStore
from heel_coach.voice.speech import Speaker
from heel_coach.voice.state import SessionState
from heel_coach.voice.tracks import TrackLibrary
from heel_coach.voice.turn import TURN, PlanCache, Turn
from heel_coach.voice.user import UserData

SNAPSHOT = "heelcoach.loaded"
STORE = "heelcoach.store"
LIBRARY = "heelcoach.playback"


class LoadTurnInterceptor(AbstractRequestInterceptor):
    def __init__(self, plans: PlanCache, speakers: Callable[[str | None], Speaker]) -> None:
        self.plans = plans
        self.speakers = speakers

    def process(self, handler_input: HandlerInput) -> None:
        envelope = handler_input.request_envelope
        request = envelope.request
        manager = handler_input.attributes_manager
        stored: dict[str, Any] = manager.persistent_attributes
        # The loaded dict stays untouched (UserData works on its own copy): it is the snapshot.
        manager.request_attributes[SNAPSHOT] = stored
        in_session = envelope.session is not None
        session = SessionState.from_attributes(manager.session_attributes) if in_session else SessionState()
        timestamp = getattr(request, "timestamp", None)
        now = timestamp if isinstance(timestamp, datetime) else datetime.now(UTC)
        if now.tzinfo is None:
            now = now.replace(tzinfo=UTC)
        if session.sent is not None and getattr(request, "object_type", None) != "SessionEndedRequest":
            # The first request after a step's response is when the person spoke (maybe over
            # it); Alexa ending the session is not them, and comes after the whole response.
            session.sent = session.sent.heard(now)
        manager.request_attributes[TURN] = Turn(
            speaker=self.speakers(getattr(request, "locale", None)),
            plans=self.plans,
            user=UserData.from_attributes(stored),
            session=session,
            now=now,
            in_session=in_session,
        )


class SaveTurnInterceptor(AbstractResponseInterceptor):
    """The single persistent write of a request (nothing is written when nothing changed)."""

    def __init__(self, on_finished: Callable[[HandlerInput, Turn], None] | None = None) -> None:
        self.on_finished = on_finished

    def process(self, handler_input: HandlerInput, response: Response) -> None:
        manager = handler_input.attributes_manager
        turn = manager.request_attributes.get(TURN)
        if not isinstance(turn, Turn):
            return
        if turn.in_session:
            manager.session_attributes = turn.session.to_attributes()
        if turn.outcome.skip_save:
            return  # data just deleted, or a skill event: never write the user (back)
        if turn.outcome.finished is not None:
            # Counted once per finished routine, in either mode: the short form follows (speech).
            turn.user.exercises.record(turn.outcome.finished.exercises_done)
        if self.on_finished is not None and turn.outcome.finished is not None:
            self.on_finished(handler_input, turn)
            return
        new = turn.user.to_attributes()
        if new != manager.request_attributes.get(SNAPSHOT):
            manager.persistent_attributes = new
            manager.save_persistent_attributes()


class StoreInterceptor(AbstractRequestInterceptor):
    """Makes the store reachable from features (sessions are not persistent attributes)."""

    def __init__(self, store: UserStore) -> None:
        self.store = store

    def process(self, handler_input: HandlerInput) -> None:
        handler_input.attributes_manager.request_attributes[STORE] = self.store


def store_of(handler_input: HandlerInput) -> UserStore | None:
    return cast("UserStore | None", handler_input.attributes_manager.request_attributes.get(STORE))


class AttachLibraryInterceptor(AbstractRequestInterceptor):
    """Hands the track library to handlers through request attributes (no globals, no I/O)."""

    def __init__(self, library: TrackLibrary) -> None:
        self.library = library

    def process(self, handler_input: HandlerInput) -> None:
        handler_input.attributes_manager.request_attributes[LIBRARY] = self.library


def library_of(handler_input: HandlerInput) -> TrackLibrary:
    library = handler_input.attributes_manager.request_attributes.get(LIBRARY)
    return library if isinstance(library, TrackLibrary) else TrackLibrary(Path("audio"), "")
