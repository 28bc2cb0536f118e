"""Rendering the quick routine: every file decoded and timed against the plan, the manifest
matches the files, re-renders are incremental, and a failing engine changes nothing."""

from __future__ import annotations

import io
import shutil
from array import array
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from heel_coach.audio.manifest import load_manifest, manifest_path
from heel_coach.audio.mp3 import Pcm, check, decode, inspect
from heel_coach.audio.render import ProgressBar, render_tracks, synthesize_with_retry
from heel_coach.audio.spec import ALEXA_STREAM_AUDIO as STREAM
from heel_coach.audio.tracks import TrackPlan
from heel_coach.voice.tracks import closing_track, step_track, track_voice, wanted_tracks
from heel_coach.audio.tts import EspeakEngine
from heel_coach.catalogue import load_catalogue
from heel_coach.catalogue.model import Catalogue, Focus
from heel_coach.engine.plan import Foot, build_plan
from heel_coach.errors import SpeechEngineError
from heel_coach.voice.prompts import load_prompts
from heel_coach.voice.speech import Speaker

HOLD_TOLERANCE_S = 0.1
LOUD = 120
BLOCK_S = round(0.005 * STREAM.sample_rate_hz) / STREAM.sample_rate_hz  # whole samples: 220 at 44.1 kHz
FRAME_S = STREAM.frame_samples / STREAM.sample_rate_hz
MANIFEST_ROUNDING_S = 0.0005
SPEECH_AT_ENDS_EXCESS_S = 0.110  # documented in heel_coach.audio.mp3.encode_pcm


class CountingEngine:
    """Wraps a real engine; counts calls and can fail the first ``fail`` calls per text."""

    def __init__(self, inner: EspeakEngine | None = None, fail: int = 0, always_fail: bool = False) -> None:
        self.inner = inner or EspeakEngine()
        self.name = self.inner.name
        self.calls: list[str] = []
        self.fail = fail
        self.always_fail = always_fail

    def synthesize(self, text: str, *, locale: str) -> Pcm:
        self.calls.append(text)
        if self.always_fail or self.calls.count(text) <= self.fail:
            raise SpeechEngineError("engine down")
        return self.inner.synthesize(text, locale=locale)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="module")
def quick(catalogue: Catalogue) -> dict[str, TrackPlan]:
    return wanted_tracks(Speaker(catalogue, load_prompts("en-US"), "en-US"), catalogue, ["quick"])


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, quick: dict[str, TrackPlan]) -> Path:
    out = tmp_path_factory.mktemp("audio")
    render_tracks(quick, EspeakEngine(), out, "en-US", progress=None)
    return out


def loud_blocks(pcm: Pcm) -> list[bool]:
    values = array("h")
    values.frombytes(pcm.samples)
    step = round(BLOCK_S * pcm.sample_rate)
    return [max(map(abs, values[i : i + step]), default=0) > LOUD for i in range(0, len(values), step)]


def silent_runs(layout: list[list[Any]]) -> list[tuple[float, float, list[tuple[float, float]]]]:
    """(planned start, planned end, overlay windows) of every run of gaps between speech.

    A run that opens with a beat ("Two." laid over its repetition, "Switch to your left
    foot." over the time to switch) is silent from the end of that cue's words.
    """
    runs: list[tuple[float, float, list[tuple[float, float]]]] = []
    current: list[tuple[str, float, float]] = []
    for kind, start, end in [*layout, ["say", 0.0, 0.0]]:
        if kind == "say":
            while current and current[0][0] == "over" and len(current) > 1:
                lead = current.pop(0)
                current[0] = (current[0][0], max(current[0][1], lead[2]), current[0][2])
            if current and current[0][0] == "gap" and current[-1][2] > current[0][1]:
                overs = [(a, b) for k, a, b in current if k == "over"]
                runs.append((current[0][1], current[-1][2], overs))
            current = []
        else:
            current.append((str(kind), float(start), float(end)))
    return runs


