"""`heel-coach figures`: every routine on the simulated Echo, as issue 9's figures.

Each scenario runs in-process against the real app on a throw-away SQLite file, as a new
user (or one with ``PRIOR_RUNS`` days of history). The announced length is what the skill
says ("It takes about twelve minutes", prompt ``routine.start`` or ``playback.start``),
parsed from its speech.

``--hands-free`` runs the routines as AudioPlayer streams: the app publishes the rendered
audio of ``--audio-dir`` (default: the configured audio folder) when its manifest has every
track the runs need, else tracks rendered here and now with the offline engine (eSpeak) in
a temporary folder; the device plays each track for its length in the manifest and the
person hears its words where its layout puts them.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from heel_coach.console.device_run import DeviceRun, RunResult, Scenario
from heel_coach.simulator.device import (
    ClipSeconds,
    StreamScript,
    StreamScripts,
    by_file_name,
    manifest_clips,
    no_clips,
    no_scripts,
)

PUBLISHED_AT = "https://audio.heel-coach.example/audio"
"""The base URL the simulated runs publish audio at: the device model never fetches it."""


def clips_from_manifest(audio_dir: Path, locale: str) -> ClipSeconds:
    """Clip and stream lengths from the rendered audio's manifest, if there is one."""
    from heel_coach.audio.manifest import load_manifest

    manifest = load_manifest(audio_dir, locale)
    if manifest is None:
        return no_clips
    return manifest_clips({entry.file: entry.duration_s for entry in manifest.tracks.values()})


def scripts_from_manifest(audio_dir: Path, locale: str) -> StreamScripts:
    """What each rendered track says and when: its plan's words at their layout's start times."""
    from heel_coach.audio.manifest import load_manifest

    manifest = load_manifest(audio_dir, locale)
    if manifest is None:
        return no_scripts
    scripts = {
        entry.file: StreamScript(
            entry.duration_s,
            tuple(
                (float(placed[1]), str(item[1]))
                for placed, item in zip(entry.layout, entry.plan, strict=True)
                if item[0] != "gap"
            ),
        )
        for entry in manifest.tracks.values()
        if len(entry.layout) == len(entry.plan)
    }
    return by_file_name(scripts)


def audio_for(
    scenarios: list[Scenario], locale: str, audio_dir: Path, scratch: Path, log: TextIO | None = sys.stderr
) -> Path:
    """A folder whose manifest has every track the hands-free ``scenarios`` play: ``audio_dir``
    when it does, else ``scratch`` with them rendered by the offline engine (eSpeak); the
    published audio itself is never touched."""
    from heel_coach.audio.manifest import load_manifest
    from heel_coach.audio.render import render_tracks
    from heel_coach.audio.tts import EspeakEngine
    from heel_coach.catalogue import load_catalogue
    from heel_coach.engine.plan import Foot, build_plan
    from heel_coach.voice.prompts import load_prompts
    from heel_coach.voice.speech import Speaker
    from heel_coach.voice.tracks import tracks_for

    catalogue = load_catalogue()
    speaker = Speaker(catalogue, load_prompts(locale), locale)
    kinds = sorted({(s.routine_id, s.foot, s.focus) for s in scenarios if s.hands_free})
    wanted = tracks_for(speaker, (build_plan(catalogue.routine(r), Foot(f), focus) for r, f, focus in kinds))
    manifest = load_manifest(audio_dir, locale)
    if manifest is not None and set(wanted) <= set(manifest.tracks):
        return audio_dir
    if log is not None:
        print(f"{audio_dir} lacks tracks for these runs: rendering them with eSpeak in {scratch}", file=log)
    render_tracks(wanted, EspeakEngine(), scratch, locale, progress=log)
    return scratch


def run_scenarios(
    scenarios: Iterable[Scenario], locale: str = "en-US", *, audio_dir: Path | None = None
) -> list[RunResult]:
    """Each scenario as its own user, on one in-process app with a temporary database; the
    app publishes rendered audio when a scenario is hands-free (see ``audio_for``)."""
    from heel_coach.catalogue import load_catalogue
    from heel_coach.console.client import VoiceClient, flask_transport
    from heel_coach.settings import Settings
    from heel_coach.voice.prompts import load_prompts
    from heel_coach.web.app import create_app

    catalogue = load_catalogue()
    templates = load_prompts(locale).strings
    runs = list(scenarios)
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
            scripts: StreamScripts = no_scripts
            if any(s.hands_free for s in runs):
                audio = audio_for(runs, locale, audio_dir or settings.audio_dir, Path(tmp) / "audio")
                settings = Settings.from_env(
                    None, db_path=settings.db_path, verify_signatures=False, verify_timestamps=False,
                    audio_dir=audio, audio_base_url=PUBLISHED_AT,
                )  # fmt: skip
                scripts = scripts_from_manifest(audio, locale)
            app = create_app(settings, catalogue=catalogue)
            clips = clips_from_manifest(settings.audio_dir, locale)
            for scenario in runs:
                client = VoiceClient.for_locale(flask_transport(app), locale)
                run = DeviceRun(client, catalogue, templates, clips, locale, scripts)
                results.append(run.run(scenario))
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
        "mode": "hands-free" if result.scenario.hands_free else "steps",
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
        "streams": len(result.streams),
        "stream_s": round(result.stream_s, 1),
        "player_requests": result.player_requests,
    }


_COLUMNS = (
    ("routine", "routine", 15),
    ("foot", "foot", 5),
    ("user", "user", 9),
    ("mode", "mode", 10),
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
        "speech, prompt routine.start); ratio = sim / said. A routine that never ends has no sim. "
        "hands-free: the routine plays as AudioPlayer streams (turns are the spoken responses "
        "only; sim runs to the end of the closing words' track)."
    )
    return "\n".join(lines)
