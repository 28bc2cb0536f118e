"""Pre-rendered silent MP3s for holds longer than one SSML <break> (``MAX_BREAK_S``).

A hold of N seconds becomes a few ``<audio src=".../silence-<n>s.mp3"/>`` tags. The clip set is
small and fixed so the files can be rendered once (offline, deterministic) and cached by Alexa.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from heel_coach.alexa_limits import MAX_CLIP_AUDIO_S
from heel_coach.audio.files import write_atomic
from heel_coach.audio.mp3 import check, encode, inspect, silence_pcm
from heel_coach.audio.spec import ALEXA_SSML_AUDIO, AudioSpec
from heel_coach.errors import AudioError

SILENCE_CLIP_SECONDS: tuple[int, ...] = (1, 2, 3, 4, 5, 10, 15, 20, 30, 45, 60, 90)
_DURATION_TOLERANCE_S = 0.03


def silence_clip_name(seconds: int) -> str:
    """File name (no spaces: they break Alexa playback) of the n-second clip."""
    return f"silence-{seconds}s.mp3"


@cache
def _min_counts(clips: tuple[int, ...], total: int) -> tuple[int, ...]:
    """best[t] = fewest clips summing to t (coin-change DP); greedy is not always minimal."""
    best: list[float] = [0.0] + [math.inf] * total
    for t in range(1, total + 1):
        best[t] = min((best[t - c] + 1 for c in clips if c <= t), default=math.inf)
    return tuple(int(b) if b != math.inf else -1 for b in best)


def plan_silence(
    seconds: float,
    max_clip_s: int = MAX_CLIP_AUDIO_S,
    clips: Iterable[int] = SILENCE_CLIP_SECONDS,
) -> list[int]:
    """Clip lengths (largest first) summing exactly to ``round(seconds)``, using as few as possible.

    Fewest clips matters: each one is an <audio> tag, and responses may cap the tag count.
    """
    if not math.isfinite(seconds) or seconds < 0:
        raise AudioError(f"cannot plan a silence of {seconds!r} s")
    usable = tuple(sorted({c for c in clips if 0 < c <= max_clip_s}, reverse=True))
    total = round(seconds)
    if total == 0:
        return []
    if not usable:
        raise AudioError(f"no silence clip is <= {max_clip_s} s")
    best = _min_counts(usable, total)
    if best[total] < 0:
        raise AudioError(f"{total} s cannot be made from clips {usable}")
    plan: list[int] = []
    left = total
    while left:
        clip = next(c for c in usable if c <= left and best[left - c] == best[left] - 1)
        plan.append(clip)
        left -= clip
    return plan


def is_valid_clip(path: Path, seconds: float, spec: AudioSpec) -> bool:
    """True when ``path`` is a compliant MP3 that decodes to ``seconds`` (within 30 ms)."""
    try:
        data = path.read_bytes()
        if check(data, spec):
            return False
        return abs(inspect(data).duration_s - seconds) <= _DURATION_TOLERANCE_S
    except (OSError, AudioError):
        return False


def render_silence_clip(seconds: int, spec: AudioSpec = ALEXA_SSML_AUDIO) -> bytes:
    """Encoded bytes of one silent clip (deterministic for a given spec)."""
    return encode(silence_pcm(seconds, spec.sample_rate_hz, spec.channels), spec)


def render_silence_clips(
    out_dir: Path,
    spec: AudioSpec = ALEXA_SSML_AUDIO,
    seconds: Iterable[int] = SILENCE_CLIP_SECONDS,
) -> dict[int, Path]:
    """Ensure ``silence-<n>s.mp3`` exists and is valid for each n; existing good files are kept."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[int, Path] = {}
    for n in sorted(set(seconds)):
        path = out_dir / silence_clip_name(n)
        if not is_valid_clip(path, n, spec):
            data = render_silence_clip(n, spec)
            problems = check(data, spec)
            if problems:
                raise AudioError(f"rendered {path.name} is not compliant: {'; '.join(problems)}")
            write_atomic(path, data)
        written[n] = path
    return written
