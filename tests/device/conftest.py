"""The device conversation tests' Echo: the real app on real SQLite behind real loopback HTTP.

Request timestamps follow the simulated clock (a routine runs for simulated minutes in real
milliseconds), so the app under test does not reject them as stale; signatures are off as in
every conversation test. Hands-free runs use a second app that publishes audio rendered for
the session (``published_audio``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from flask import Flask

from heel_coach.audio.spec import AudioSpec
from heel_coach.catalogue.model import Catalogue
from heel_coach.console.client import VoiceClient, http_transport
from heel_coach.console.device_run import DeviceRun, RunResult, Scenario
from heel_coach.console.figures import PUBLISHED_AT
from heel_coach.settings import Settings
from heel_coach.voice.prompts import load_prompts
from heel_coach.web.app import create_app
from tests.device.budgets import FEET, ROUTINES
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
def run_in_locale(device_url: str, catalogue: Catalogue) -> Callable[[str, Scenario], RunResult]:
    """Run a scenario in a locale as its own new user (once per session: several tests judge
    one run)."""
    done: dict[tuple[str, Scenario], RunResult] = {}

    def run(locale: str, scenario: Scenario) -> RunResult:
        if (locale, scenario) not in done:
            client = VoiceClient.for_locale(http_transport(device_url), locale)
            templates = load_prompts(locale).strings
            done[locale, scenario] = DeviceRun(client, catalogue, templates, locale=locale).run(scenario)
        return done[locale, scenario]

    return run


@pytest.fixture(scope="session")
def run_on_device(run_in_locale: Callable[[str, Scenario], RunResult]) -> Callable[[Scenario], RunResult]:
    """``run_in_locale`` in en-US."""
    return partial(run_in_locale, "en-US")


PUBLISHED_LOCALES = ("en-US", "de-DE")
"""The locales whose tracks the hands-free runs play: en-US and the one with its own words."""
QUICK_RENDER = AudioSpec(mpeg_version=2.5, layer=3, bitrate_kbps=16, sample_rate_hz=8000, channels=1)
"""MPEG-2.5 Layer III, 8 kHz mono: the cheapest MP3 LAME writes, for the device tests only."""


@pytest.fixture(scope="session")
def published_audio(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Path:
    """Every track the hands-free runs play in each of ``PUBLISHED_LOCALES`` (every routine,
    both feet and one foot, the full and the short wording, the closing words for every
    count), rendered once with the offline engine: real MP3s whose manifest gives the device
    model each track's length and where each of its words falls. Encoded as ``QUICK_RENDER``
    rather than the 44.1 kHz stream format: the lengths and layouts are the same to 15 ms
    (measured over all 124 English tracks; both are laid out in whole samples from the same
    speech) and it renders in about a fifth of the time (16 s against 74 s). The stream
    format's own timing is checked in tests/unit/audio."""
    from heel_coach.audio.render import render_tracks
    from heel_coach.audio.tts import EspeakEngine
    from heel_coach.catalogue.model import Focus
    from heel_coach.engine.plan import Foot, build_plan
    from heel_coach.voice.speech import Speaker
    from heel_coach.voice.tracks import tracks_for

    out = tmp_path_factory.mktemp("published")
    engine = EspeakEngine(QUICK_RENDER)
    for locale in PUBLISHED_LOCALES:
        speaker = Speaker(catalogue, load_prompts(locale), locale)
        plans = (build_plan(catalogue.routine(r), Foot(f), Focus.SOLE) for r in ROUTINES for f in FEET)
        render_tracks(tracks_for(speaker, plans), engine, out, locale, spec=QUICK_RENDER, progress=None)
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
def run_hands_free_in(
    hands_free_app: Flask, catalogue: Catalogue, published_audio: Path
) -> Iterator[Callable[[str, Scenario], HandsFreeRun]]:
    """Run a hands-free scenario in a locale as its own new user on an Echo with AudioPlayer,
    over real loopback HTTP to the app publishing the rendered audio (once per session)."""
    from heel_coach.console.figures import clips_from_manifest, scripts_from_manifest

    done: dict[tuple[str, Scenario], HandsFreeRun] = {}
    with serve_on_loopback(hands_free_app) as url:

        def run(locale: str, scenario: Scenario) -> HandsFreeRun:
            if (locale, scenario) not in done:
                client = VoiceClient.for_locale(http_transport(url), locale)
                device_run = DeviceRun(
                    client,
                    catalogue,
                    load_prompts(locale).strings,
                    clips_from_manifest(published_audio, locale),
                    locale,
                    scripts_from_manifest(published_audio, locale),
                )
                done[locale, scenario] = HandsFreeRun(device_run.run(scenario), client.device.user_id)
            return done[locale, scenario]

        yield run


@pytest.fixture(scope="session")
def run_hands_free(
    run_hands_free_in: Callable[[str, Scenario], HandsFreeRun],
) -> Callable[[Scenario], HandsFreeRun]:
    """``run_hands_free_in`` in en-US."""
    return partial(run_hands_free_in, "en-US")
