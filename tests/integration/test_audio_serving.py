"""GET /audio/...: rendered MP3s with long cache headers and range requests, nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from heel_coach.audio.silence import render_silence_clip
from heel_coach.settings import Settings

NAME = "0123456789abcdef01234567.mp3"


@pytest.fixture
def client(app: Flask, settings: Settings) -> FlaskClient:
    root = Path(settings.audio_dir)
    (root / "en-US").mkdir(parents=True)
    (root / "en-US" / NAME).write_bytes(render_silence_clip(1))
    (root / "en-US" / "manifest.json").write_text("{}")
    (root.parent / "secret.mp3").write_bytes(b"not for you")
    return app.test_client()


def get(client: FlaskClient, path: str, **kwargs: Any) -> tuple[int, str, dict[str, str], bytes]:
    """Status, mimetype, headers and body; the response (an open file) is closed at once."""
    response = client.get(path, **kwargs)
    try:
        return response.status_code, response.mimetype or "", dict(response.headers), response.get_data()
    finally:
        response.close()


def test_a_rendered_track_is_served_as_cacheable_mpeg(client: FlaskClient, settings: Settings) -> None:
    status, mimetype, headers, data = get(client, f"/audio/en-US/{NAME}")
    assert (status, mimetype) == (200, "audio/mpeg")
    assert "max-age=31536000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
    assert data == (Path(settings.audio_dir) / "en-US" / NAME).read_bytes()


def test_range_requests_get_partial_content(client: FlaskClient) -> None:
    whole = get(client, f"/audio/en-US/{NAME}")[3]
    status, _, headers, data = get(client, f"/audio/en-US/{NAME}", headers={"Range": "bytes=100-199"})
    assert status == 206
    assert headers["Content-Range"] == f"bytes 100-199/{len(whole)}"
    assert data == whole[100:200]


@pytest.mark.parametrize(
    "path",
    [
        "/audio/en-US/",
        "/audio/en-US",
        "/audio/",
        "/audio/en-US/manifest.json",
        "/audio/../secret.mp3",
        "/audio/%2e%2e/secret.mp3",
        "/audio/en-US/%2e%2e/%2e%2e/secret.mp3",
        "/audio/..%2fsecret.mp3",
        "/audio//etc/passwd.mp3",
        "/audio/%2fetc%2fpasswd.mp3",
        "/audio/en-US/missing.mp3",
    ],
)
def test_listings_traversal_and_other_files_are_refused(client: FlaskClient, path: str) -> None:
    status, _, headers, data = get(client, path)
    if status == 308:  # Werkzeug merges "//" by redirecting inside /audio/, which is then refused
        location = headers["Location"].removeprefix("http://localhost")
        assert location.startswith("/audio/")
        status, _, _, data = get(client, location)
    assert status == 404, path
    assert b"not for you" not in data