def leading_beats_s(layout: list[list[Any]]) -> float:
    """Time the words of run-opening beats take out of their planned silence (a beat of
    several sentences, like a bout's description, is laid over it sentence after sentence)."""
    total, previous = 0.0, "say"
    for kind, start, end in layout:
        if kind == "over" and previous in ("say", "lead"):
            total += float(end) - float(start)
            previous = "lead"
            continue
        previous = str(kind)
    return total


def test_every_quick_track_is_compliant_and_times_each_hold_within_100_ms(
    rendered: Path, quick: dict[str, TrackPlan]
) -> None:
    manifest = load_manifest(rendered, "en-US")
    assert manifest is not None and set(manifest.tracks) == set(quick)
    worst = 0.0
    for entry in manifest.tracks.values():
        data = (rendered / "en-US" / entry.file).read_bytes()
        assert check(data, STREAM) == []
        info = inspect(data)
        # Amazon's recommended media support for Alexa devices: MP3, 32-256 kbps, 44.1 or 48 kHz.
        assert 32 <= info.bitrate_kbps <= 256 and info.sample_rate_hz in (44100, 48000)
        # encode_pcm's contract: never cut, whole frames, and up to ~110 ms longer when speech
        # reaches both ends of the clip (eSpeak's trailing quiet varies from run to run).
        # The manifest rounds the PCM duration to the millisecond.
        excess = info.duration_s - entry.duration_s
        assert -FRAME_S <= excess <= SPEECH_AT_ENDS_EXCESS_S + MANIFEST_ROUNDING_S
        loud = loud_blocks(decode(data, sample_rate=STREAM.sample_rate_hz, channels=1))
        runs = silent_runs(entry.layout)
        planned = quick[entry.id].planned_silence_s() - leading_beats_s(entry.layout)
        assert sum(end - start for start, end, _ in runs) >= planned - 0.01
        for start, end, overs in runs:
            first, last = int(start / BLOCK_S), min(len(loud), int(end / BLOCK_S))
            # Measured: from the end of the speech before to the start of the speech after.
            before = max((i for i in range(max(0, first - 40), first + 20) if loud[i]), default=first - 1)
            after = next((i for i in range(last - 20, len(loud)) if loud[i]), len(loud))
            measured = (after - before - 1) * BLOCK_S
            worst = max(worst, abs(measured - (end - start)))
            assert abs(measured - (end - start)) <= HOLD_TOLERANCE_S, (entry.id, start, end, measured)
            # Inside the hold only the overlaid cues ("halfway", "ten seconds left") sound.
            for i in range(before + 30, after - 30):
                t = i * BLOCK_S
                if loud[i]:
                    assert any(a - 0.05 <= t <= b + 0.05 for a, b in overs), (entry.id, t)
    print(f"worst hold timing error: {worst * 1000:.0f} ms")


def test_the_manifest_lists_exactly_the_files_rendered(rendered: Path) -> None:
    manifest = load_manifest(rendered, "en-US")
    assert manifest is not None and manifest.engine == "espeak"
    files = {p.name for p in (rendered / "en-US").glob("*.mp3")}
    assert files == {e.file for e in manifest.tracks.values()}
    for entry in manifest.tracks.values():
        assert entry.file == f"{entry.hash}.mp3" and entry.engine == "espeak"
        assert entry.plan and entry.text


def test_a_second_render_synthesizes_nothing(
    rendered: Path, quick: dict[str, TrackPlan], tmp_path: Path
) -> None:
    out = tmp_path / "audio"
    shutil.copytree(rendered, out)
    engine = CountingEngine()
    report = render_tracks(quick, engine, out, "en-US", progress=None)
    assert engine.calls == [] and report.rendered == 0 and report.reused == len(quick)


def test_changed_wording_re_renders_only_the_tracks_that_say_it(
    rendered: Path, quick: dict[str, TrackPlan], tmp_path: Path
) -> None:
    out = tmp_path / "audio"
    shutil.copytree(rendered, out)
    changed = {k: _reword(v, "Halfway.", "Half way there.") for k, v in quick.items()}
    engine = CountingEngine()
    report = render_tracks(changed, engine, out, "en-US", progress=None)
    affected = [t for t in quick.values() if "Halfway." in t.texts()]
    assert report.rendered == len(affected) and report.reused == len(quick) - len(affected)
    # Phrases are synthesized once per render, and only for the tracks that changed.
    assert sorted(engine.calls) == sorted(
        {x for t in affected for x in _reword(t, "Halfway.", "Half way there.").texts()}
    )


