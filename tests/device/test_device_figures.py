"""`heel-coach figures`: the device model's figures, printed for anyone to see."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from heel_coach.cli import main


def test_figures_as_json_for_one_routine(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["figures", "--routine", "quick", "--foot", "left", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["routine"], row["foot"], row["user"]) == ("quick", "left", "new")
    assert row["reached_end"] is True and row["timeouts"] == 0 and row["repeated_sets"] == 0
    assert row["announced_s"] > 0 and row["simulated_s"] > 0
    assert row["ratio"] == pytest.approx(row["simulated_s"] / row["announced_s"], abs=0.01)
    assert 0 < row["words_before_first_movement"] and row["longest_turn_words"] <= 400
    assert row["turns"] >= 4  # launch, routine, foot, ..., the end


def test_figures_table_has_a_row_per_routine(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["figures", "--routine", "quick", "--routine", "strength", "--returning"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "words>move" in lines[0] and "ratio" in lines[0]
    rows = [line.split() for line in lines[1:3]]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("quick", "both", "returning"),
        ("strength", "both", "returning"),
    ]


def test_a_patient_device_measures_lengths_where_sessions_time_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["figures", "--routine", "strength", "--json"]) == 0
    (impatient,) = json.loads(capsys.readouterr().out)
    assert main(["figures", "--routine", "strength", "--patient", "--json"]) == 0
    (patient,) = json.loads(capsys.readouterr().out)
    assert patient["patient_device"] is True and patient["timeouts"] == 0
    assert patient["reached_end"] is True and patient["simulated_s"] > 0
    if impatient["timeouts"]:  # today: every rep set loses the session
        assert impatient["simulated_s"] is None or impatient["simulated_s"] > patient["simulated_s"]


def test_figures_hands_free_on_published_audio(
    capsys: pytest.CaptureFixture[str], published_audio: Path
) -> None:
    """`--hands-free`: the same figures for the routine played as AudioPlayer streams, on the
    rendered audio given (its manifest has every track, so nothing is rendered here)."""
    args = [
        "figures",
        "--routine",
        "quick",
        "--foot",
        "left",
        "--hands-free",
        "--audio-dir",
        str(published_audio),
    ]
    assert main([*args, "--json"]) == 0
    captured = capsys.readouterr()
    assert "rendering" not in captured.err
    (row,) = json.loads(captured.out)
    assert (row["routine"], row["foot"], row["user"], row["mode"]) == ("quick", "left", "new", "hands-free")
    assert row["reached_end"] is True and row["timeouts"] == 0 and row["repeated_sets"] == 0
    assert row["streams"] == 3 and row["player_requests"] >= 9  # two steps and the closing words
    assert 0.9 <= row["ratio"] <= 1.1
    assert row["words_before_first_movement"] <= 150
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "mode" in lines[0] and lines[1].split()[:4] == ["quick", "left", "new", "hands-free"]


def test_figures_in_german(capsys: pytest.CaptureFixture[str]) -> None:
    """`heel-coach figures --locale de-DE`: the German person on the German skill."""
    assert main(["figures", "--routine", "quick", "--locale", "de-DE", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["locale"] == "de-DE" and row["reached_end"] is True and row["timeouts"] == 0
    assert row["announced_s"] and row["ratio"] == pytest.approx(1.0, abs=0.1)
    assert row["words_before_first_movement"] <= 150


def test_figures_hands_free_in_german(capsys: pytest.CaptureFixture[str], published_audio: Path) -> None:
    """`--hands-free --locale de-DE`: the German person on the German streams (rendered beside
    the English ones, so nothing is rendered here)."""
    args = ["figures", "--routine", "full", "--hands-free", "--locale", "de-DE", "--audio-dir"]
    assert main([*args, str(published_audio), "--json"]) == 0
    captured = capsys.readouterr()
    assert "rendering" not in captured.err
    (row,) = json.loads(captured.out)
    assert (row["locale"], row["routine"], row["mode"]) == ("de-DE", "full", "hands-free")
    assert row["reached_end"] is True and row["timeouts"] == 0 and row["repeated_sets"] == 0
    assert row["ratio"] == pytest.approx(1.0, abs=0.1)
    assert row["words_before_first_movement"] <= 150
