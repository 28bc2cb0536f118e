"""`heel-coach audio render|export` from the command line: the quick routine only."""

from __future__ import annotations

from pathlib import Path

import pytest
from mutagen.id3 import ID3

from heel_coach.audio.manifest import load_manifest
from heel_coach.audio.mp3 import check, inspect
from heel_coach.audio.spec import ALEXA_STREAM_AUDIO
from heel_coach.cli import main


def test_render_then_export_the_quick_routine_with_chapters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "audio"
    assert main(["audio", "render", "--engine", "espeak", "--routine", "quick", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "Using eSpeak NG" in err and "synthesize" in err and "silence: 12 clips" in err
    manifest = load_manifest(out, "en-US")
    assert manifest is not None and len(manifest.tracks) == 15  # full and short wordings, 3 closings
    assert len(list((out / "silence").glob("silence-*s.mp3"))) == 12

    assert main(["audio", "render", "--engine", "espeak", "--routine", "quick", "--out", str(out)]) == 0
    assert "0 rendered, 15 unchanged" in capsys.readouterr().err

    target = tmp_path / "quick.mp3"
    assert main(["audio", "export", "quick", str(target), "--engine", "espeak", "--out", str(out)]) == 0
    data = target.read_bytes()
    assert check(data, ALEXA_STREAM_AUDIO) == []
    chapters = ID3(target).getall("CHAP")
    titles = [c.sub_frames.getall("TIT2")[0].text[0] for c in chapters]
    assert titles == ["sole roll", "plantar fascia stretch"]
    assert chapters[0].start_time == 0 and chapters[0].end_time < chapters[1].start_time
    assert abs(chapters[1].end_time / 1000 - inspect(data).duration_s) <= 0.05
    assert ID3(target).getall("CTOC")[0].child_element_ids == ["chp0", "chp1"]


def test_an_unknown_routine_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audio", "render", "--engine", "espeak", "--routine", "nope", "--out", str(tmp_path)]) == 1
    assert "unknown routine" in capsys.readouterr().err
