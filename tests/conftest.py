"""Shared fixtures: isolated settings, a real app on a real SQLite file, a loopback server,
and ``alexa``: a simulated Echo that talks to that server over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from heel_coach.catalogue import load_catalogue
from heel_coach.catalogue.model import Catalogue
from heel_coach.console.client import VoiceClient, flask_transport, http_transport
from heel_coach.settings import Settings
from heel_coach.web.app import create_app
from tests.helpers import serve_on_loopback


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No HEELCOACH_* variable from the developer's shell leaks into a test."""
    import os

    for key in list(os.environ):
        if key.startswith("HEELCOACH_"):
            monkeypatch.delenv(key)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        db_path=tmp_path / "heel-coach.sqlite3", verify_signatures=False, audio_dir=tmp_path / "audio"
    )


@pytest.fixture
def app(settings: Settings, catalogue: Catalogue) -> Flask:
    return create_app(settings, catalogue=catalogue)


@pytest.fixture
def live_url(app: Flask) -> Iterator[str]:
    """The app behind a real HTTP server on loopback (the one `heel-coach serve --dev` runs)."""
    with serve_on_loopback(app) as url:
        yield url


@pytest.fixture
def alexa(live_url: str) -> VoiceClient:
    """A simulated Echo speaking to the live server: ``alexa.launch()``, ``alexa.say("next")``."""
    return VoiceClient.for_locale(http_transport(live_url))


@pytest.fixture
def inproc_alexa(app: Flask) -> VoiceClient:
    """The same, through Flask's test client (for tests that send many requests)."""
    return VoiceClient.for_locale(flask_transport(app))


# -- DynamoDB: moto in server mode, one per test session ---------------------------------------


def _atomic_moto_server_class() -> type:
    """moto's threaded server with one request handled at a time.

    DynamoDB applies each request to an item atomically (a ConditionExpression is checked and
    the write made as one step). moto's threaded server does not: under load two conditional
    writes can both pass their check, and the store's no-lost-update test then fails for a
    reason real DynamoDB never has (seen once: 38 of 40 increments). Serialising requests inside
    the server restores DynamoDB's per-request atomicity; connections stay concurrent, so the
    store's own read-check-write retries still race exactly as they would on AWS.
    """
    import threading

    from moto.server import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        ThreadedMotoServer,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    class AtomicMotoServer(ThreadedMotoServer):
        def _server_entry(self) -> None:
            app = DomainDispatcherApplication(create_backend_app)
            lock = threading.Lock()

            def one_at_a_time(environ: Any, start_response: Any) -> list[bytes]:
                with lock:
                    return list(app(environ, start_response))

            self._server = make_server(
                self._ip_address, self._port, one_at_a_time, True, request_handler=MotoRequestHandler
            )
            self._server_ready_event.set()
            self._server.serve_forever()

    return AtomicMotoServer


@pytest.fixture(scope="session")
def dynamodb_endpoint() -> Iterator[str]:
    """moto's DynamoDB as a real HTTP server on a free loopback port (never an in-process
    mock): boto3 reaches it through ``endpoint_url`` exactly as it reaches AWS."""
    import os
    import socket

    _AtomicMotoServer = _atomic_moto_server_class()
    fake_credentials = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }
    saved = {key: os.environ.get(key) for key in fake_credentials}
    os.environ.update(fake_credentials)  # never real credentials, whatever the shell has
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = _AtomicMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
