"""`heel-coach figures`: the device model's figures, printed for anyone to see."""

from __future__ import annotations

import json

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


def test_figures_in_german(capsys: pytest.CaptureFixture[str]) -> None:
    """`heel-coach figures --locale de-DE`: the German person on the German skill."""
    assert main(["figures", "--routine", "quick", "--locale", "de-DE", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["locale"] == "de-DE" and row["reached_end"] is True and row["timeouts"] == 0
    assert row["announced_s"] and row["ratio"] == pytest.approx(1.0, abs=0.1)
    assert row["words_before_first_movement"] <= 150
