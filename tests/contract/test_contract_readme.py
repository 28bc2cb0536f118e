"""The README cannot drift: its commands and settings are the real ones."""

from __future__ import annotations

from pathlib import Path

from heel_coach.settings import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_readme_names_the_two_commands_and_the_console() -> None:
    for command in ("make run", "make test", "heel-coach chat", "heel-coach catalog --json"):
        assert command in README, command


def test_every_setting_is_documented() -> None:
    for variable in Settings().documented():
        assert variable in README, variable


def test_ci_runs_the_readme_test_command() -> None:
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text()
    assert "make test" in ci
