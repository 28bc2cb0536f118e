"""Every supported locale completes every routine on the simulated Echo, in its own words,
within the same budgets as en-US (``tests/device/budgets.py``).

The person hears each locale's prompts and answers in its language ("weiter", "beide").
German has its own words, so it runs every routine with both feet and one foot, as a new and
a returning user, exactly like en-US in ``test_device_routines``; the English regions share
en-US's words (only spelling and formats differ), so each runs every routine once. Words are
counted in the locale's language; seconds come from the locale's speaking rate.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from heel_coach.catalogue.model import Catalogue
from heel_coach.console.client import VoiceClient, http_transport
from heel_coach.console.device_run import DeviceRun, RunResult, Scenario
from heel_coach.voice.prompts import available_locales, load_prompts
from tests.device.budgets import (
    LENGTH_TOLERANCE,
    NEW_USER_WORDS,
    RETURNING_USER_WORDS,
    ROUTINES,
    SCENARIOS,
    TURN_WORDS,
)

OWN_WORDS = [locale for locale in available_locales() if not locale.startswith("en-")]
ENGLISH_REGIONS = [locale for locale in available_locales() if locale.startswith("en-") and locale != "en-US"]
CASES = [(locale, s) for locale in OWN_WORDS for s in SCENARIOS] + [
    (locale, Scenario(r)) for locale in ENGLISH_REGIONS for r in ROUTINES
]
PARAMS = [pytest.param(locale, s, id=f"{locale}/{s.label}") for locale, s in CASES]

Run = Callable[[str, Scenario], RunResult]


@pytest.fixture(scope="module")
def run_in(device_url: str, catalogue: Catalogue) -> Run:
    """Run a scenario in a locale as its own new user (once per module: several tests judge it)."""
    done: dict[tuple[str, Scenario], RunResult] = {}

    def run(locale: str, scenario: Scenario) -> RunResult:
        if (locale, scenario) not in done:
            client = VoiceClient.for_locale(http_transport(device_url), locale)
            templates = load_prompts(locale).strings
            done[locale, scenario] = DeviceRun(client, catalogue, templates, locale=locale).run(scenario)
        return done[locale, scenario]

    return run


def test_german_runs_the_same_scenarios_as_english() -> None:
    assert "de-DE" in OWN_WORDS
    assert {s.label for locale, s in CASES if locale == "de-DE"} == {s.label for s in SCENARIOS}


@pytest.mark.parametrize(("locale", "scenario"), PARAMS)
def test_no_session_times_out(run_in: Run, locale: str, scenario: Scenario) -> None:
    assert run_in(locale, scenario).timeouts == 0


@pytest.mark.parametrize(("locale", "scenario"), PARAMS)
def test_no_set_is_done_twice(run_in: Run, locale: str, scenario: Scenario) -> None:
    result = run_in(locale, scenario)
    assert result.performed, "the person did no set at all"
    assert result.repeats == []


@pytest.mark.parametrize(("locale", "scenario"), PARAMS)
def test_the_routine_reaches_its_end(run_in: Run, locale: str, scenario: Scenario) -> None:
    assert run_in(locale, scenario).reached_end


@pytest.mark.parametrize(("locale", "scenario"), PARAMS)
def test_words_before_the_first_movement(run_in: Run, locale: str, scenario: Scenario) -> None:
    result = run_in(locale, scenario)
    budget = RETURNING_USER_WORDS if scenario.returning else NEW_USER_WORDS
    assert result.words_before_first_move is not None, "no set ever started"
    assert result.words_before_first_move <= budget


@pytest.mark.parametrize(("locale", "scenario"), PARAMS)
def test_no_turn_is_over_300_words(run_in: Run, locale: str, scenario: Scenario) -> None:
    longest = run_in(locale, scenario).longest_words
    assert longest.words <= TURN_WORDS, longest.text[:200]


@pytest.mark.parametrize(("locale", "scenario"), PARAMS)
def test_the_announced_length_is_within_10_percent(run_in: Run, locale: str, scenario: Scenario) -> None:
    result = run_in(locale, scenario)
    assert result.announced_s, "the routine's length was never announced (or not understood)"
    assert result.simulated_s is not None, "the routine never ended"
    assert result.simulated_s == pytest.approx(result.announced_s, rel=LENGTH_TOLERANCE)
