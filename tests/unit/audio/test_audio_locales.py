"""Offline audio in German: eSpeak NG speaks at the locale's rate (``locales/de/speech.yaml``),
so the exported MP3 of a routine lasts what the skill announces for it, as in English
(``test_audio_render``). A measurement of the one German speech estimate, not a copy of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from heel_coach.audio.mp3 import inspect
from heel_coach.audio.tts import EspeakEngine
from heel_coach.audio_cli.export import export_routine
from heel_coach.catalogue.model import Catalogue, Focus
from heel_coach.engine.plan import Foot, build_plan
from heel_coach.voice.prompts import load_prompts
from heel_coach.voice.speech import Speaker
from heel_coach.voice.tracks import track_voice
from tests.device.budgets import LENGTH_TOLERANCE

LOCALE = "de-DE"


@pytest.fixture(scope="module")
def tracks_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by both feet: the second export renders only the tracks the first did not."""
    return tmp_path_factory.mktemp("tracks")


def test_espeak_speaks_each_locale_at_its_rate(catalogue: Catalogue) -> None:
    engine = EspeakEngine()
    for locale in catalogue.locales:
        assert engine.rate_wpm(locale) == catalogue.speaking_rate[locale].words_per_minute
    assert engine.rate_wpm("de-AT") == catalogue.speaking_rate["de-DE"].words_per_minute


@pytest.mark.slow
@pytest.mark.parametrize("foot", [Foot.BOTH, Foot.LEFT])
def test_the_exported_german_quick_routine_is_as_long_as_announced(
    catalogue: Catalogue, tracks_dir: Path, tmp_path: Path, foot: Foot
) -> None:
    speaker = Speaker(catalogue, load_prompts(LOCALE), LOCALE)
    plan = build_plan(catalogue.routine("quick"), foot, Focus.SOLE)
    target = tmp_path / "kurzprogramm.mp3"
    result = export_routine(
        catalogue, "quick", foot, Focus.SOLE, target, locale=LOCALE, engine=EspeakEngine(), tracks_dir=tracks_dir
    )
    played = inspect(target.read_bytes()).duration_s
    assert played == pytest.approx(result.duration_s, abs=0.1)
    announced = track_voice(speaker).seconds(plan, head=False)  # the start is said in the response
    print(f"quick, {foot.value}, {LOCALE}: MP3 {played / 60:.2f} min, announced {announced / 60:.2f} min")
    assert played == pytest.approx(announced, rel=LENGTH_TOLERANCE)
