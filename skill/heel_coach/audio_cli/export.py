"""One MP3 of a whole routine, for playing without Alexa: step tracks joined with short gaps,
and an ID3 chapter (CHAP, listed in a CTOC) per exercise so players can skip between them."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from heel_coach.audio.manifest import load_manifest
from heel_coach.audio.mp3 import Pcm, concat_pcm, decode, encode, silence_pcm
from heel_coach.audio.render import render_tracks
from heel_coach.audio.spec import ALEXA_STREAM_AUDIO, AudioSpec
from heel_coach.audio.tts import SpeechEngine
from heel_coach.catalogue.model import Catalogue, Focus
from heel_coach.engine.plan import Foot, build_plan
from heel_coach.errors import AudioError
from heel_coach.voice.prompts import load_prompts
from heel_coach.voice.speech import Speaker
from heel_coach.voice.tracks import closing_track, step_track

GAP_BETWEEN_TRACKS_S = 1.0


@dataclass(frozen=True)
class Chapter:
    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class ExportResult:
    path: Path
    duration_s: float
    chapters: tuple[Chapter, ...]
    bytes: int


def export_routine(
    catalogue: Catalogue,
    routine_id: str,
    foot: Foot,
    focus: Focus,
    path: Path,
    *,
    locale: str,
    engine: SpeechEngine,
    tracks_dir: Path,
    spec: AudioSpec = ALEXA_STREAM_AUDIO,
) -> ExportResult:
    """Render (incrementally) the routine's tracks into ``tracks_dir``, then join them: every
    step's, then the closing words, as continuous mode plays them."""
    speaker = Speaker(catalogue, load_prompts(locale), locale)
    plan = build_plan(catalogue.routine(routine_id), foot, focus)
    # Every step, then the closing words (all exercises done) in the last exercise's chapter.
    tracks = [step_track(speaker, plan, step) for step in plan.steps]
    tracks.append(closing_track(speaker, plan, plan.exercise_count()))
    render_tracks(
        {t.track_id: t for t in tracks}, engine, tracks_dir, locale, spec=spec, keep_others=True,
        progress=None,
    )  # fmt: skip
    manifest = load_manifest(tracks_dir, locale)
    if manifest is None:
        raise AudioError(f"no manifest in {tracks_dir / locale} after rendering")
    gap = silence_pcm(GAP_BETWEEN_TRACKS_S, spec.sample_rate_hz, spec.channels)
    parts: list[Pcm] = []
    chapters: list[Chapter] = []
    clock_frames = 0
    # A chapter starts with each exercise's first track; the closing words end the last one.
    names = [
        speaker.exercise_name(catalogue.exercise(step.exercise_id)) if step.first_of_exercise else None
        for step in plan.steps
    ]
    for name, track in zip([*names, None], tracks, strict=True):
        entry = manifest.tracks[track.track_id]
        data = (tracks_dir / locale / entry.file).read_bytes()
        pcm = decode(data, sample_rate=spec.sample_rate_hz, channels=spec.channels)
        if parts:
            parts.append(gap)
            clock_frames += gap.frames
        start_ms = round(clock_frames * 1000 / spec.sample_rate_hz)
        parts.append(pcm)
        clock_frames += pcm.frames
        end_ms = round(clock_frames * 1000 / spec.sample_rate_hz)
        if name is not None:
            chapters.append(Chapter(name, start_ms, end_ms))
        else:
            last = chapters[-1]
            chapters[-1] = Chapter(last.title, last.start_ms, end_ms)
    whole = concat_pcm(*parts)
    mp3 = encode(whole, spec)
    title = speaker.routine_name(catalogue.routine(routine_id))
    _write_with_chapters(path, mp3, title, chapters)
    return ExportResult(path, whole.duration_s, tuple(chapters), path.stat().st_size)


def _write_with_chapters(path: Path, mp3: bytes, title: str, chapters: list[Chapter]) -> None:
    """Write the MP3, tag it (TIT2 + CTOC + one CHAP per chapter), then rename into place."""
    from mutagen.id3 import CHAP, CTOC, ID3, TIT2, CTOCFlags

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(mp3)
        tags = ID3()
        tags.add(TIT2(encoding=3, text=[title]))
        ids = [f"chp{i}" for i in range(len(chapters))]
        tags.add(
            CTOC(
                element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids, sub_frames=[TIT2(encoding=3, text=[title])],
            )
        )  # fmt: skip
        for element_id, chapter in zip(ids, chapters, strict=True):
            tags.add(
                CHAP(
                    element_id=element_id, start_time=chapter.start_ms, end_time=chapter.end_ms,
                    start_offset=0xFFFFFFFF, end_offset=0xFFFFFFFF,
                    sub_frames=[TIT2(encoding=3, text=[chapter.title])],
                )
            )  # fmt: skip
        tags.save(tmp, v2_version=4)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
