"""``python -m tests.fakes.alexa_api``: the fake Alexa API as a process, for `heel-coach chat`.

Serves HTTPS on 127.0.0.1 with a throwaway CA, prints one ``key=value`` fact per line on
stdout (``endpoint``, ``ca_bundle``, ``token``, ``granted_token``, ``time_zone``, then
``ready``), and serves until SIGINT or SIGTERM, exiting 0.

Token model, as Alexa issues them: ``token`` carries no reminders scope (the user has not
allowed reminders); ``granted_token`` (``token`` + ``-reminders``) is the new
apiAccessToken Alexa sends once the user consents. Both belong to one user, so reminders
survive the switch. Every device reads ``--time-zone`` from the Settings API.

Reminders can be read from outside with ``GET <endpoint>/v1/alerts/reminders`` and
``Authorization: Bearer <granted_token>``, trusting ``ca_bundle``.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import threading
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from types import FrameType

from tests.fakes.alexa_api import REMINDERS_SCOPE, FakeAlexaApi, tls_files

GRANTED_SUFFIX = "-reminders"  # the console's default for --granted-api-token agrees
USER = "console-user"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fakes.alexa_api",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free one)")
    parser.add_argument("--time-zone", default="Europe/Berlin", help="System.timeZone of every device")
    parser.add_argument("--token", default="console-token", help="apiAccessToken without the scope")
    parser.add_argument(
        "--state-dir",
        type=Path,
        help="where to write the TLS files and CA bundle (default: a temporary folder)",
    )
    args = parser.parse_args(argv)

    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    with ExitStack() as stack:
        if args.state_dir is None:
            state_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="fake-alexa-")))
        else:
            state_dir = args.state_dir
            state_dir.mkdir(parents=True, exist_ok=True)
        cert, key, bundle = tls_files(state_dir)
        api = stack.enter_context(FakeAlexaApi(cert, key, port=args.port, default_time_zone=args.time_zone))
        granted = args.token + GRANTED_SUFFIX
        api.grant(args.token, scopes=(), user_id=USER)
        api.grant(granted, scopes=(REMINDERS_SCOPE,), user_id=USER)
        facts = {
            "endpoint": api.endpoint,
            "ca_bundle": str(bundle.resolve()),
            "token": args.token,
            "granted_token": granted,
            "time_zone": args.time_zone,
        }
        for name, value in facts.items():
            print(f"{name}={value}")
        print("ready", flush=True)
        print(
            f"Fake Alexa API ready. In another terminal:\n  heel-coach chat --api-endpoint "
            f"{api.endpoint} --ca-bundle {facts['ca_bundle']}\nCtrl-C stops it.",
            file=sys.stderr,
            flush=True,
        )
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
