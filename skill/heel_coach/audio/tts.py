"""Text-to-speech engines that return PCM at the target spec, so callers can assemble tracks.

gTTS (Google Translate's voice, online) sounds better; eSpeak NG (bundled by espeakng-loader,
offline) always works. ``choose_engine`` picks one and says why, so a build log explains the voice.
"""

from __future__ import annotations

import ctypes
import io
import threading
from collections.abc import Callable, Mapping
from typing import Any, Literal, Protocol

from heel_coach.audio.mp3 import Pcm, convert_pcm, decode
from heel_coach.audio.spec import ALEXA_STREAM_AUDIO, AudioSpec
from heel_coach.catalogue.loader import load_speaking_rates
from heel_coach.catalogue.model import SpeakingRate
from heel_coach.errors import AudioError, SpeechEngineError
from heel_coach.locales import choose

EnginePreference = Literal["auto", "gtts", "espeak"]


class SpeechEngine(Protocol):
    """Turns text into 16-bit PCM at the engine's spec rate and channel count."""

    name: str

    def synthesize(self, text: str, *, locale: str) -> Pcm: ...


# Alexa locale -> (gTTS lang, Google Translate tld); the tld selects the regional accent.
_GTTS_LOCALES: dict[str, tuple[str, str]] = {
    "en-US": ("en", "com"),
    "en-GB": ("en", "co.uk"),
    "en-AU": ("en", "com.au"),
    "en-CA": ("en", "ca"),
    "en-IN": ("en", "co.in"),
    "de-DE": ("de", "de"),
    "es-ES": ("es", "es"),
    "es-MX": ("es", "com.mx"),
    "es-US": ("es", "com"),
    "fr-FR": ("fr", "fr"),
    "fr-CA": ("fr", "ca"),
    "it-IT": ("it", "it"),
    "ja-JP": ("ja", "co.jp"),
    "pt-BR": ("pt", "com.br"),
    "hi-IN": ("hi", "co.in"),
}


def gtts_lang_tld(locale: str) -> tuple[str, str]:
    """gTTS (lang, tld) for an Alexa locale; unknown regions fall back to the language on .com."""
    return _GTTS_LOCALES.get(locale, (locale.split("-")[0].lower(), "com"))


class GTTSEngine:
    """Google Translate TTS through the gtts library's own HTTP code path.

    Note: gTTS 2.5.4 sends with ``verify=False`` and ``proxies=urllib.request.getproxies()``:
    HTTPS_PROXY is honoured, REQUESTS_CA_BUNDLE and NO_PROXY are not, and the TLS peer is not
    verified. Fine for public prompt text; do not send anything private through it.
    """

    name = "gtts"

    def __init__(self, timeout_s: float = 10.0, spec: AudioSpec = ALEXA_STREAM_AUDIO) -> None:
        self.timeout_s = timeout_s
        self.spec = spec

    def fetch_mp3(self, text: str, *, locale: str) -> bytes:
        """The raw MP3 gTTS returns (reportedly 24 kHz mono ~32 kbps: not Alexa-ready)."""
        if not text.strip():
            raise SpeechEngineError("gTTS: nothing to say (empty text)")
        import requests
        from gtts import gTTS
        from gtts.tts import gTTSError

        lang, tld = gtts_lang_tld(locale)
        buf = io.BytesIO()
        try:
            gTTS(text, lang=lang, tld=tld, timeout=self.timeout_s).write_to_fp(buf)
        except gTTSError as exc:
            cause = f" ({exc.__context__!r})" if exc.__context__ else ""
            raise SpeechEngineError(f"gTTS failed for {locale} via {tld}: {exc}{cause}") from exc
        except (requests.RequestException, ValueError) as exc:  # ValueError: bad lang, base64
            raise SpeechEngineError(f"gTTS failed for {locale} via {tld}: {exc!r}") from exc
        if not buf.getvalue():
            raise SpeechEngineError(f"gTTS returned no audio for {locale} via {tld}")
        return buf.getvalue()

    def synthesize(self, text: str, *, locale: str) -> Pcm:
        mp3 = self.fetch_mp3(text, locale=locale)
        try:
            return decode(mp3, sample_rate=self.spec.sample_rate_hz, channels=self.spec.channels)
        except AudioError as exc:
            raise SpeechEngineError(f"gTTS returned undecodable audio: {exc}") from exc

    def probe(self) -> bool:
        """Can gTTS synthesize right now? (a one-word request through the real path)"""
        try:
            self.fetch_mp3("ok", locale="en-US")
        except SpeechEngineError:
            return False
        return True


# --- eSpeak NG through ctypes -------------------------------------------------------------

_AUDIO_OUTPUT_SYNCHRONOUS = 2  # espeak_AUDIO_OUTPUT: deliver samples to the callback, block
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_EE_OK = 0
_ESPEAK_RATE = 1  # espeak_PARAMETER espeakRATE (words per minute)
_SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)

_espeak_lock = threading.Lock()  # libespeak-ng keeps global state: one synthesis at a time


