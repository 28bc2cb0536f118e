"""Every supported locale completes every routine on the simulated Echo, in its own words.

The person hears each locale's prompts and answers in its language ("weiter", "beide"); the
checks are those of issue 9 that hold today in English: no session times out, no set is done
twice, the routine reaches its end, no turn is over the word budget.
"""

from __future__ import annotations

import pytest

from heel_coach.catalogue.model import Catalogue
from heel_coach.console.client import VoiceClient, http_transport
from heel_coach.console.device_run import DeviceRun, RunResult, Scenario
from heel_coach.voice.prompts import available_locales, load_prompts

ROUTINES = ("full", "morning", "evening-massage", "strength", "quick")
LOCALES = [locale for locale in available_locales() if locale != "en-US"]  # en-US: test_device_routines
TURN_WORDS = 300


@pytest.fixture(scope="module")
def runs(device_url: str, catalogue: Catalogue) -> dict[tuple[str, str], RunResult]:
    out: dict[tuple[str, str], RunResult] = {}
    for locale in LOCALES:
        templates = load_prompts(locale).strings
        for routine in ROUTINES:
            client = VoiceClient.for_locale(http_transport(device_url), locale)
            out[locale, routine] = DeviceRun(client, catalogue, templates, locale=locale).run(
                Scenario(routine)
            )
    return out


@pytest.mark.parametrize("routine", ROUTINES)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_locale_completes_every_routine(
    runs: dict[tuple[str, str], RunResult], locale: str, routine: str
) -> None:
    result = runs[locale, routine]
    assert result.timeouts == 0, f"{locale} {routine}: {result.timeouts} sessions timed out"
    assert result.performed and result.repeats == [], (locale, routine, result.repeats)
    assert result.reached_end, f"{locale} {routine} never reached its end"
    assert max(turn.words for turn in result.turns) <= TURN_WORDS
