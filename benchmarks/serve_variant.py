"""One variant behind a server in its own process (spawned by the harness): gunicorn with one
gthread worker x 4 threads (production's model), or Werkzeug threaded when
HEELCOACH_BENCH_SERVER=werkzeug (a thread per request, like `make run`).

``python -m benchmarks.serve_variant VARIANT PORT WORKDIR [TAG]``. Every variant gets the
same server and thread model, so the difference is the app. ``GET /__stats`` reports this
process's CPU seconds (os.times user+sys) and peak RSS (ru_maxrss), measured server-side.
"""

from __future__ import annotations

import logging
import os
import resource
import sys
from pathlib import Path
from typing import Any

from flask import Response, jsonify

from benchmarks.apps import HEEL, Material, build_app


def main(argv: list[str]) -> int:
    variant, port, workdir = argv[0], int(argv[1]), Path(argv[2])
    tag = argv[3] if len(argv) > 3 else ""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no per-request dev-server lines
    if variant in HEEL:
        # Production logging (one JSON line per request), to a file nobody reads.
        from heel_coach.web.logging_setup import configure_logging

        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
        configure_logging("INFO")
    app = build_app(variant, Material(workdir), tag)

    @app.get("/__stats")
    def stats() -> Response:
        times = os.times()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return jsonify(cpu_s=times.user + times.system, maxrss_kb=usage.ru_maxrss, pid=os.getpid())

    if os.environ.get("HEELCOACH_BENCH_SERVER", "gunicorn") == "werkzeug":
        from werkzeug.serving import make_server

        make_server("127.0.0.1", port, app, threaded=True).serve_forever()
        return 0
    _gunicorn(app, port)
    return 0


def _gunicorn(app: Any, port: int) -> None:
    """Production's model for every variant: one gthread worker x 4 threads (stats = worker)."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in {
                "bind": f"127.0.0.1:{port}",
                "workers": 1,
                "worker_class": "gthread",
                "threads": 4,
                "accesslog": None,
                "control_socket_disable": True,
                "loglevel": "warning",
            }.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    Server().run()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
