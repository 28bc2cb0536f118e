"""The real gTTS code path (through the intercepting proxy to the fake server) renders the
same tracks, by id, as the offline engine: track ids do not depend on the voice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from heel_coach.audio.manifest import load_manifest
from heel_coach.audio.mp3 import check
from heel_coach.audio.render import render_tracks
from heel_coach.audio.spec import ALEXA_STREAM_AUDIO
from heel_coach.voice.tracks import wanted_tracks
from heel_coach.audio.tts import EspeakEngine, GTTSEngine
from heel_coach.catalogue import load_catalogue
from heel_coach.voice.prompts import load_prompts
from heel_coach.voice.speech import Speaker
from tests.fakes.gtts_server import FakeGTTS
from tests.fakes.intercepting_proxy import CLEAR_ENV, InterceptingProxy
from tests.fakes.pki import TestPKI


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGTTS]:
    pki = TestPKI("gTTS render fake")
    with InterceptingProxy(pki) as proxy:
        server = FakeGTTS(wait=proxy.wait)
        proxy.route("translate.google.com", server)
        for name in CLEAR_ENV:
            monkeypatch.delenv(name, raising=False)
        for name, value in proxy.client_env(pki.write_ca_bundle(tmp_path / "ca.pem")).items():
            monkeypatch.setenv(name, value)
        yield server


def test_gtts_and_espeak_render_the_same_track_ids(fake: FakeGTTS, tmp_path: Path) -> None:
    catalogue = load_catalogue()
    tracks = wanted_tracks(Speaker(catalogue, load_prompts("en-US"), "en-US"), catalogue, ["quick"])
    render_tracks(tracks, GTTSEngine(timeout_s=10), tmp_path / "g", "en-US", max_workers=2, progress=None)
    render_tracks(tracks, EspeakEngine(), tmp_path / "e", "en-US", progress=None)
    by_gtts, by_espeak = load_manifest(tmp_path / "g", "en-US"), load_manifest(tmp_path / "e", "en-US")
    assert by_gtts is not None and by_espeak is not None
    assert set(by_gtts.tracks) == set(by_espeak.tracks) == set(tracks)
    assert {e.engine for e in by_gtts.tracks.values()} == {"gtts"}
    assert {e.file for e in by_gtts.tracks.values()}.isdisjoint({e.file for e in by_espeak.tracks.values()})
    assert len(fake.calls) >= len(
        {t for track in tracks.values() for t in track.texts()}
    )  # gTTS splits long text
    for entry in by_gtts.tracks.values():
        assert check((tmp_path / "g" / "en-US" / entry.file).read_bytes(), ALEXA_STREAM_AUDIO) == []