class _Espeak:
    """The loaded library plus the buffer its callback fills (one per process)."""

    def __init__(self) -> None:
        import espeakng_loader

        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_SYNTH_CALLBACK]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        lib.espeak_Synth.restype = ctypes.c_int
        data = espeakng_loader.get_data_path().encode()
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data, 0)
        if rate <= 0:
            raise SpeechEngineError(f"espeak_Initialize failed ({rate}) with data at {data!r}")
        self.lib = lib
        self.sample_rate = rate
        self.chunks: list[bytes] = []
        self._callback = _SYNTH_CALLBACK(self._collect)  # keep a reference: C holds a pointer
        lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav: Any, count: int, _events: Any) -> int:
        if wav and count > 0:
            self.chunks.append(ctypes.string_at(wav, count * 2))
        return 0  # 0 = continue synthesis


_espeak: _Espeak | None = None


def _load_espeak() -> _Espeak:
    """Load once; any failure becomes SpeechEngineError (caller holds _espeak_lock)."""
    global _espeak
    if _espeak is None:
        try:
            _espeak = _Espeak()
        except (ImportError, OSError, AttributeError, RuntimeError) as exc:
            raise SpeechEngineError(f"eSpeak NG library unavailable: {exc}") from exc
    return _espeak


def espeak_voice_names(locale: str) -> list[str]:
    """Voice names to try: espeak knows "en-us" but calls British English plain "en"."""
    lang = locale.split("-")[0].lower()
    return [locale.lower(), lang] if locale.lower() != lang else [lang]


class EspeakEngine:
    """Offline, robotic but always available; PCM comes out at 22050 Hz and is resampled."""

    name = "espeak"

    def __init__(
        self, spec: AudioSpec = ALEXA_STREAM_AUDIO, rates: Mapping[str, SpeakingRate] | None = None
    ) -> None:
        """``rates``: each locale's speaking rate (default: the packaged content's), the rate
        every announced length there assumes (``engine.speech_time``), so an offline render
        is as long as the skill says. eSpeak NG's rate parameter is in words a minute; measured
        on the routines' speech, its voices keep within 10% of our estimate at our rates
        (``speech.yaml`` of each language)."""
        self.spec = spec
        self._rates = rates

    def rate_wpm(self, locale: str) -> int:
        """eSpeak's rate for ``locale``: the locale's speaking rate, or its language's."""
        if self._rates is None:
            self._rates = load_speaking_rates()
        return self._rates[choose(locale, list(self._rates))].words_per_minute

    def available(self) -> bool:
        """Whether the bundled library loads (it is a compiled .so, so it can be missing)."""
        with _espeak_lock:
            try:
                _load_espeak()
            except SpeechEngineError:
                return False
        return True

    def synthesize(self, text: str, *, locale: str) -> Pcm:
        if not text.strip():
            raise SpeechEngineError("eSpeak: nothing to say (empty text)")
        raw = text.encode("utf-8")
        with _espeak_lock:
            es = _load_espeak()
            if not any(es.lib.espeak_SetVoiceByName(v.encode()) == _EE_OK
                       for v in espeak_voice_names(locale)):  # fmt: skip
                raise SpeechEngineError(f"eSpeak has no voice for locale {locale}")
            es.lib.espeak_SetParameter(_ESPEAK_RATE, self.rate_wpm(locale), 0)
            es.chunks.clear()
            rc = es.lib.espeak_Synth(raw, len(raw) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8,
                                     None, None)  # fmt: skip
            samples = b"".join(es.chunks)
            es.chunks.clear()
            rate = es.sample_rate
        if rc != _EE_OK or not samples:
            raise SpeechEngineError(f"eSpeak synthesis failed (code {rc}) for {text[:40]!r}")
        pcm = Pcm(samples, rate, 1)
        return convert_pcm(pcm, sample_rate=self.spec.sample_rate_hz, channels=self.spec.channels)


def choose_engine(
    preference: EnginePreference,
    probe: Callable[[], bool] | None = None,
    *,
    spec: AudioSpec = ALEXA_STREAM_AUDIO,
    timeout_s: float = 10.0,
) -> tuple[SpeechEngine, str]:
    """Pick an engine and explain the choice; "auto" prefers gTTS only if ``probe`` succeeds.

    The default probe is a one-word gTTS request with a 3 s timeout.
    """
    gtts = GTTSEngine(timeout_s=timeout_s, spec=spec)
    espeak = EspeakEngine(spec=spec)
    if preference == "gtts":
        return gtts, "Using gTTS (requested explicitly; no fallback)."
    if preference == "espeak":
        return espeak, "Using eSpeak NG (requested explicitly; offline)."
    if preference != "auto":
        raise SpeechEngineError(f"unknown speech engine {preference!r}: use auto, gtts or espeak")
    check = probe or GTTSEngine(timeout_s=3.0, spec=spec).probe
    try:
        reachable = check()
    except Exception as exc:  # a broken probe must not stop the build: fall back instead
        reachable, why = False, f"probe raised {exc!r}"
    else:
        why = "probe failed: Google Translate TTS is unreachable (offline or proxy/firewall)"
    if reachable:
        return gtts, "Using gTTS (auto: Google Translate TTS is reachable)."
    if not espeak.available():
        raise SpeechEngineError(f"no speech engine: gTTS {why}; eSpeak NG library did not load")
    return espeak, f"Using eSpeak NG (auto: gTTS {why}); speech will sound robotic."
