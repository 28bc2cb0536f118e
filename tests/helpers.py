"""Helpers shared by tests (not fixtures)."""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

from heel_coach.catalogue.loader import load_speaking_rates
from heel_coach.catalogue.model import SpeakingRate
from heel_coach.console.client import Heard, VoiceClient
from heel_coach.web.server import bounded_request_handler

API_TOKEN = "in-session-api-token"
"""The Alexa API access token the fake Alexa API accepts in integration tests."""


def speaking_rate(locale: str = "en-US") -> SpeakingRate:
    """The packaged content's speaking rate for ``locale`` (the one estimate the skill uses)."""
    return load_speaking_rates()[locale]


def db_dump(path: Path) -> list[tuple[object, ...]]:
    """Every row of every table, for "nothing changed" assertions."""
    if not path.exists():
        return []
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        rows: list[tuple[object, ...]] = []
        for table in tables:
            rows.extend((table, *row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"))
        return rows
    finally:
        conn.close()


_TOKEN = re.compile(r"\[pause ([\d.]+) s\]|(Start\.)|(And release\.|And stop\.)")


def timed_work_seconds(text: str) -> float:
    """Time from a "Start." cue to its "And release." / "And stop." cue: the timed work itself
    (holds and bouts), its silences plus the cues said inside it ("Halfway."), at the one speech
    estimate (English: these cues are English); transitions between holds are outside it."""
    from heel_coach.engine.speech_time import speech_seconds

    rate = speaking_rate("en-US")
    total, inside, pos = 0.0, False, 0
    for match in _TOKEN.finditer(text):
        if inside:
            total += speech_seconds(text[pos : match.start()], rate)
        if match.group(2):
            inside = True
        elif match.group(3):
            inside = False
        elif inside:
            total += float(match.group(1))
        pos = match.end()
    return total


def finish_quick_routine(alexa: VoiceClient, when: datetime | None = None) -> Heard:
    """Launch, start the quick routine for both feet and say "next" to the end.

    With ``when``, the launch and every "next" carry that timestamp (the day it is recorded in).
    """

    def send(body: dict[str, object]) -> Heard:
        if when is not None:
            request = body["request"]
            assert isinstance(request, dict)
            request["timestamp"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        return alexa.send(body)

    send(alexa.device.launch())
    alexa.say("start the quick routine")
    alexa.say("both")
    heard = send(alexa.device.intent("AMAZON.NextIntent"))  # "ready", after the equipment
    for _ in range(40):
        if heard.ends_session:
            break
        heard = send(alexa.device.intent("AMAZON.NextIntent"))
    return heard


@contextmanager
def serve_on_loopback(app: Flask) -> Iterator[str]:
    """``app`` behind a real threaded HTTP server on 127.0.0.1 with the body cap of
    ``heel-coach serve --dev``; yields its /alexa URL."""
    handler = bounded_request_handler(app.extensions["heelcoach"].settings.max_body_bytes)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/alexa"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
