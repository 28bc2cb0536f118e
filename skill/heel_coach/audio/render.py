"""Render continuous-mode tracks: synthesize each phrase once, assemble timed tracks, encode.

Incremental (a track whose file is already listed in the manifest is not touched, and no
phrase is synthesized for it), parallel with a bound, retried on transient engine failures,
and atomic: every file is written to a temp name and renamed, and the manifest is written
last, so a failing engine leaves the previous audio and manifest exactly as they were.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from array import array
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

from heel_coach.audio.files import write_atomic
from heel_coach.audio.manifest import Manifest, TrackEntry, load_manifest, save_manifest
from heel_coach.audio.mp3 import Pcm, encode
from heel_coach.audio.silence import render_silence_clips
from heel_coach.audio.spec import ALEXA_SSML_AUDIO, ALEXA_STREAM_AUDIO, AudioSpec
from heel_coach.audio.tracks import TrackPlan, file_hash
from heel_coach.audio.tts import SpeechEngine
from heel_coach.errors import AudioError, SpeechEngineError

TRIM_THRESHOLD = 120
"""|sample| above this counts as sound when trimming the engine's leading/trailing silence."""
_BLOCK_S = 0.005  # trimming works on 5 ms blocks so it stays fast in pure Python


@dataclass
class RenderReport:
    locale: str
    engine: str
    tracks: int = 0
    rendered: int = 0
    reused: int = 0
    phrases: int = 0
    synth_calls: int = 0
    retries: int = 0
    bytes_written: int = 0
    audio_s: float = 0.0
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"{self.locale}: {self.tracks} tracks ({self.rendered} rendered, {self.reused} unchanged), "
            f"{self.synth_calls} phrases synthesized with {self.engine}, {self.retries} retries, "
            f"{self.bytes_written / 1e6:.1f} MB written, {self.audio_s / 60:.1f} min of audio, "
            f"{self.seconds:.1f} s"
        )


class ProgressBar:
    """A plain text bar on stderr (no tqdm): ``label [#####.....] 12/40``."""

    def __init__(self, label: str, total: int, out: TextIO | None, width: int = 30) -> None:
        self.label, self.total, self.out, self.width = label, total, out, width
        self.done = 0
        self._lock = threading.Lock()
        self._draw()

    def advance(self) -> None:
        with self._lock:
            self.done += 1
            self._draw()

    def _draw(self) -> None:
        if self.out is None:
            return
        filled = self.width * self.done // max(1, self.total)
        bar = "#" * filled + "." * (self.width - filled)
        end = "\n" if self.done >= self.total else ""
        self.out.write(f"\r{self.label:<12} [{bar}] {self.done}/{self.total}{end}")
        self.out.flush()


def trim(pcm: Pcm, threshold: int = TRIM_THRESHOLD) -> Pcm:
    """Drop the engine's leading and trailing silence so cues land where the plan says."""
    values = array("h")
    values.frombytes(pcm.samples)
    step = max(1, round(_BLOCK_S * pcm.sample_rate)) * pcm.channels
    blocks = range(0, len(values), step)
    loud = [i for i in blocks if max(map(abs, values[i : i + step]), default=0) > threshold]
    if not loud:
        return Pcm(b"", pcm.sample_rate, pcm.channels)
    start, end = loud[0], min(len(values), loud[-1] + step)
    return Pcm(values[start:end].tobytes(), pcm.sample_rate, pcm.channels)


def assemble(plan: TrackPlan, clips: dict[str, Pcm], spec: AudioSpec) -> tuple[Pcm, list[list[object]]]:
    """Lay the plan out on a timeline; returns the PCM and [kind, start_s, end_s] per item.

    ``say`` advances the clock by the clip; ``over`` is placed at the clock without advancing
    it; ``gap`` advances by exactly its seconds. No clip sounds over another: a clip waits
    until the one before it has ended (a paragraph laid over a bout, sentence by sentence,
    and a "Halfway." that comes while it is still being said).
    """
    rate, width = spec.sample_rate_hz, 2 * spec.channels
    placed: list[tuple[int, Pcm]] = []
    layout: list[list[object]] = []
    clock = busy = 0  # in frames
    for kind, value in plan.items:
        if kind == "gap":
            frames = round(float(value) * rate)
            layout.append(["gap", clock / rate, (clock + frames) / rate])
            clock += frames
            continue
        clip = clips[str(value)]
        start = max(clock, busy)
        placed.append((start, clip))
        layout.append([kind, start / rate, (start + clip.frames) / rate])
        busy = start + clip.frames
        if kind == "say":
            clock = busy
    total = max(clock, busy)
    buf = bytearray(total * width)
    for start, clip in placed:
        buf[start * width : start * width + len(clip.samples)] = clip.samples
    return Pcm(bytes(buf), rate, spec.channels), layout


