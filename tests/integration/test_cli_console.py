"""The commands a new user types: `heel-coach chat` through whole routines, `catalog --json`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SEEDS = {
    "000_738e10310320b56a.txt",
    "001_13e5ced50b626fc8.txt",
    "002_9aeb6e47313bb0f3.txt",
    "003_cd692bcb83d014fc.txt",
    "004_849461aea8c41f6f.txt",
}


def run_chat(lines: list[str], db: Path, *options: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEELCOACH_")}
    env["HEELCOACH_DB_PATH"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "heel_coach", "chat", *options],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )


def chat(lines: list[str], db: Path, *options: str) -> str:
    return run_chat(lines, db, *options).stdout


@pytest.mark.parametrize(
    "routine,name,nexts", [("quick", "quick routine", 6), ("full", "full heel routine", 60)]
)
def test_chat_completes_a_whole_routine(tmp_path: Path, routine: str, name: str, nexts: int) -> None:
    out = chat(
        ["open heel coach", f"start the {name}", "both feet", "sole", *["next"] * nexts, "quit"],
        tmp_path / "db.sqlite3",
    )
    assert "not medical advice" in out
    assert f"That's the end of the {name}" in out
    assert "[pause " in out
    assert "Traceback" not in out


QUICK_ROUTINE = ["open heel coach", "start the quick routine", "both feet", "sole", *["next"] * 6, "quit"]
# Logged at INFO when the routine ends: the console has no Alexa API to ask for the time zone.
INFO_LINE = "time zone unavailable"


def conversation_only(stdout: str) -> list[str]:
    """The lines of ``stdout`` that are neither the banner nor a turn of the conversation."""
    from heel_coach.console.wording import console_text

    text = console_text("en-US")
    banner = set((text.banner + text.commands).splitlines())
    turn = ("You:", "Alexa:", "  (", "  [")
    return [line for line in stdout.splitlines() if line not in banner and not line.startswith(turn)]


def test_chat_keeps_log_lines_out_of_the_conversation(tmp_path: Path) -> None:
    quiet = run_chat(QUICK_ROUTINE, tmp_path / "quiet.sqlite3")
    assert "That's the end of the quick routine" in quiet.stdout
    assert conversation_only(quiet.stdout) == []
    assert INFO_LINE not in quiet.stdout + quiet.stderr  # stderr shows WARNING and up by default

    verbose = run_chat(QUICK_ROUTINE, tmp_path / "verbose.sqlite3", "--log-level", "info")
    assert INFO_LINE in verbose.stderr and "INFO" in verbose.stderr
    assert conversation_only(verbose.stdout) == []

    log = tmp_path / "chat.log"
    logged = run_chat(
        QUICK_ROUTINE, tmp_path / "logged.sqlite3", "--log-file", str(log), "--log-level", "info"
    )
    assert INFO_LINE in log.read_text()
    assert INFO_LINE not in logged.stdout + logged.stderr
    assert conversation_only(logged.stdout) == []


def test_chat_as_a_screen_device_names_each_document_and_its_data(tmp_path: Path) -> None:
    lines = ["open heel coach", "start the quick routine", "both", "ready", ":touch next", "quit"]
    out = chat(lines, tmp_path / "db.sqlite3", "--screen", "round-small")
    assert "[screen: content/screens/safety.json: Before you start" in out
    assert "[screen: content/screens/overview.json: Quick routine, About " in out
    assert (
        "[screen: content/screens/exercise.json: Sole roll (Exercise 1 of 2); Right foot / Left foot;" in out
    )
    assert "Plantar fascia stretch (Exercise 2 of 2)" in out  # the touch on Next moved on
    assert "[screen:" not in chat(lines[:4] + ["quit"], tmp_path / "other.sqlite3")


def test_chat_remembers_the_user_between_runs(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    chat(["open heel coach", "start the quick routine", "left foot", "stop", "quit"], db)
    out = chat(["open heel coach", "quit"], db)
    assert "carries on with" in out


def test_catalog_json_has_every_exercise_with_figures_and_sources() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "heel_coach", "catalog", "--json"], capture_output=True, text=True, check=True
    ).stdout
    data = json.loads(out)
    assert len(data["exercises"]) >= 20
    for exercise in data["exercises"]:
        assert exercise["category"] in {"release", "stretch", "strength"}
        assert exercise["sides"] in {"each", "both"}
        assert set(exercise["sources"]) <= SEEDS and exercise["sources"]
        for key in ("hold_s", "duration_s", "reps", "sets"):
            value = exercise[key]
            assert value is None or (len(value) == 2 and value[0] <= value[1])
    by_id = {e["id"]: e for e in data["exercises"]}
    assert by_id["sole-roll"]["duration_s"] == [60, 120]
    calf = {(tuple(v["hold_s"]), tuple(v["sources"])) for v in by_id["calf-stretch"]["variants"]}
    assert ((30, 60), ("001_13e5ced50b626fc8.txt",)) in calf  # seed 001: 30-60 s
    assert ((30, 45), ("002_9aeb6e47313bb0f3.txt",)) in calf  # seed 002: 30-45 s, both kept
    routines = {r["id"]: r for r in data["routines"]}
    assert {"full", "morning", "evening-massage", "strength", "quick"} <= set(routines)
    assert routines["quick"]["total_s"] == min(r["total_s"] for r in routines.values())


def test_a_bad_setting_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEELCOACH_")}
    env["HEELCOACH_PORT"] = "eighty"
    result = subprocess.run(
        [sys.executable, "-m", "heel_coach", "settings"], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr == "heel-coach settings: error: HEELCOACH_PORT must be a whole number\n"
    assert result.stdout == ""


def test_invalid_content_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import heel_coach.catalogue as catalogue_package
    from heel_coach.cli import main
    from heel_coach.errors import ContentError

    def broken(*_: object, **__: object) -> None:
        raise ContentError("exercises/calf.yaml", "hold_s", "must be a range\nof seconds")

    monkeypatch.setattr(catalogue_package, "load_catalogue", broken)
    assert main(["catalog", "--json"]) == 2
    captured = capsys.readouterr()
    assert (
        captured.err == "heel-coach catalog: error: exercises/calf.yaml: hold_s: must be a range of seconds\n"
    )
    assert captured.out == ""
