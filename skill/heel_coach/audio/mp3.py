"""PCM helpers plus MP3 encode/decode/check, so every clip we serve provably matches an AudioSpec.

PCM is always 16-bit signed little-endian, interleaved. Encoding uses LAME (lameenc), decoding
and resampling use miniaudio, header facts come from mutagen plus our own frame walk (mutagen
only reads the first frame, and Alexa wants *constant* 48 kbps).
"""

from __future__ import annotations

import io
import math
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

from heel_coach.audio.spec import AudioSpec
from heel_coach.errors import AudioError

# LAME delays its output by 576 (encoder lookahead) + 529 (MDCT) samples; measured with an
# impulse through lameenc 1.9 + miniaudio: decoded[i + 1105] == input[i].
LAME_DELAY_SAMPLES = 1105
# LAME's flush pads at least ~48 samples before rounding up to a whole frame (measured: a
# guard of 48..96 always yields exactly the frame count we aim for; 40 does not).
_LAME_PAD_GUARD = 64
QUIET_LEVEL = 32  # |sample| at or below this (about -60 dBFS) may be trimmed as silence
_QUALITY = 2  # LAME 0 (best, slow) .. 9 (fast); 2 is LAME's "high quality" preset


@dataclass(frozen=True)
class Pcm:
    """Raw 16-bit audio with the facts needed to interpret it."""

    samples: bytes
    sample_rate: int
    channels: int

    @property
    def frames(self) -> int:
        return len(self.samples) // (2 * self.channels)

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate


@dataclass(frozen=True)
class Mp3Info:
    """What a player sees: header facts of the first frame and the decoded duration."""

    mpeg_version: float
    layer: int
    bitrate_kbps: int
    sample_rate_hz: int
    channels: int
    duration_s: float


def _array(samples: bytes) -> array[int]:
    out = array("h")
    out.frombytes(samples)
    if sys.byteorder == "big":  # pragma: no cover - we only run on little-endian
        out.byteswap()
    return out


def _bytes(values: array[int]) -> bytes:
    if sys.byteorder == "big":  # pragma: no cover
        values = array("h", values)
        values.byteswap()
    return values.tobytes()


def silence_pcm(seconds: float, sample_rate: int, channels: int) -> Pcm:
    """Digital silence; the building block of timed holds."""
    frames = round(seconds * sample_rate)
    return Pcm(bytes(2 * channels * frames), sample_rate, channels)


