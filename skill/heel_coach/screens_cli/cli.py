"""`heel-coach screens`: render every sample screen at every viewport with apl-viewhost-web."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    screens = sub.add_parser(
        "screens", help="render every screen at every viewport (apl-viewhost-web in headless Chromium)"
    )
    screens.add_argument(
        "--out", type=Path, default=Path("build/screens"), help="PNG folder (default: %(default)s)"
    )
    screens.add_argument(
        "--screen", action="append", help="only this sample (repeatable), e.g. exercise-hold"
    )
    screens.add_argument(
        "--viewport", action="append", help="only this viewport (repeatable), e.g. round-small"
    )
    screens.add_argument("--locale", default="en-US")


def run(args: argparse.Namespace) -> int:
    from heel_coach.catalogue import load_catalogue
    from heel_coach.screens import tooling
    from heel_coach.screens.samples import samples
    from heel_coach.screens.viewports import VIEWPORTS, viewport_named
    from heel_coach.voice.prompts import load_prompts

    chosen = samples(load_catalogue(), load_prompts(args.locale), args.locale)
    if args.screen:
        chosen = [s for s in chosen if s.name in args.screen]
    if not chosen:
        print("heel-coach screens: no such screen sample", file=sys.stderr)
        return 2
    viewports = [viewport_named(n) for n in args.viewport] if args.viewport else list(VIEWPORTS)
    try:
        rendered = tooling.render(chosen, viewports, args.out)
    except tooling.ToolMissing as exc:
        print(f"heel-coach screens: cannot render: {exc}", file=sys.stderr)
        return 1
    problems = 0
    for r in rendered:
        note = ""
        if r.core_errors:
            problems += 1
            note = f"  APL errors: {'; '.join(r.core_errors[:3])}"
        if r.blocked_requests:
            note += f"  ({len(r.blocked_requests)} network requests refused)"
        print(f"{r.file}{note}")
    print(f"{len(rendered)} screenshots in {args.out}")
    return 1 if problems else 0
