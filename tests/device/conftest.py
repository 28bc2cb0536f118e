"""The device conversation tests' Echo: the real app on real SQLite behind real loopback HTTP.

Request timestamps follow the simulated clock (a routine runs for simulated minutes in real
milliseconds), so the app under test does not reject them as stale; signatures are off as in
every conversation test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

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
