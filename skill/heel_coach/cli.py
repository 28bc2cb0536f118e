"""`heel-coach`: serve, catalog, chat, model, audio, screens. Thin: each command calls a factory."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Sequence

from heel_coach.errors import HeelCoachError

EXIT_ERROR = 2
"""Exit status for an error Heel Coach reports on purpose (bad settings, content, storage)."""

_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="heel-coach", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the skill over HTTP (POST /alexa)")
    serve.add_argument("--dev", action="store_true", help="single-process development server (make run)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)

    catalog = sub.add_parser("catalog", help="print the exercise catalogue")
    catalog.add_argument("--json", action="store_true", help="machine-readable JSON")
    catalog.add_argument("--locale", default="en-US")

    chat = sub.add_parser("chat", help="talk to the skill by typing")
    chat.add_argument("--url", help="a running server's /alexa URL (default: in-process)")
    chat.add_argument("--locale", default="en-US")
    chat.add_argument("--user", help="user id to act as (default: a stable local user)")
    chat.add_argument("--no-audio-player", action="store_true", help="simulate a device without AudioPlayer")
    chat.add_argument("--device-id", help="device id to act as (default: a new one per run)")
    chat.add_argument(
        "--screen",
        nargs="?",
        const="medium",
        metavar="VIEWPORT",
        help="act as a device with a screen (Alexa.Presentation.APL): round-small, landscape-small, "
        "medium (the default), large or tv; shows which document and data it would display",
    )
    chat.add_argument("--api-endpoint", help="Alexa API base URL put in each request (e.g. a local fake)")
    chat.add_argument(
        "--api-token",
        default="console-token",
        help="apiAccessToken Alexa sends before the reminders permission is granted (default: %(default)s)",
    )
    chat.add_argument(
        "--granted-api-token",
        help="apiAccessToken Alexa sends once reminders are allowed (default: the "
        "--api-token followed by -reminders)",
    )
    chat.add_argument(
        "--grant-reminders", action="store_true", help="start with the reminders permission already granted"
    )
    chat.add_argument(
        "--device-time",
        action="store_true",
        help="stamp requests with a simulated clock that moves as an Echo would (see :wait)",
    )
    chat.add_argument(
        "--ca-bundle", help="PEM file of CAs to trust for the Alexa API (in-process only; default: certifi)"
    )
    # The console is a conversation: the skill's log lines stay out of it unless asked for.
    chat.add_argument(
        "--log-level",
        default="WARNING",
        type=str.upper,
        choices=_LOG_LEVELS,
        help="log lines shown on stderr (or written to --log-file) from this level up (default: %(default)s)",
    )
    chat.add_argument("--log-file", help="append log lines to this file instead of stderr")

    model = sub.add_parser("model", help="interaction model: sync slot values from content")
    model.add_argument("action", choices=["sync", "check"])

    content = sub.add_parser("content", help="compiled.json: the parsed content start-up reads")
    content.add_argument("action", choices=["compile", "check"])

    sub.add_parser("settings", help="print the settings in force (HEELCOACH_* variables)")

    package = sub.add_parser("package", help="write the ASK CLI v2 project (skill-package/) for `ask deploy`")
    where = package.add_mutually_exclusive_group(required=True)
    where.add_argument("--endpoint-arn", help="the Lambda function's ARN (SAM output SkillFunctionArn)")
    where.add_argument(
        "--endpoint-url", help="the self-hosted HTTPS endpoint, e.g. https://coach.example.com/alexa"
    )
    package.add_argument(
        "--ssl-certificate-type",
        default="Trusted",
        choices=["Trusted", "Wildcard", "SelfSigned"],
        help="certificate of an HTTPS endpoint (default: %(default)s)",
    )
    package.add_argument("--out", default=".", help="project folder to write (default: the current one)")

    figures = sub.add_parser("figures", help="run routines on a simulated Echo; print issue 9's figures")
    figures.add_argument("--routine", action="append", help="routine id (repeatable; default: all)")
    figures.add_argument("--foot", choices=["both", "left", "right"], default="both")
    figures.add_argument("--returning", action="store_true", help="a user who has done the routine before")
    figures.add_argument(
        "--patient",
        action="store_true",
        help="a device that never stops listening (lengths despite timeouts)",
    )
    figures.add_argument("--locale", default="en-US", help="the language the person and the skill speak")
    figures.add_argument("--json", action="store_true", help="machine-readable JSON")

    from heel_coach.audio_cli.cli import add_parser as add_audio_parser
    from heel_coach.screens_cli.cli import add_parser as add_screens_parser

    add_audio_parser(sub)
    add_screens_parser(sub)

    parser.set_defaults(log_level="INFO", log_file=None)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        filename=args.log_file,
    )
    handler = {
        "serve": _serve,
        "catalog": _catalog,
        "chat": _chat,
        "model": _model,
        "settings": _settings,
        "content": _content,
        "audio": _audio,
        "package": _package,
        "figures": _figures,
        "screens": _screens,
    }[args.command]
    try:
        return handler(args)
    except HeelCoachError as exc:
        # An expected failure (bad setting, invalid content, unreachable store): one line for a
        # person to act on, not a traceback. Anything else is a bug and keeps its traceback.
        print(f"heel-coach {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # `heel-coach catalog --json | head`: the reader left; say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 500 else text[:497] + "..."


def _screens(args: argparse.Namespace) -> int:
    from heel_coach.screens_cli.cli import run

    return run(args)


def _audio(args: argparse.Namespace) -> int:
    from heel_coach.audio_cli.cli import run

    return run(args)


def _package(args: argparse.Namespace) -> int:
    from pathlib import Path

    from heel_coach.skill_package import Endpoint, write_package

    try:
        if args.endpoint_arn:
            endpoint = Endpoint.lambda_arn(args.endpoint_arn)
        else:
            endpoint = Endpoint.https(args.endpoint_url, args.ssl_certificate_type)
    except ValueError as exc:
        print(f"heel-coach package: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    written = write_package(Path(args.out), endpoint)  # ContentError: one line, exit 2 (main)
    for path in written:
        print(path)
    return 0


def _figures(args: argparse.Namespace) -> int:
    from heel_coach.catalogue import load_catalogue
    from heel_coach.console.device_run import Scenario
    from heel_coach.console.figures import as_json, run_scenarios, table
    from heel_coach.locales import choose

    catalogue = load_catalogue()
    routine_ids = args.routine or list(catalogue.routines)
    locale = choose(args.locale, catalogue.locales, catalogue.locales[0])
    scenarios = (Scenario(r, args.foot, args.returning, patient=args.patient) for r in routine_ids)
    results = run_scenarios(scenarios, locale)
    if args.json:
        json.dump([as_json(r) for r in results], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(table(results))
    return 0


def _settings(args: argparse.Namespace) -> int:
    from heel_coach.settings import Settings

    for key, value in Settings.from_env().documented().items():
        print(f"{key}={value}")
    return 0


def _catalog(args: argparse.Namespace) -> int:
    from heel_coach.catalogue import Focus, Routine, load_catalogue
    from heel_coach.catalogue.export import catalogue_as_json
    from heel_coach.engine.plan import Foot, build_plan
    from heel_coach.voice.prompts import load_prompts
    from heel_coach.voice.speech import Speaker

    catalogue = load_catalogue()
    voice = Speaker(catalogue, load_prompts(args.locale), args.locale).voice()

    def total_s(routine: Routine) -> int:
        """The announced length for a first-time user, both feet, sole focus."""
        return round(voice.seconds(build_plan(routine, Foot.BOTH, Focus.SOLE)))

    data = catalogue_as_json(catalogue, total_s, locale=args.locale)
    if args.json:
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    for ex in data["exercises"]:
        figures = ", ".join(
            f"{k} {ex[k][0]}-{ex[k][1]}" for k in ("hold_s", "duration_s", "reps", "sets") if ex.get(k)
        )
        print(f"{ex['id']:<32} {ex['category']:<9} {ex['sides']:<5} {figures}")
    print()
    for r in data["routines"]:
        print(
            f"{r['id']:<18} {r['name']:<28} {r['total_s'] // 60} min {r['total_s'] % 60:02d} s"
            f"  {len(r['exercise_ids'])} exercises"
        )
    return 0


def _content(args: argparse.Namespace) -> int:
    from heel_coach.catalogue import load_catalogue
    from heel_coach.catalogue.compiled import compiled_path, write_compiled

    load_catalogue()  # refuse to compile content the loader rejects
    changed = write_compiled(write=args.action == "compile")
    if args.action == "check" and changed:
        print(f"out of date (run `heel-coach content compile`): {compiled_path()}")
        return 1
    print(f"updated: {compiled_path()}" if changed else "compiled content is up to date")
    return 0


def _model(args: argparse.Namespace) -> int:
    from heel_coach.catalogue import load_catalogue
    from heel_coach.voice.model_sync import language_conflicts, model_path, sync_model

    catalogue = load_catalogue()
    conflicts = language_conflicts(catalogue)
    if conflicts:
        print("one phrase, two intents (models/additions/same_words.yaml says they mean the same):")
        print("\n".join(f"  {line}" for line in conflicts))
        return 1
    changed = []
    for locale in catalogue.locales:
        if sync_model(catalogue, locale, write=args.action == "sync"):
            changed.append(str(model_path(locale)))
    if args.action == "check" and changed:
        print("out of date (run `heel-coach model sync`): " + ", ".join(changed))
        return 1
    print("updated: " + ", ".join(changed) if changed else "interaction models are in sync")
    return 0


def _chat(args: argparse.Namespace) -> int:
    from heel_coach.console.account import Account
    from heel_coach.console.chat import interactive_lines, piped_lines, run
    from heel_coach.console.client import VoiceClient, flask_transport, http_transport
    from heel_coach.console.envelopes import Device
    from heel_coach.console.figures import clips_from_manifest
    from heel_coach.simulator.device import ClipSeconds, no_clips

    clips: ClipSeconds = no_clips
    device = Device(
        locale=args.locale,
        audio_player=not args.no_audio_player,
        user_id=args.user or "amzn1.ask.account.local-console-user",
    )
    if args.screen:
        from heel_coach.screens.viewports import viewport_named

        try:
            device.screen = viewport_named(args.screen).context_viewport()
        except KeyError as exc:
            print(f"heel-coach chat: {exc.args[0]}", file=sys.stderr)
            return EXIT_ERROR
    if args.device_id:
        device.device_id = args.device_id
    if args.api_endpoint:
        device.api_endpoint = args.api_endpoint.rstrip("/")
    account = Account.for_tokens(args.api_token, args.granted_api_token)
    account.granted = args.grant_reminders
    stack = contextlib.ExitStack()
    if args.url:
        if args.ca_bundle:
            print(
                "--ca-bundle only applies in-process; a --url server reads REQUESTS_CA_BUNDLE",
                file=sys.stderr,
            )
        transport = http_transport(args.url)
    else:
        from heel_coach.services.api_client import TimeoutApiClient
        from heel_coach.settings import Settings
        from heel_coach.web.app import create_app

        # Timestamps unchecked so that `:date` can move the conversation to another day.
        settings = Settings.from_env(None, verify_signatures=False, verify_timestamps=False)
        api_client = TimeoutApiClient(timeout_s=settings.api_timeout_s, ca_bundle=args.ca_bundle)
        stack.callback(api_client.close)
        transport = flask_transport(create_app(settings, api_client=api_client))
        clips = clips_from_manifest(settings.audio_dir, args.locale)
    client = VoiceClient.for_locale(transport, args.locale, device=device)
    lines = interactive_lines() if sys.stdin.isatty() else piped_lines(sys.stdin, sys.stdout)
    with stack:
        return run(client, lines, account=account, device_time=args.device_time, clips=clips)


def _serve(args: argparse.Namespace) -> int:
    from heel_coach.settings import Settings
    from heel_coach.web.server import serve

    overrides: dict[str, object] = {}
    if args.host:
        overrides["host"] = args.host
    if args.port:
        overrides["port"] = args.port
    return serve(Settings.from_env(None, **overrides), dev=args.dev)


if __name__ == "__main__":
    raise SystemExit(main())
