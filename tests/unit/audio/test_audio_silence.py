"""Silence clips: exact plans, compliant deterministic files, atomic idempotent rendering."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heel_coach.alexa_limits import MAX_CLIP_AUDIO_S, MAX_SPEECH_AUDIO_S
from heel_coach.audio import silence
from heel_coach.audio.mp3 import check, inspect
from heel_coach.audio.silence import (
    SILENCE_CLIP_SECONDS,
    plan_silence,
    render_silence_clip,
    render_silence_clips,
    silence_clip_name,
)
from heel_coach.audio.spec import ALEXA_SSML_AUDIO
from heel_coach.errors import AudioError


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    return render_silence_clips(tmp_path_factory.mktemp("silence"))


def _greedy(total: int, clips: list[int]) -> list[int]:
    out: list[int] = []
    for c in sorted(clips, reverse=True):
        while total >= c:
            out.append(c)
            total -= c
    return out


def test_every_clip_is_alexa_compliant_and_exact(rendered: dict[int, Path]) -> None:
    assert sorted(rendered) == sorted(SILENCE_CLIP_SECONDS)
    for n, path in rendered.items():
        assert path.name == f"silence-{n}s.mp3" == silence_clip_name(n)
        data = path.read_bytes()
        assert check(data, ALEXA_SSML_AUDIO) == []
        assert abs(inspect(data).duration_s - n) <= 0.030
        assert n <= MAX_CLIP_AUDIO_S


def test_rendering_is_deterministic(rendered: dict[int, Path]) -> None:
    assert render_silence_clip(5) == render_silence_clip(5) == rendered[5].read_bytes()


def test_rendering_is_idempotent_and_repairs_bad_files(rendered: dict[int, Path]) -> None:
    out_dir = rendered[1].parent
    before = {n: p.stat().st_mtime_ns for n, p in rendered.items()}
    rendered[2].write_bytes(b"half a file")
    render_silence_clips(out_dir)
    after = {n: p.stat().st_mtime_ns for n, p in rendered.items()}
    assert {n for n in before if before[n] != after[n]} == {2}
    assert check(rendered[2].read_bytes(), ALEXA_SSML_AUDIO) == []
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(p.name for p in rendered.values())


@given(st.integers(min_value=0, max_value=3 * MAX_SPEECH_AUDIO_S))
def test_plan_is_exact_and_never_worse_than_greedy(total: int) -> None:
    plan = plan_silence(total)
    assert sum(plan) == total
    assert set(plan) <= set(SILENCE_CLIP_SECONDS)
    assert plan == sorted(plan, reverse=True)
    assert len(plan) <= len(_greedy(total, list(SILENCE_CLIP_SECONDS)))


@given(
    st.floats(min_value=0, max_value=600, allow_nan=False),
    st.sampled_from([1, 5, 10, 30, 45, 90, 1000]),
)
def test_plan_rounds_to_the_second_and_respects_max_clip(seconds: float, max_clip: int) -> None:
    plan = plan_silence(seconds, max_clip)
    assert sum(plan) == round(seconds)
    assert all(c <= max_clip for c in plan)


def test_plan_examples_and_errors() -> None:
    assert plan_silence(0.4) == []
    assert plan_silence(37) == [30, 5, 2]
    assert plan_silence(120) == [90, 30]
    assert plan_silence(25, clips=[10, 15]) == [15, 10]
    assert plan_silence(30, clips=[20, 15, 1]) == [15, 15]  # greedy would need 11 clips
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(AudioError):
            plan_silence(bad)
    with pytest.raises(AudioError):
        plan_silence(7, clips=[5, 10])
    with pytest.raises(AudioError):
        plan_silence(7, max_clip_s=0)


def test_failed_encoding_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_args: object) -> bytes:
        raise AudioError("encoder exploded")

    monkeypatch.setattr(silence, "encode", boom)
    with pytest.raises(AudioError, match="exploded"):
        render_silence_clips(tmp_path, seconds=[3])
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / silence_clip_name(3)
    target.write_bytes(b"old contents")

    def fail_replace(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail_replace)
    with pytest.raises(OSError, match="disk full"):
        render_silence_clips(tmp_path, seconds=[3])
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
    assert target.read_bytes() == b"old contents"