def synthesize_with_retry(
    engine: SpeechEngine,
    text: str,
    locale: str,
    *,
    attempts: int = 3,
    backoff_s: float = 0.5,
    on_retry: Callable[[], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Pcm:
    """SpeechEngineError is retried ``attempts`` times in all, with doubling backoff."""
    for attempt in range(1, attempts + 1):
        try:
            return engine.synthesize(text, locale=locale)
        except SpeechEngineError:
            if attempt == attempts:
                raise
            if on_retry is not None:
                on_retry()
            sleep(backoff_s * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


def render_tracks(
    tracks: dict[str, TrackPlan],
    engine: SpeechEngine,
    out_dir: Path,
    locale: str,
    *,
    spec: AudioSpec = ALEXA_STREAM_AUDIO,
    max_workers: int = 4,
    attempts: int = 3,
    backoff_s: float = 0.5,
    keep_others: bool = False,
    progress: TextIO | None = sys.stderr,
) -> RenderReport:
    """Render every track not already in the manifest; then write the manifest.

    ``keep_others`` keeps manifest entries for tracks not in ``tracks`` (a partial render with
    ``--routine``); otherwise the manifest lists exactly ``tracks``.
    """
    started = time.perf_counter()
    report = RenderReport(locale, engine.name, tracks=len(tracks))
    folder = out_dir / locale
    folder.mkdir(parents=True, exist_ok=True)
    previous = load_manifest(out_dir, locale)
    old = previous.tracks if previous is not None else {}
    entries: dict[str, TrackEntry] = {}
    todo: list[tuple[TrackPlan, str]] = []
    for track_id, plan in tracks.items():
        digest = file_hash(plan, engine.name, spec)
        known = old.get(track_id)
        if known is not None and known.hash == digest and (folder / known.file).is_file():
            entries[track_id] = known
        else:
            todo.append((plan, digest))
    report.reused = len(entries)
    phrases = sorted({t for plan, _ in todo for t in plan.texts()})
    report.phrases = len(phrases)
    clips = _synthesize_all(engine, phrases, locale, spec, report, max_workers, attempts, backoff_s, progress)

    bar = ProgressBar("assemble", len(todo), progress if todo else None)

    def build(job: tuple[TrackPlan, str]) -> TrackEntry:
        plan, digest = job
        pcm, layout = assemble(plan, clips, spec)
        data = encode(pcm, spec)
        name = f"{digest}.mp3"
        write_atomic(folder / name, data)
        os.chmod(folder / name, 0o644)  # served by the web process, maybe as another user
        bar.advance()
        return TrackEntry(
            id=plan.track_id, file=name, hash=digest, engine=engine.name,
            duration_s=round(pcm.duration_s, 3), text=plan.text(), plan=plan.to_json(),
            layout=[[k, round(float(a), 3), round(float(b), 3)] for k, a, b in layout],  # type: ignore[arg-type]
        )  # fmt: skip

    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        for entry in pool.map(build, todo):
            entries[entry.id] = entry
    report.rendered = len(todo)
    report.bytes_written = sum((folder / entries[p.track_id].file).stat().st_size for p, _ in todo)
    if keep_others:
        for track_id, entry in old.items():
            if track_id not in entries and (folder / entry.file).is_file():
                entries[track_id] = entry
    report.audio_s = sum(e.duration_s for e in entries.values())
    save_manifest(out_dir, Manifest(locale, engine.name, asdict(spec), entries))
    report.seconds = time.perf_counter() - started
    return report


def _synthesize_all(
    engine: SpeechEngine,
    phrases: list[str],
    locale: str,
    spec: AudioSpec,
    report: RenderReport,
    max_workers: int,
    attempts: int,
    backoff_s: float,
    progress: TextIO | None,
) -> dict[str, Pcm]:
    bar = ProgressBar("synthesize", len(phrases), progress if phrases else None)
    lock = threading.Lock()

    def retried() -> None:
        with lock:
            report.retries += 1

    def one(text: str) -> Pcm:
        with lock:
            report.synth_calls += 1
        pcm = synthesize_with_retry(engine, text, locale, attempts=attempts, backoff_s=backoff_s,
                                    on_retry=retried)  # fmt: skip
        # Resampling a finished clip shifts its sound by the resampler's latency (measured: holds
        # 130 ms off), so the engine must synthesize at the track spec itself.
        if (pcm.sample_rate, pcm.channels) != (spec.sample_rate_hz, spec.channels):
            raise AudioError(f"{engine.name} returned {pcm.sample_rate} Hz x{pcm.channels}, not the spec")
        bar.advance()
        return trim(pcm)

    pool = ThreadPoolExecutor(max_workers=max_workers)
    try:
        return dict(zip(phrases, pool.map(one, phrases), strict=True))
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # stop early: nothing will be written
        raise
    finally:
        pool.shutdown(wait=True)


def render_silence(out_dir: Path, spec: AudioSpec = ALEXA_SSML_AUDIO) -> int:
    """The silence clips step-by-step mode uses for long pauses (audio/silence/)."""
    return len(render_silence_clips(out_dir / "silence", spec))


def prune(out_dir: Path, locales: Iterable[str]) -> list[Path]:
    """Delete rendered files no manifest lists (run only after a successful render)."""
    removed: list[Path] = []
    for locale in locales:
        manifest = load_manifest(out_dir, locale)
        if manifest is None:
            continue
        keep = {e.file for e in manifest.tracks.values()}
        for path in (out_dir / locale).glob("*.mp3"):
            if path.name not in keep:
                path.unlink()
                removed.append(path)
    return removed
