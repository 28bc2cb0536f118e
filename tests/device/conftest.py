"""The device conversation tests' Echo: the real app on real SQLite behind real loopback HTTP.

Request timestamps follow the simulated clock (a routine runs for simulated minutes in real
milliseconds), so the app under test does not reject them as stale; signatures are off as in
every conversation test. Hands-free runs use a second app that publishes audio rendered for
the session (``published_audio``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from heel_coach.audio.spec import AudioSpec
from heel_coach.catalogue.model import Catalogue
from heel_coach.console.client import VoiceClient, http_transport
from heel_coach.console.device_run import DeviceRun, RunResult, Scenario
from heel_coach.settings import Settings
from heel_coach.voice.prompts import load_prompts
from heel_coach.web.app import create_app
from tests.helpers import serve_on_loopback


@pytest.fixture(scope="session")
def device_url(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Iterator[str]:
    tmp: Path = tmp_path_factory.mktemp("device")
    settings = Settings(
        db_path=tmp / "heel-coach.sqlite3",
        verify_signatures=False,
        verify_timestamps=False,
        audio_dir=tmp / "audio",
    )
    with serve_on_loopback(create_app(settings, catalogue=catalogue)) as url:
        yield url


@pytest.fixture(scope="session")
def run_on_device(device_url: str, catalogue: Catalogue) -> Callable[[Scenario], RunResult]:
    """Run a scenario as its own new user (once per session: several tests judge one run)."""
    templates = load_prompts("en-US").strings
    done: dict[Scenario, RunResult] = {}

    def run(scenario: Scenario) -> RunResult:
        if scenario not in done:
            client = VoiceClient.for_locale(http_transport(device_url))
            done[scenario] = DeviceRun(client, catalogue, templates).run(scenario)
        return done[scenario]

    return run


HANDS_FREE_ROUTINES = ("full", "morning", "evening-massage", "strength", "quick")
HANDS_FREE_FEET = ("both", "left")
PUBLISHED_AT = "https://audio.heel-coach.example/audio"
QUICK_RENDER = AudioSpec(mpeg_version=2.5, layer=3, bitrate_kbps=16, sample_rate_hz=8000, channels=1)
"""MPEG-2.5 Layer III, 8 kHz mono: the cheapest MP3 LAME writes, for the device tests only."""


@pytest.fixture(scope="session")
def published_audio(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Path:
    """Every track the hands-free runs play (five routines, both feet and one foot, the full
    and the short wording, the closing words for every count), rendered once with the offline
    engine: real MP3s whose manifest gives the device model each track's length and where each
    of its words falls. Encoded as ``QUICK_RENDER`` rather than the 44.1 kHz stream format:
    the lengths and layouts are the same to 15 ms (measured over all 124 tracks; both are laid
    out in whole samples from the same speech) and it renders in about a fifth of the time
    (16 s against 74 s here). The stream format's own timing is checked in tests/unit/audio."""
    from heel_coach.audio.render import render_tracks
    from heel_coach.audio.tts import EspeakEngine
    from heel_coach.catalogue.model import Focus
    from heel_coach.engine.plan import Foot, build_plan
    from heel_coach.voice.speech import Speaker
    from heel_coach.voice.tracks import tracks_for

    out = tmp_path_factory.mktemp("published")
    speaker = Speaker(catalogue, load_prompts("en-US"), "en-US")
    plans = (
        build_plan(catalogue.routine(r), Foot(f), Focus.SOLE)
        for r in HANDS_FREE_ROUTINES
        for f in HANDS_FREE_FEET
    )
    engine = EspeakEngine(QUICK_RENDER)
    render_tracks(tracks_for(speaker, plans), engine, out, "en-US", spec=QUICK_RENDER, progress=None)
    return out


@dataclass(frozen=True)
class HandsFreeRun:
    result: RunResult
    user_id: str


@pytest.fixture(scope="session")
def hands_free_app(
    tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue, published_audio: Path
) -> Flask:
    """The app publishing ``published_audio`` (the device model never fetches the URL)."""
    settings = Settings(
        db_path=tmp_path_factory.mktemp("hands-free") / "heel-coach.sqlite3",
        verify_signatures=False,
        verify_timestamps=False,
        audio_dir=published_audio,
        audio_base_url=PUBLISHED_AT,
    )
    return create_app(settings, catalogue=catalogue)


@pytest.fixture(scope="session")
def run_hands_free(
    hands_free_app: Flask, catalogue: Catalogue, published_audio: Path
) -> Iterator[Callable[[Scenario], HandsFreeRun]]:
    """Run a hands-free scenario as its own new user on an Echo with AudioPlayer, over real
    loopback HTTP to the app publishing the rendered audio (once per session)."""
    from heel_coach.console.figures import clips_from_manifest, scripts_from_manifest

    templates = load_prompts("en-US").strings
    clips = clips_from_manifest(published_audio, "en-US")
    scripts = scripts_from_manifest(published_audio, "en-US")
    done: dict[Scenario, HandsFreeRun] = {}
    with serve_on_loopback(hands_free_app) as url:

        def run(scenario: Scenario) -> HandsFreeRun:
            if scenario not in done:
                client = VoiceClient.for_locale(http_transport(url))
                result = DeviceRun(client, catalogue, templates, clips, scripts=scripts).run(scenario)
                done[scenario] = HandsFreeRun(result, client.device.user_id)
            return done[scenario]

        yield run
