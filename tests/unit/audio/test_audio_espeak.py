"""The offline engine (bundled libespeak-ng via ctypes) and engine selection."""

from __future__ import annotations

from array import array
from concurrent.futures import ThreadPoolExecutor

import pytest

from heel_coach.audio.spec import ALEXA_STREAM_AUDIO as STREAM
from heel_coach.audio import tts
from heel_coach.audio.mp3 import Pcm, check, concat_pcm, encode, inspect, silence_pcm
from heel_coach.audio.spec import ALEXA_SSML_AUDIO
from heel_coach.audio.tts import EspeakEngine, GTTSEngine, choose_engine
from heel_coach.errors import SpeechEngineError

SENTENCE = "Stand facing a wall and press your heel down. Hold for thirty seconds."


def _rms(pcm: Pcm) -> float:
    values = array("h")
    values.frombytes(pcm.samples)
    return (sum(v * v for v in values) / max(1, len(values))) ** 0.5


def test_espeak_speaks_a_sentence_at_the_spec_rate() -> None:
    pcm = EspeakEngine().synthesize(SENTENCE, locale="en-US")
    assert (pcm.sample_rate, pcm.channels) == (STREAM.sample_rate_hz, STREAM.channels)
    assert 2.0 < pcm.duration_s < 10.0  # 13 words at ~160 wpm is about 5 s
    assert _rms(pcm) > 500


def test_espeak_output_becomes_a_compliant_track() -> None:
    pcm = EspeakEngine().synthesize("Switch feet.", locale="en-GB")  # voice "en" fallback
    rate, ch = pcm.sample_rate, pcm.channels
    track = concat_pcm(pcm, silence_pcm(0.1, rate, ch))  # a pause, as between prompts
    mp3 = encode(track, ALEXA_SSML_AUDIO)
    assert check(mp3, ALEXA_SSML_AUDIO) == []
    assert abs(inspect(mp3).duration_s - track.duration_s) <= 0.030


def test_espeak_is_serialised_across_threads() -> None:
    engine = EspeakEngine()
    texts = ["One.", "Two, three.", "Four five six."] * 3
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda t: engine.synthesize(t, locale="en-US"), texts))
    alone = {t: engine.synthesize(t, locale="en-US").duration_s for t in set(texts)}
    # eSpeak varies by a few samples between runs, so compare lengths, not bytes: interleaved
    # calls without the lock would mix buffers and get lengths badly wrong (or crash).
    for result, text in zip(results, texts, strict=True):
        assert abs(result.duration_s - alone[text]) < 0.05 * alone[text]
        assert _rms(result) > 500


def test_espeak_rejects_empty_text_and_unknown_locale() -> None:
    with pytest.raises(SpeechEngineError, match="empty"):
        EspeakEngine().synthesize("  ", locale="en-US")
    with pytest.raises(SpeechEngineError, match="no voice"):
        EspeakEngine().synthesize("Hello", locale="xx-YY")


def test_missing_library_is_a_speech_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import espeakng_loader

    monkeypatch.setattr(tts, "_espeak", None)
    monkeypatch.setattr(espeakng_loader, "get_library_path", lambda: "/nonexistent/libespeak.so")
    assert EspeakEngine().available() is False
    with pytest.raises(SpeechEngineError, match="unavailable"):
        EspeakEngine().synthesize("Hello", locale="en-US")


def test_choose_engine_auto_uses_gtts_when_probe_succeeds() -> None:
    engine, message = choose_engine("auto", lambda: True)
    assert isinstance(engine, GTTSEngine) and "gTTS" in message and "reachable" in message


@pytest.mark.parametrize("probe_result", [False, "raise"])
def test_choose_engine_auto_falls_back_to_espeak(probe_result: object) -> None:
    def probe() -> bool:
        if probe_result == "raise":
            raise RuntimeError("dns broke")
        return False

    engine, message = choose_engine("auto", probe)
    assert isinstance(engine, EspeakEngine)
    assert "eSpeak" in message and "gTTS" in message
    assert ("dns broke" if probe_result == "raise" else "unreachable") in message


def test_choose_engine_explicit_and_invalid(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(choose_engine("gtts", lambda: False)[0], GTTSEngine)
    assert isinstance(choose_engine("espeak", lambda: True)[0], EspeakEngine)
    with pytest.raises(SpeechEngineError, match="unknown"):
        choose_engine("festival", lambda: True)  # type: ignore[arg-type]
    monkeypatch.setattr(EspeakEngine, "available", lambda self: False)
    with pytest.raises(SpeechEngineError, match="no speech engine"):
        choose_engine("auto", lambda: False)


@pytest.mark.parametrize(
    ("locale", "voices", "text"),
    [
        ("en-US", ["en-us", "en"], "Hold for thirty seconds."),
        ("en-GB", ["en-gb", "en"], "Hold for thirty seconds."),
        ("en-IN", ["en-in", "en"], "Hold for thirty seconds."),
        ("de-DE", ["de-de", "de"], "Halte dreißig Sekunden."),
    ],
)
def test_every_supported_language_has_an_offline_voice(locale: str, voices: list[str], text: str) -> None:
    assert tts.espeak_voice_names(locale) == voices
    pcm = EspeakEngine().synthesize(text, locale=locale)
    assert 0.5 < pcm.duration_s < 5.0 and _rms(pcm) > 500
