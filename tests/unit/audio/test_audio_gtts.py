"""GTTSEngine end to end: the real gtts HTTP code -> HTTPS_PROXY -> TLS -> fake batchexecute."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from heel_coach.audio.spec import ALEXA_STREAM_AUDIO as STREAM
from heel_coach.audio.mp3 import check, inspect
from heel_coach.audio.spec import ALEXA_SSML_AUDIO
from heel_coach.audio.tts import EspeakEngine, GTTSEngine, choose_engine
from heel_coach.errors import SpeechEngineError
from tests.fakes.gtts_server import (
    BATCHEXECUTE_PATH,
    GOOGLE_LIKE_SPEC,
    SECONDS_PER_CHAR,
    FakeGTTS,
    Mode,
)
from tests.fakes.intercepting_proxy import CLEAR_ENV, InterceptingProxy
from tests.fakes.pki import TestPKI

TEXT = "Hold the stretch for thirty seconds."


@pytest.fixture(scope="module")
def pki() -> TestPKI:
    return TestPKI("gTTS fake")


@pytest.fixture
def proxy(pki: TestPKI) -> Iterator[InterceptingProxy]:
    with InterceptingProxy(pki) as p:
        yield p


@pytest.fixture
def fake(
    proxy: InterceptingProxy, pki: TestPKI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> FakeGTTS:
    fake = FakeGTTS(wait=proxy.wait)
    for tld in ("com", "co.uk", "ca", "com.au", "co.in", "de"):
        proxy.route(f"translate.google.{tld}", fake)
    bundle = pki.write_ca_bundle(tmp_path / "ca.pem")
    for name in CLEAR_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in proxy.client_env(bundle).items():
        monkeypatch.setenv(name, value)
    return fake


def test_synthesize_goes_through_the_proxy_and_decodes(
    fake: FakeGTTS, proxy: InterceptingProxy
) -> None:
    pcm = GTTSEngine(timeout_s=10).synthesize(TEXT, locale="en-US")
    assert (pcm.sample_rate, pcm.channels) == (STREAM.sample_rate_hz, STREAM.channels)
    expected = 0.1 + len(TEXT) * SECONDS_PER_CHAR  # the fake's lead-in + tone
    assert abs(pcm.duration_s - expected) <= 0.05
    assert [(c.host, c.text, c.lang) for c in fake.calls] == [
        ("translate.google.com", TEXT, "en")
    ]
    assert proxy.count(BATCHEXECUTE_PATH, host="translate.google.com") == 1
    assert all(r.tls for r in proxy.requests)


@pytest.mark.parametrize(
    ("locale", "host", "lang"),
    [
        ("en-US", "translate.google.com", "en"),
        ("en-GB", "translate.google.co.uk", "en"),
        ("en-CA", "translate.google.ca", "en"),
        ("en-AU", "translate.google.com.au", "en"),
        ("en-IN", "translate.google.co.in", "en"),
        ("de-DE", "translate.google.de", "de"),
    ],
)
def test_each_supported_locale_is_rendered_with_its_own_accent(
    fake: FakeGTTS, locale: str, host: str, lang: str
) -> None:
    GTTSEngine().synthesize("Switch feet.", locale=locale)
    assert [(c.host, c.lang) for c in fake.calls] == [(host, lang)]


def test_long_text_is_split_by_gtts_and_parts_are_joined(fake: FakeGTTS) -> None:
    text = " ".join(["Breathe in slowly, and let your calf relax as you lean forward."] * 4)
    pcm = GTTSEngine().synthesize(text, locale="en-US")
    assert len(fake.calls) > 1
    expected = sum(0.1 + len(c.text) * SECONDS_PER_CHAR for c in fake.calls)
    assert abs(pcm.duration_s - expected) <= 0.05 * len(fake.calls)


def test_raw_gtts_mp3_is_not_alexa_ready(fake: FakeGTTS) -> None:
    mp3 = GTTSEngine().fetch_mp3(TEXT, locale="en-US")
    assert check(mp3, GOOGLE_LIKE_SPEC) == []
    assert check(mp3, ALEXA_SSML_AUDIO) != []  # callers must re-encode the PCM
    assert inspect(mp3).sample_rate_hz == 24000


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("http500", "500"),
        ("drop", "Failed to connect"),
        ("not_http", "Failed to connect"),
        ("garbage", "no audio"),
        ("no_audio", "No audio stream|Unknown"),
        ("bad_audio", "undecodable"),
    ],
)
def test_failures_become_speech_engine_errors(fake: FakeGTTS, mode: Mode, message: str) -> None:
    fake.mode = mode
    with pytest.raises(SpeechEngineError, match=message):
        GTTSEngine(timeout_s=5).synthesize(TEXT, locale="en-US")


def test_timeout_becomes_speech_engine_error(fake: FakeGTTS) -> None:
    fake.mode = "timeout"
    with pytest.raises(SpeechEngineError, match="Timeout"):
        GTTSEngine(timeout_s=0.3).synthesize(TEXT, locale="en-US")


def test_probe_and_auto_choice_follow_reachability(fake: FakeGTTS) -> None:
    engine, message = choose_engine("auto", GTTSEngine(timeout_s=5).probe)
    assert isinstance(engine, GTTSEngine), message
    fake.mode = "http500"
    engine, message = choose_engine("auto", GTTSEngine(timeout_s=5).probe)
    assert isinstance(engine, EspeakEngine) and "unreachable" in message


def test_gtts_does_not_verify_the_tls_peer(
    fake: FakeGTTS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Characterisation: gTTS 2.5.4 passes verify=False, so an untrusted CA still works.

    If this starts failing, gTTS began honouring REQUESTS_CA_BUNDLE: good news, update docs.
    """
    stranger = TestPKI("Unrelated CA").write_ca_bundle(tmp_path / "other-ca.pem")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(stranger))
    assert GTTSEngine().synthesize("Rest.", locale="en-US").frames > 0