def tone_pcm(
    freq_hz: float,
    seconds: float,
    *,
    sample_rate: int,
    channels: int,
    amplitude: float = 0.2,
    fade_s: float = 0.01,
) -> Pcm:
    """A soft sine beep with raised-cosine fades (no clicks), used as a count cue."""
    frames = round(seconds * sample_rate)
    fade = max(1, min(round(fade_s * sample_rate), frames // 2))
    peak = amplitude * 32767
    step = 2 * math.pi * freq_hz / sample_rate
    mono = array("h", bytes(2 * frames))
    for i in range(frames):
        edge = min(i, frames - 1 - i)
        gain = 0.5 - 0.5 * math.cos(math.pi * edge / fade) if edge < fade else 1.0
        mono[i] = int(peak * gain * math.sin(step * i))
    if channels == 1:
        return Pcm(_bytes(mono), sample_rate, 1)
    return Pcm(_bytes(array("h", [v for v in mono for _ in range(channels)])), sample_rate, channels)


def concat_pcm(*parts: Pcm) -> Pcm:
    """Join clips end to end; they must share rate and channels (convert first)."""
    if not parts:
        raise AudioError("concat_pcm needs at least one part")
    first = parts[0]
    for p in parts[1:]:
        if (p.sample_rate, p.channels) != (first.sample_rate, first.channels):
            raise AudioError(
                f"cannot concatenate {p.sample_rate} Hz x{p.channels} onto "
                f"{first.sample_rate} Hz x{first.channels}"
            )
    return Pcm(b"".join(p.samples for p in parts), first.sample_rate, first.channels)


def mix_pcm(base: Pcm, overlay: Pcm, *, at_s: float = 0.0) -> Pcm:
    """Add ``overlay`` into ``base`` starting at ``at_s`` (clipped); base keeps its length."""
    if (overlay.sample_rate, overlay.channels) != (base.sample_rate, base.channels):
        raise AudioError("mix_pcm needs matching sample rate and channels")
    out = _array(base.samples)
    over = _array(overlay.samples)
    start = round(at_s * base.sample_rate) * base.channels
    for i in range(max(0, -start), min(len(over), len(out) - start)):
        out[start + i] = max(-32768, min(32767, out[start + i] + over[i]))
    return Pcm(_bytes(out), base.sample_rate, base.channels)


def convert_pcm(pcm: Pcm, *, sample_rate: int, channels: int) -> Pcm:
    """Resample / remix with miniaudio (no numpy, no ffmpeg)."""
    if (pcm.sample_rate, pcm.channels) == (sample_rate, channels):
        return pcm
    import miniaudio

    s16 = miniaudio.SampleFormat.SIGNED16
    out = miniaudio.convert_frames(
        s16, pcm.channels, pcm.sample_rate, pcm.samples, s16, channels, sample_rate
    )
    return Pcm(bytes(out), sample_rate, channels)


def _quiet_frames(samples: bytes, channels: int, limit: int, *, from_end: bool) -> int:
    """How many frames (<= limit) at one end are below QUIET_LEVEL on every channel."""
    width = 2 * channels
    n = min(limit, len(samples) // width)
    edge = samples[len(samples) - n * width :] if from_end else samples[: n * width]
    values = _array(edge)
    order = range(n - 1, -1, -1) if from_end else range(n)
    for count, frame in enumerate(order):
        if max(abs(v) for v in values[frame * channels : (frame + 1) * channels]) > QUIET_LEVEL:
            return count
    return n


def _fit_to_frames(samples: bytes, channels: int, frame_samples: int) -> bytes:
    """Trim/pad input so LAME's output decodes to the input's length, without losing content.

    LAME prepends LAME_DELAY_SAMPLES of delay and pads the end to a whole frame. We pay for the
    delay with quiet input: leading quiet first (content then keeps its time position), then
    trailing quiet. Only when both ends lack ~69 ms of quiet does the clip come out longer.
    """
    width = 2 * channels
    n = len(samples) // width
    lead = _quiet_frames(samples, channels, LAME_DELAY_SAMPLES, from_end=False)
    body = samples[lead * width : n * width]
    frames_out = max(3, round(n / frame_samples))  # LAME always emits >= 3 frames
    keep = frames_out * frame_samples - LAME_DELAY_SAMPLES - _LAME_PAD_GUARD
    excess = len(body) // width - keep
    if excess > 0:
        tail = _quiet_frames(body, channels, excess, from_end=True)
        body = body[: len(body) - tail * width]
        if tail < excess:  # loud to the end: keep it all, round up to whole frames
            need = len(body) // width + LAME_DELAY_SAMPLES + _LAME_PAD_GUARD
            keep = -(-need // frame_samples) * frame_samples - LAME_DELAY_SAMPLES - _LAME_PAD_GUARD
    return body + bytes(keep * width - len(body))


def encode_pcm(samples: bytes, *, sample_rate: int, channels: int, spec: AudioSpec) -> bytes:
    """Encode 16-bit PCM to a CBR MP3 matching ``spec``; decoded length == input length.

    Exact to half a frame (18 ms at 16 kHz) when the input has >= 69 ms of quiet in total at
    its ends (silence does; eSpeak speech does not, so pad it with pauses); content is never
    cut, and with >= 69 ms of leading quiet
    it also keeps its time position. Otherwise the clip comes out up to ~110 ms longer.
    """
    pcm = convert_pcm(
        Pcm(samples, sample_rate, channels),
        sample_rate=spec.sample_rate_hz,
        channels=spec.channels,
    )
    body = _fit_to_frames(pcm.samples, spec.channels, spec.frame_samples)
    try:
        import lameenc

        enc = lameenc.Encoder()
        enc.set_bit_rate(spec.bitrate_kbps)
        enc.set_in_sample_rate(spec.sample_rate_hz)
        enc.set_out_sample_rate(spec.sample_rate_hz)  # else LAME may pick its own rate
        enc.set_channels(spec.channels)
        enc.set_quality(_QUALITY)
        return bytes(enc.encode(body) + enc.flush())
    except Exception as exc:  # lameenc raises bare RuntimeError/ValueError
        raise AudioError(f"MP3 encoding failed for {spec}: {exc}") from exc


def encode(pcm: Pcm, spec: AudioSpec) -> bytes:
    """Convenience form of encode_pcm for a Pcm value."""
    return encode_pcm(pcm.samples, sample_rate=pcm.sample_rate, channels=pcm.channels, spec=spec)


def decode(mp3: bytes, *, sample_rate: int, channels: int) -> Pcm:
    """Decode (and resample) an MP3 to 16-bit PCM at the requested rate/channels."""
    import miniaudio

    try:
        out = miniaudio.decode(
            mp3,
            output_format=miniaudio.SampleFormat.SIGNED16,
            nchannels=channels,
            sample_rate=sample_rate,
        )
    except miniaudio.DecodeError as exc:
        raise AudioError(f"not a decodable MP3 ({len(mp3)} bytes): {exc}") from exc
    return Pcm(_bytes(out.samples), sample_rate, channels)


def inspect(mp3: bytes) -> Mp3Info:
    """Header facts via mutagen, duration by actually decoding (what a player will play)."""
    import miniaudio
    from mutagen import MutagenError
    from mutagen.mp3 import MP3

    try:
        info = MP3(io.BytesIO(mp3)).info
        decoded = miniaudio.mp3_get_info(mp3)
    except (MutagenError, miniaudio.DecodeError) as exc:
        raise AudioError(f"not a readable MP3 ({len(mp3)} bytes): {exc}") from exc
    if info is None:  # pragma: no cover - mutagen raises rather than returning no info
        raise AudioError(f"not a readable MP3 ({len(mp3)} bytes)")
    return Mp3Info(
        mpeg_version=float(info.version),
        layer=int(info.layer),
        bitrate_kbps=round(info.bitrate / 1000),
        sample_rate_hz=int(info.sample_rate),
        channels=int(info.channels),
        duration_s=decoded.num_frames / decoded.sample_rate,
    )


@dataclass(frozen=True)
class _Frame:
    mpeg_version: float
    layer: int
    bitrate_kbps: int
    sample_rate_hz: int
    channels: int
    length: int


_L3_BITRATES = {
    1.0: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2.0: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {1.0: (44100, 48000, 32000), 2.0: (22050, 24000, 16000), 2.5: (11025, 12000, 8000)}
_VERSIONS = {0: 2.5, 2: 2.0, 3: 1.0}


def _parse_header(h: bytes) -> _Frame | None:
    """One MPEG audio Layer III frame header, or None if these 4 bytes are not one."""
    if len(h) < 4 or h[0] != 0xFF or h[1] & 0xE0 != 0xE0:
        return None
    version = _VERSIONS.get((h[1] >> 3) & 3)
    layer = 4 - ((h[1] >> 1) & 3)
    bitrate_index, rate_index = h[2] >> 4, (h[2] >> 2) & 3
    if version is None or layer != 3 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    kbps = _L3_BITRATES[min(version, 2.0)][bitrate_index]
    rate = _RATES[version][rate_index]
    per_frame = 144 if version == 1.0 else 72
    length = per_frame * kbps * 1000 // rate + ((h[2] >> 1) & 1)
    return _Frame(version, 3, kbps, rate, 1 if h[3] >> 6 == 3 else 2, length)


def _frames(mp3: bytes) -> Iterator[_Frame | str]:
    """Walk every frame; yield a problem string (and stop) at the first non-frame bytes."""
    pos = 0
    if mp3[:3] == b"ID3" and len(mp3) >= 10:  # ID3v2: 10-byte header + syncsafe size
        size = mp3[6] << 21 | mp3[7] << 14 | mp3[8] << 7 | mp3[9]
        pos = 10 + size + (10 if mp3[5] & 0x10 else 0)
    while pos < len(mp3):
        if mp3[pos : pos + 3] == b"TAG" and len(mp3) - pos == 128:  # ID3v1 trailer
            return
        frame = _parse_header(mp3[pos : pos + 4])
        if frame is None:
            yield f"bytes at offset {pos} are not an MPEG Layer III frame"
            return
        if pos + frame.length > len(mp3):
            yield f"truncated frame at offset {pos}"
            return
        yield frame
        pos += frame.length


def check(mp3: bytes, spec: AudioSpec) -> list[str]:
    """Every way ``mp3`` breaks ``spec`` (empty list = compliant); never raises for bad input."""
    problems: list[str] = []
    seen: set[tuple[float, int, int, int, int]] = set()
    count = 0
    for item in _frames(mp3):
        if isinstance(item, str):
            problems.append(item)
            break
        count += 1
        seen.add(
            (item.mpeg_version, item.layer, item.bitrate_kbps, item.sample_rate_hz, item.channels)
        )
    if count == 0:
        return problems or ["no MPEG audio frames found"]
    want = (spec.mpeg_version, spec.layer, spec.bitrate_kbps, spec.sample_rate_hz, spec.channels)
    names = ("MPEG version", "layer", "bit rate (kbps)", "sample rate (Hz)", "channels")
    for i, name in enumerate(names):
        found = sorted({s[i] for s in seen})
        if found != [want[i]]:
            problems.append(f"{name} is {', '.join(map(str, found))}, expected {want[i]}")
    return problems
