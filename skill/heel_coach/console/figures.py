"""`heel-coach figures`: every routine on the simulated Echo, as issue 9's figures.

Each scenario runs in-process against the real app on a throw-away SQLite file, as a new
user (or one with ``PRIOR_RUNS`` days of history). The announced length is what the skill
says ("It takes about twelve minutes", prompt ``routine.start``), parsed from its speech.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from heel_coach.console.device_run import DeviceRun, RunResult, Scenario
from heel_coach.simulator.device import ClipSeconds, manifest_clips, no_clips


def clips_from_manifest(audio_dir: Path, locale: str) -> ClipSeconds:
    """Clip and stream lengths from the rendered audio's manifest, if there is one."""
    from heel_coach.audio.manifest import load_manifest

    manifest = load_manifest(audio_dir, locale)
    if manifest is None:
        return no_clips
    return manifest_clips({entry.file: entry.duration_s for entry in manifest.tracks.values()})


def run_scenarios(scenarios: Iterable[Scenario], locale: str = "en-US") -> list[RunResult]:
    """Each scenario as its own user, on one in-process app with a temporary database."""
    from heel_coach.catalogue import load_catalogue
    from heel_coach.console.client import VoiceClient, flask_transport
    from heel_coach.settings import Settings
    from heel_coach.voice.prompts import load_prompts
    from heel_coach.web.app import create_app

    catalogue = load_catalogue()
    templates = load_prompts(locale).strings
    results: list[RunResult] = []
    quiet = [logging.getLogger(name) for name in ("heelcoach.request", "heel_coach")]
    levels = [log.level for log in quiet]
    for log in quiet:
        log.setLevel(logging.ERROR)  # per-request notes would bury the table
    try:
        with tempfile.TemporaryDirectory(prefix="heel-coach-figures-") as tmp:
            settings = Settings.from_env(
                None, db_path=Path(tmp) / "figures.sqlite3", verify_signatures=False, verify_timestamps=False
            )
            app = create_app(settings, catalogue=catalogue)
            clips = clips_from_manifest(settings.audio_dir, locale)
            for scenario in scenarios:
                client = VoiceClient.for_locale(flask_transport(app), locale)
                results.append(DeviceRun(client, catalogue, templates, clips, locale).run(scenario))
    finally:
        for log, level in zip(quiet, levels, strict=True):
            log.setLevel(level)
    return results


def as_json(result: RunResult) -> dict[str, Any]:
    longest_words, longest_seconds = result.longest_words, result.longest_seconds
    return {
        "locale": result.locale,
        "routine": result.scenario.routine_id,
        "foot": result.scenario.foot,
        "user": "returning" if result.scenario.returning else "new",
        "patient_device": result.scenario.patient,
        "words_before_first_movement": result.words_before_first_move,
        "longest_turn_words": longest_words.words,
        "longest_turn_seconds": round(longest_seconds.seconds, 1),
        "longest_turn_words_seconds": round(longest_words.seconds, 1),
        "turns": len(result.turns),
        "timeouts": result.timeouts,
        "lost_utterances": len(result.lost),
        "repeated_sets": len(result.repeats),
        "reached_end": result.reached_end,
        "simulated_s": None if result.simulated_s is None else round(result.simulated_s, 1),
        "announced_s": result.announced_s,
        "ratio": None if result.ratio is None else round(result.ratio, 2),
        "unknown_clips": sorted(result.unknown_clips),
    }


_COLUMNS = (
    ("routine", "routine", 15),
    ("foot", "foot", 5),
    ("user", "user", 9),
    ("words_before_first_movement", "words>move", 10),
    ("longest_turn_words", "max words", 9),
    ("longest_turn_seconds", "max s", 6),
    ("turns", "turns", 5),
    ("timeouts", "timeouts", 8),
    ("repeated_sets", "repeats", 7),
    ("reached_end", "end", 5),
    ("simulated_s", "sim min", 7),
    ("announced_s", "said min", 8),
    ("ratio", "ratio", 5),
)


def table(results: Iterable[RunResult]) -> str:
    """A plain-text table, one row per scenario."""
    lines = ["  ".join(title.rjust(width) for _, title, width in _COLUMNS)]
    for result in results:
        row = as_json(result)
        cells = []
        for key, _title, width in _COLUMNS:
            value = row[key]
            if key in ("simulated_s", "announced_s") and value is not None:
                value = f"{value / 60:.1f}"
            elif value is None:
                value = "-"
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            cells.append(str(value).rjust(width))
        lines.append("  ".join(cells))
    lines.append(
        "words>move: words Alexa said before the first set starts (from launch). max s: the longest "
        "response, silences included. sim min: simulated time from the response announcing the "
        "routine to the end of the one ending it; said min: the length the skill announced (parsed from its "
        "speech, prompt routine.start); ratio = sim / said. A routine that never ends has no sim."
    )
    return "\n".join(lines)