def test_a_failing_engine_leaves_the_previous_audio_and_manifest_intact(
    rendered: Path, quick: dict[str, TrackPlan], tmp_path: Path
) -> None:
    out = tmp_path / "audio"
    shutil.copytree(rendered, out)
    before = {p: p.read_bytes() for p in (out / "en-US").iterdir()}
    changed = {k: _reword(v, "Halfway.", "Half way there.") for k, v in quick.items()}
    engine = CountingEngine(always_fail=True)
    with pytest.raises(SpeechEngineError):
        render_tracks(changed, engine, out, "en-US", progress=None, attempts=3, backoff_s=0)
    assert engine.calls and all(engine.calls.count(t) == 3 for t in engine.calls)  # retried, bounded
    assert {p: p.read_bytes() for p in (out / "en-US").iterdir()} == before
    assert manifest_path(out, "en-US").read_bytes() == before[manifest_path(out, "en-US")]


def test_transient_failures_are_retried_with_backoff() -> None:
    engine = CountingEngine(fail=2)
    sleeps: list[float] = []
    pcm = synthesize_with_retry(engine, "Rest.", "en-US", attempts=3, backoff_s=0.5, sleep=sleeps.append)
    assert pcm.frames > 0 and sleeps == [0.5, 1.0]


def test_the_progress_bar_is_plain_text() -> None:
    out = io.StringIO()
    bar = ProgressBar("synthesize", 2, out, width=4)
    bar.advance()
    bar.advance()
    assert out.getvalue().endswith("synthesize   [####] 2/2\n")


def _reword(plan: TrackPlan, old: str, new: str) -> TrackPlan:
    return replace(plan, items=tuple((k, new if v == old else v) for k, v in plan.items))


@pytest.mark.parametrize("foot", [Foot.BOTH, Foot.LEFT])
def test_the_rendered_quick_routine_is_as_long_as_announced(
    rendered: Path, catalogue: Catalogue, foot: Foot
) -> None:
    """Item 6: continuous mode announces ``TrackVoice.seconds``: the rendered tracks' own
    lengths where the manifest knows them (exact), else the estimate, within 10% of eSpeak's
    tracks (what ``heel-coach audio export`` joins into one MP3), the closing words included."""
    speaker = Speaker(catalogue, load_prompts("en-US"), "en-US")
    plan = build_plan(catalogue.routine("quick"), foot, Focus.SOLE)
    manifest = load_manifest(rendered, "en-US")
    assert manifest is not None
    tracks = [step_track(speaker, plan, step) for step in plan.steps]
    tracks.append(closing_track(speaker, plan, plan.exercise_count()))
    played = sum(manifest.tracks[track.track_id].duration_s for track in tracks)
    estimated = track_voice(speaker).seconds(plan, head=False)  # the start is said in the response
    durations = {k: e.duration_s for k, e in manifest.tracks.items()}
    measured = track_voice(speaker, durations=durations).seconds(plan, head=False)
    print(f"quick, {foot.value}: tracks {played / 60:.2f} min, estimated {estimated / 60:.2f} min")
    assert measured == pytest.approx(played)
    assert abs(estimated - played) <= 0.10 * played


def test_tracks_are_rendered_in_full_and_in_the_short_form_for_returning_users(
    catalogue: Catalogue, quick: dict[str, TrackPlan]
) -> None:
    speaker = Speaker(catalogue, load_prompts("en-US"), "en-US")
    plan = build_plan(catalogue.routine("quick"), Foot.BOTH, Focus.SOLE)
    first = plan.steps[0]
    full = step_track(speaker, plan, first)
    short = step_track(speaker, plan, first, frozenset({first.exercise_id}))
    sole = catalogue.exercise(first.exercise_id).text["en-US"]
    assert sole.short in str(short.items) and sole.short not in str(full.items)
    assert {full.track_id, short.track_id} <= set(quick)  # the manifest has both wordings
