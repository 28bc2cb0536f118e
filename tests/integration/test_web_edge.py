"""The HTTP edge: 400 with a JSON reason for anything that is not a valid, verified Alexa request."""

from __future__ import annotations

import io
import json
import socket
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask

from heel_coach.catalogue.model import Catalogue
from heel_coach.console.envelopes import Device
from heel_coach.settings import Settings
from heel_coach.web.app import create_app
from tests.helpers import db_dump
from tests.integration.conftest import LiveServer

CAP = Settings().max_body_bytes
HUGE = 64 * 1024 * 1024


@pytest.fixture
def verified_app(tmp_path: Path, catalogue: Catalogue):  # type: ignore[no-untyped-def]
    settings = Settings(db_path=tmp_path / "db.sqlite3", verify_signatures=True)
    return create_app(settings, catalogue=catalogue)


def post(url: str, body: bytes, headers: dict[str, str] | None = None) -> requests.Response:
    session = requests.Session()
    session.trust_env = False
    return session.post(url, data=body, headers=headers or {"Content-Type": "application/json"}, timeout=10)


def test_unsigned_request_with_verification_on_is_400_and_changes_nothing(
    verified_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    client = verified_app.test_client()
    before = db_dump(tmp_path / "db.sqlite3")
    response = client.post("/alexa", data=json.dumps(Device().launch()), content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] == "missing_signature_headers"
    assert db_dump(tmp_path / "db.sqlite3") == before


def test_body_that_is_not_json_is_400_over_real_http(live_url: str, settings: Settings) -> None:
    before = db_dump(settings.db_path)
    response = post(live_url, b"this is not json {")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_json"
    assert "Traceback" not in response.text
    assert db_dump(settings.db_path) == before


@pytest.mark.parametrize(
    "body,reason",
    [
        (b"[]", "invalid_request"),
        (b"{}", "invalid_request"),
        (
            json.dumps(
                {
                    "version": "1.0",
                    "request": {"type": "Nope", "requestId": "r", "timestamp": "2026-01-01T00:00:00Z"},
                    "context": {"System": {"user": {"userId": "u"}}},
                }
            ).encode(),
            "unsupported_request_type",
        ),
        (b"", "empty_body"),
        (b"\xff\xfe", "invalid_json"),
    ],
)
def test_malformed_requests_get_a_clear_reason(live_url: str, body: bytes, reason: str) -> None:
    response = post(live_url, body)
    assert response.status_code == 400
    assert response.json()["error"] == reason


def test_a_stale_timestamp_is_refused(live_url: str) -> None:
    envelope = Device().launch()
    envelope["request"]["timestamp"] = "2020-01-01T00:00:00Z"
    response = post(live_url, json.dumps(envelope).encode())
    assert response.status_code == 400 and response.json()["error"] == "stale_timestamp"


def test_a_huge_body_is_refused_without_reading_it(live_url: str) -> None:
    response = post(live_url, b"{" + b" " * (200 * 1024) + b"}")
    assert response.status_code == 400 and response.json()["error"] == "body_too_large"


class EndlessBody(io.RawIOBase):
    """A request body of ``total`` spaces that counts what the server read of it."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = min(len(buffer), self.total - self.consumed)
        buffer[:count] = b" " * count
        self.consumed += count
        return count


def test_a_chunked_body_without_length_is_refused_after_reading_at_most_the_cap(app: Flask) -> None:
    body = EndlessBody(20 * 1024 * 1024)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/alexa",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BufferedReader(body, buffer_size=8192),
        "wsgi.input_terminated": True,  # what servers set for Transfer-Encoding: chunked
        "wsgi.errors": sys.stderr,
        "CONTENT_TYPE": "application/json",
        "HTTP_TRANSFER_ENCODING": "chunked",
    }
    statuses: list[str] = []
    answer = b"".join(app(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    assert statuses == ["400 BAD REQUEST"]
    assert json.loads(answer)["error"] == "body_too_large"
    assert body.consumed <= CAP + 8192, body.consumed  # the cap, plus one read-ahead buffer


def send_chunked(url: str, total: int) -> tuple[int, bytes]:
    """Stream ``total`` bytes as one chunked request over a raw socket until the server stops
    reading; return the bytes the server's side accepted and what it answered (if anything)."""
    parts = urlsplit(url)
    piece = b" " * 65536
    frame = b"%x\r\n" % len(piece) + piece + b"\r\n"
    sent = 0
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(
            f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        try:
            while sent < total:
                sock.sendall(frame)
                sent += len(piece)
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server closed the connection: it stopped reading
        try:
            reply = sock.recv(4096)
        except OSError:
            reply = b""
    return sent, reply


def assert_refused_early(sent: int, reply: bytes) -> None:
    # Loopback socket buffers take a few MiB on their own; reading the body whole takes all 64.
    assert sent < 16 * 1024 * 1024, f"the server read {sent / 2**20:.0f} MiB of a refused body"
    assert not reply or reply.startswith(b"HTTP/1.1 400"), reply[:200]


def test_a_huge_chunked_body_is_not_read_whole_by_the_development_server(live_url: str) -> None:
    assert_refused_early(*send_chunked(live_url, HUGE))


def test_a_huge_chunked_body_is_not_read_whole_by_gunicorn(live_server: LiveServer) -> None:
    assert_refused_early(*send_chunked(live_server.alexa_url, HUGE))
    assert requests.get(f"{live_server.base_url}/healthz", timeout=5).status_code == 200


def nested_launch(depth: int) -> bytes:
    envelope = Device().launch()
    envelope["session"]["attributes"] = {"x": ["@@"]}
    return json.dumps(envelope).replace('["@@"]', "[" * depth + "]" * depth).encode()


@pytest.mark.parametrize("depth", [100, 300, 900])
def test_deep_nesting_is_a_400_with_a_reason(app: Flask, depth: int) -> None:
    response = app.test_client().post("/alexa", data=nested_launch(depth), content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] == "nested_too_deep"


def test_deeply_nested_bodies_do_not_flood_the_log(live_server: LiveServer) -> None:
    """Over real gunicorn with its JSON logging: each refused body adds one short line."""
    before = len(live_server.log_text())
    for depth in (300, 900, 3000, 50_000):
        response = post(live_server.alexa_url, nested_launch(depth))
        assert response.status_code == 400
        assert response.json()["error"] in {"nested_too_deep", "invalid_json"}
    added = live_server.log_text()[before:]
    assert len(added) < 4 * 1024, added[:2000]
    assert "Traceback" not in added


def test_unknown_skill_id_is_refused(tmp_path: Path, catalogue: Catalogue) -> None:
    app = create_app(
        Settings(
            db_path=tmp_path / "db.sqlite3",
            verify_signatures=False,
            skill_ids=frozenset({"amzn1.ask.skill.ours"}),
        ),
        catalogue=catalogue,
    )
    response = app.test_client().post(
        "/alexa", data=json.dumps(Device().launch()), content_type="application/json"
    )
    assert response.status_code == 400 and response.get_json()["error"] == "unknown_skill_id"


def test_healthz_and_wrong_methods(app) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    health = client.get("/healthz")
    assert health.status_code == 200 and health.get_json()["database"] == "ok"
    assert client.get("/alexa").status_code == 405
    assert client.get("/nothing").get_json() == {"error": "not_found"}


def test_a_valid_request_is_answered_and_saved_once(app, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    response = client.post("/alexa", data=json.dumps(Device().launch()), content_type="application/json")
    assert response.status_code == 200
    body = response.get_json()
    assert body["version"] == "1.0" and "outputSpeech" in body["response"]
    rows = [r for r in db_dump(settings.db_path) if r[0] == "users"]
    assert len(rows) == 1
