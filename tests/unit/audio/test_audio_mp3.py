"""Encode/decode/check against real LAME output decoded by miniaudio."""

from __future__ import annotations

import pytest

from heel_coach.audio.mp3 import (
    Pcm,
    check,
    concat_pcm,
    decode,
    encode,
    encode_pcm,
    inspect,
    mix_pcm,
    silence_pcm,
    tone_pcm,
)
from heel_coach.audio.spec import ALEXA_SSML_AUDIO, AudioSpec
from heel_coach.errors import AudioError

SPEC = ALEXA_SSML_AUDIO
RATE, CH = SPEC.sample_rate_hz, SPEC.channels
CD_SPEC = AudioSpec(mpeg_version=1, layer=3, bitrate_kbps=128, sample_rate_hz=44100, channels=2)


def _peak(pcm: Pcm, start_s: float = 0.0, end_s: float | None = None) -> int:
    from array import array

    values = array("h")
    values.frombytes(pcm.samples)
    a = round(start_s * pcm.sample_rate) * pcm.channels
    b = len(values) if end_s is None else round(end_s * pcm.sample_rate) * pcm.channels
    return max((abs(v) for v in values[a:b]), default=0)


@pytest.mark.parametrize("seconds", [0.3, 1.0, 2.5, 7.77, 10.0, 33.3])
def test_encoded_clip_decodes_to_requested_length(seconds: float) -> None:
    mp3 = encode(silence_pcm(seconds, RATE, CH), SPEC)
    info = inspect(mp3)
    assert abs(info.duration_s - seconds) <= 0.030
    assert check(mp3, SPEC) == []


def test_alexa_spec_facts_are_what_a_player_sees() -> None:
    info = inspect(encode(silence_pcm(1.0, RATE, CH), SPEC))
    assert (info.mpeg_version, info.layer, info.bitrate_kbps) == (2.0, 3, 48)
    assert (info.sample_rate_hz, info.channels) == (16000, 2)


def test_content_keeps_its_time_position_through_the_encoder() -> None:
    beep = tone_pcm(1000.0, 0.2, sample_rate=RATE, channels=CH, amplitude=0.5)
    clip = mix_pcm(silence_pcm(2.0, RATE, CH), beep, at_s=1.0)
    back = decode(encode(clip, SPEC), sample_rate=RATE, channels=CH)
    assert _peak(back, 0.0, 0.95) < 300  # quiet before the beep (codec pre-echo is small)
    assert _peak(back, 1.02, 1.18) > 8000
    assert _peak(back, 1.25, 2.0) < 300


def test_input_at_another_rate_and_channel_count_is_resampled() -> None:
    quiet = silence_pcm(0.1, 22050, 1)
    mono_22k = concat_pcm(quiet, tone_pcm(440.0, 2.8, sample_rate=22050, channels=1), quiet)
    mp3 = encode_pcm(mono_22k.samples, sample_rate=22050, channels=1, spec=SPEC)
    assert check(mp3, SPEC) == []
    assert abs(inspect(mp3).duration_s - 3.0) <= 0.030
    assert _peak(decode(mp3, sample_rate=RATE, channels=CH), 0.5, 2.5) > 3000


def test_sound_from_the_first_sample_is_never_cut() -> None:
    loud = tone_pcm(500.0, 1.0, sample_rate=RATE, channels=CH, fade_s=0.001)
    back = decode(encode(loud, SPEC), sample_rate=RATE, channels=CH)
    assert 1.0 <= back.duration_s <= 1.11  # no quiet to absorb the encoder delay: longer
    assert _peak(back, 0.07, 0.09) > 3000  # the onset survives (shifted by the 69 ms delay)
    assert _peak(back, 1.05, 1.07) > 3000  # and so does the end


def test_short_lead_in_is_used_before_trailing_quiet() -> None:
    lead = silence_pcm(0.013, RATE, CH)  # eSpeak-like: speech starts after ~13 ms
    clip = concat_pcm(lead, tone_pcm(500.0, 0.8, sample_rate=RATE, channels=CH),
                      silence_pcm(0.2, RATE, CH))  # fmt: skip
    back = decode(encode(clip, SPEC), sample_rate=RATE, channels=CH)
    assert abs(back.duration_s - clip.duration_s) <= 0.030
    assert _peak(back, 0.07, 0.09) > 3000 and _peak(back, 0.85, 0.86) > 3000


def test_checker_rejects_mpeg1_44k_128kbps() -> None:
    mp3 = encode(silence_pcm(1.0, 44100, 2), CD_SPEC)
    assert check(mp3, CD_SPEC) == []  # a valid file, just the wrong format for Alexa
    problems = check(mp3, SPEC)
    assert any("MPEG version is 1.0" in p for p in problems)
    assert any("bit rate (kbps) is 128" in p for p in problems)
    assert any("sample rate (Hz) is 44100" in p for p in problems)
    info = inspect(mp3)
    assert (info.mpeg_version, info.bitrate_kbps, info.sample_rate_hz) == (1.0, 128, 44100)
    assert abs(info.duration_s - 1.0) <= 0.030


def test_checker_rejects_mono_and_mixed_bitrates() -> None:
    mono = encode(silence_pcm(1.0, RATE, 1), AudioSpec(2, 3, 48, RATE, 1))
    assert check(mono, SPEC) == ["channels is 1, expected 2"]
    other = encode(silence_pcm(1.0, RATE, CH), AudioSpec(2, 3, 32, RATE, CH))
    mixed = encode(silence_pcm(1.0, RATE, CH), SPEC) + other
    assert check(mixed, SPEC) == ["bit rate (kbps) is 32, 48, expected 48"]


def test_checker_reports_junk_truncation_and_accepts_id3() -> None:
    good = encode(silence_pcm(1.0, RATE, CH), SPEC)
    assert check(b"", SPEC) == ["no MPEG audio frames found"]
    assert check(b"<html>nope</html>", SPEC)[0].startswith("bytes at offset 0")
    assert check(good[:-10], SPEC)[-1].startswith("truncated frame")
    assert check(good + b"trailing junk", SPEC)[0].startswith(f"bytes at offset {len(good)}")
    id3v2 = b"ID3\x04\x00\x00\x00\x00\x00\x05" + b"\x00" * 5
    id3v1 = b"TAG" + b"\x00" * 125
    assert check(id3v2 + good + id3v1, SPEC) == []


def test_decode_and_inspect_raise_audio_error_on_non_mp3() -> None:
    with pytest.raises(AudioError):
        decode(b"definitely not audio" * 10, sample_rate=RATE, channels=CH)
    with pytest.raises(AudioError):
        inspect(b"definitely not audio" * 10)


def test_pcm_helpers() -> None:
    one = silence_pcm(0.5, RATE, CH)
    assert one.frames == 8000 and one.duration_s == 0.5
    joined = concat_pcm(one, tone_pcm(880.0, 0.25, sample_rate=RATE, channels=CH))
    assert joined.frames == 12000
    assert _peak(joined, 0.0, 0.5) == 0 and _peak(joined, 0.55, 0.7) > 5000
    beep = tone_pcm(880.0, 0.1, sample_rate=RATE, channels=CH, amplitude=0.9)
    loud = mix_pcm(mix_pcm(one, beep, at_s=0.45), beep, at_s=0.45)  # clipped, not wrapped
    assert loud.frames == one.frames
    assert _peak(loud) >= 32767
    with pytest.raises(AudioError):
        concat_pcm(one, silence_pcm(0.5, 22050, 1))
    with pytest.raises(AudioError):
        concat_pcm()
