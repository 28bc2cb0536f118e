"""Errors while handling AudioPlayer and PlaybackController requests never answer with speech:
Alexa rejects a response to those requests that carries speech, a card or a reprompt. Every
error path is checked: the store failing to read or write, a handler failing, and a failure
escaping the skill to the web edge."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_model.interfaces.audioplayer import StopDirective
from flask import Flask

from heel_coach.console.client import Heard, VoiceClient, flask_transport
from heel_coach.errors import StorageError
from heel_coach.persistence.sqlite_store import SqliteStore, StoreError
from heel_coach.settings import Settings
from heel_coach.voice.handlers import playback
from heel_coach.web.app import create_app

TOKEN = "heelcoach|quick|both|sole|0|1"
SILENT_REQUESTS = [
    "AudioPlayer.PlaybackStarted",
    "AudioPlayer.PlaybackNearlyFinished",
    "AudioPlayer.PlaybackFinished",
    "AudioPlayer.PlaybackStopped",
    "AudioPlayer.PlaybackFailed",
    "PlaybackController.PlayCommandIssued",
    "PlaybackController.PauseCommandIssued",
    "PlaybackController.NextCommandIssued",
    "PlaybackController.PreviousCommandIssued",
]


class FailingStore(SqliteStore):
    """A real store whose reads or writes fail the way a locked or missing database does."""

    fail_reads = False
    fail_writes = False

    def get_attributes(self, user_id: str) -> dict[str, Any]:
        if self.fail_reads:
            raise StoreError("unavailable", "cannot open the database")
        return super().get_attributes(user_id)

    def save_attributes(self, user_id: str, attributes: dict[str, Any]) -> None:
        if self.fail_writes:
            raise StoreError("locked", "database is locked")
        super().save_attributes(user_id, attributes)


def make(tmp_path: Path) -> tuple[Flask, VoiceClient, FailingStore]:
    store = FailingStore(tmp_path / "db" / "heelcoach.sqlite3")
    app = create_app(Settings(db_path=store.path, verify_signatures=False), store=store)
    return app, VoiceClient.for_locale(flask_transport(app)), store


def event(alexa: VoiceClient, request_type: str) -> Heard:
    if request_type == "AudioPlayer.PlaybackFailed":
        return alexa.audio_event(
            request_type, token=TOKEN, offset_ms=1000, error={"type": "MEDIA_ERROR_UNKNOWN", "message": "x"}
        )
    return alexa.audio_event(request_type, token=TOKEN, offset_ms=1000)


def assert_silent(heard: Heard) -> None:
    assert heard.status == 200, heard.body
    response = heard.body["response"]
    for field in ("outputSpeech", "card", "reprompt", "directives"):
        assert not response.get(field), heard.body


def fail_handlers(monkeypatch: pytest.MonkeyPatch, exc: Exception) -> None:
    """The handler gets as far as queueing a directive, then fails (as a save would)."""

    def handle(self: object, handler_input: Any) -> object:
        handler_input.response_builder.add_directive(StopDirective())
        raise exc

    for handler in (playback.AudioPlayerEventHandler, playback.PlaybackControllerHandler):
        monkeypatch.setattr(handler, "handle", handle)


Fault = Callable[[Flask, FailingStore, pytest.MonkeyPatch], None]


def store_cannot_read(app: Flask, store: FailingStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.fail_reads = True


def store_cannot_write(app: Flask, store: FailingStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.fail_writes = True

    def save_always(self: object, handler_input: Any, response: object) -> None:
        handler_input.attributes_manager.persistent_attributes = {"touched": True}
        handler_input.attributes_manager.save_persistent_attributes()

    from heel_coach.voice.interceptors import SaveTurnInterceptor

    monkeypatch.setattr(SaveTurnInterceptor, "process", save_always)


def handler_raises_storage_error(app: Flask, store: FailingStore, monkeypatch: pytest.MonkeyPatch) -> None:
    fail_handlers(monkeypatch, StoreError("locked", "database is locked"))


def handler_raises(app: Flask, store: FailingStore, monkeypatch: pytest.MonkeyPatch) -> None:
    fail_handlers(monkeypatch, RuntimeError("a bug"))


def invoke_raises_storage_error(app: Flask, store: FailingStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def invoke(**_: object) -> None:
        raise StorageError("escaped the skill")

    monkeypatch.setattr(app.extensions["heelcoach"].skill, "invoke", invoke)


def invoke_raises(app: Flask, store: FailingStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def invoke(**_: object) -> None:
        raise RuntimeError("escaped the skill")

    monkeypatch.setattr(app.extensions["heelcoach"].skill, "invoke", invoke)


FAULTS = [
    store_cannot_read,
    store_cannot_write,
    handler_raises_storage_error,
    handler_raises,
    invoke_raises_storage_error,
    invoke_raises,
]


@pytest.mark.parametrize("fault", FAULTS, ids=[f.__name__ for f in FAULTS])
def test_audio_requests_never_hear_an_apology(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: Fault
) -> None:
    app, alexa, store = make(tmp_path)
    try:
        fault(app, store, monkeypatch)
        for request_type in SILENT_REQUESTS:
            assert_silent(event(alexa, request_type))
        assert_silent(alexa.send(alexa.device.session_ended("ERROR")))
        launch = alexa.launch()  # a spoken request is still spoken to (an apology if it failed too)
        assert launch.status == 200 and launch.response.get("outputSpeech"), launch.body
    finally:
        store.close()
