"""`heel-coach audio render|export`: build the continuous-mode tracks, or one MP3 of a routine."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from heel_coach.errors import AudioError, HeelCoachError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audio = sub.add_parser("audio", help="render continuous-mode audio, or export a routine as one MP3")
    actions = audio.add_subparsers(dest="audio_command", required=True)
    render = actions.add_parser("render", help="render every track and the silence clips (incremental)")
    render.add_argument("--engine", choices=["auto", "gtts", "espeak"], default="auto")
    render.add_argument("--locale", action="append", help="locale to render (repeatable; default: all)")
    render.add_argument("--routine", action="append", help="routine id to render (repeatable; default: all)")
    render.add_argument("--out", type=Path, default=Path("audio"), help="output folder (default: audio/)")
    render.add_argument("--workers", type=int, default=4, help="parallel synthesis/encoding jobs")
    render.add_argument("--prune", action="store_true", help="delete files the new manifest no longer lists")
    export = actions.add_parser("export", help="one MP3 of a whole routine, with a chapter per exercise")
    export.add_argument("routine")
    export.add_argument("file", type=Path)
    export.add_argument("--foot", choices=["left", "right", "both"], default="both")
    export.add_argument("--focus", choices=["sole", "calf"], default="sole")
    export.add_argument("--locale", default="en-US")
    export.add_argument("--engine", choices=["auto", "gtts", "espeak"], default="auto")
    export.add_argument("--out", type=Path, default=Path("audio"), help="rendered tracks folder")


def run(args: argparse.Namespace) -> int:
    try:
        if args.audio_command == "render":
            return _render(args)
        return _export(args)
    except HeelCoachError as exc:
        print(f"heel-coach audio: {exc}", file=sys.stderr)
        return 1


def _render(args: argparse.Namespace) -> int:
    from heel_coach.audio.render import prune, render_silence, render_tracks
    from heel_coach.audio.tts import choose_engine
    from heel_coach.catalogue import load_catalogue
    from heel_coach.voice.prompts import available_locales, load_prompts
    from heel_coach.voice.speech import Speaker
    from heel_coach.voice.tracks import wanted_tracks

    catalogue = load_catalogue()
    locales = args.locale or [loc for loc in available_locales() if loc in catalogue.locales]
    unknown = [r for r in args.routine or [] if r not in catalogue.routines]
    if unknown:
        raise AudioError(f"unknown routine(s): {', '.join(unknown)}; known: {', '.join(catalogue.routines)}")
    engine, why = choose_engine(args.engine)
    print(why, file=sys.stderr)
    for locale in locales:
        speaker = Speaker(catalogue, load_prompts(locale), locale)
        tracks = wanted_tracks(speaker, catalogue, args.routine)
        report = render_tracks(
            tracks, engine, args.out, locale, max_workers=max(1, args.workers),
            keep_others=bool(args.routine),
        )  # fmt: skip
        print(report.summary(), file=sys.stderr)
    clips = render_silence(args.out)
    print(f"silence: {clips} clips in {args.out / 'silence'}", file=sys.stderr)
    if args.prune:
        removed = prune(args.out, locales)
        print(f"pruned {len(removed)} unlisted files", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    from heel_coach.audio.tts import choose_engine
    from heel_coach.audio_cli.export import export_routine
    from heel_coach.catalogue import load_catalogue
    from heel_coach.catalogue.model import Focus
    from heel_coach.engine.plan import Foot

    catalogue = load_catalogue()
    if args.routine not in catalogue.routines:
        raise AudioError(f"unknown routine {args.routine!r}; known: {', '.join(catalogue.routines)}")
    engine, why = choose_engine(args.engine)
    print(why, file=sys.stderr)
    result = export_routine(
        catalogue, args.routine, Foot(args.foot), Focus(args.focus), args.file,
        locale=args.locale, engine=engine, tracks_dir=args.out,
    )  # fmt: skip
    print(
        f"wrote {args.file}: {result.duration_s / 60:.1f} min, {len(result.chapters)} chapters, "
        f"{result.bytes / 1e6:.1f} MB",
        file=sys.stderr,
    )
    return 0
