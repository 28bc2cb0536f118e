"""Run the app: gunicorn in production (several workers), Werkzeug for `make run`."""

from __future__ import annotations

import logging
from typing import Any

from heel_coach.settings import Settings

_LOG = logging.getLogger("heelcoach.server")


def serve(settings: Settings, *, dev: bool = False) -> int:
    from heel_coach.web.app import create_app
    from heel_coach.web.logging_setup import configure_logging

    if dev:
        configure_logging(settings.log_level)
        app = create_app(settings, thread_per_request=True)
        _LOG.info(
            "Heel Coach (development server) on http://%s:%d/alexa, database %s",
            settings.host,
            settings.port,
            settings.db_path,
        )
        app.run(host=settings.host, port=settings.port, threaded=True, use_reloader=False)
        return 0
    return _gunicorn(settings)


def _gunicorn(settings: Settings) -> int:
    from gunicorn.app.base import BaseApplication

    # Import the code once in the master (no app, no connections): every forked worker,
    # including one restarted after a crash, starts with it loaded and only builds its app.
    import heel_coach.web.app  # noqa: F401
    from heel_coach.web.logging_setup import logging_config

    class HeelCoachServer(BaseApplication):
        """Each worker builds its own app after fork (no shared SQLite connections).

        Worker model: ``settings.workers`` processes x 4 threads (gthread). Requests are
        short and mostly CPU (JSON, SDK models, SSML) with one SQLite read and write, so a
        few threads per process hide the fsync/lock waits while processes give CPU
        parallelism. SIGTERM is a graceful stop: workers stop accepting and finish in-flight
        requests for up to ``graceful_timeout`` (20 s > Alexa's 8 s budget), then exit.
        Logs: one JSON line per request (``heelcoach.request``), gunicorn's own access line
        for other paths, user ids and tokens redacted (``heel_coach.web.logging_setup``).
        """

        def load_config(self) -> None:
            self.cfg.set("bind", f"{settings.host}:{settings.port}")
            self.cfg.set("workers", settings.workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 4)
            self.cfg.set("graceful_timeout", 20)
            self.cfg.set("timeout", 30)
            self.cfg.set("accesslog", "-")
            self.cfg.set("loglevel", settings.log_level.lower())
            self.cfg.set("logconfig_dict", logging_config(settings.log_level))
            # No runtime control socket: a fixed per-user path would collide between
            # instances (tests, benchmarks) and is an admin surface we do not use.
            self.cfg.set("control_socket_disable", True)

        def load(self) -> Any:
            from heel_coach.web.app import create_app

            return create_app(settings)

    HeelCoachServer().run()
    return 0
