"""Run the app: gunicorn in production (several workers), Werkzeug for `make run`."""

from __future__ import annotations

import logging
from typing import Any

from skill.settings import Settings

_LOG = logging.getLogger("heelcoach.server")


def serve(settings: Settings, *, dev: bool = False) -> int:
    from skill.web.app import create_app

    if dev:
        app = create_app(settings)
        _LOG.info("Heel Coach (development server) on http://%s:%d/alexa, database %s",
                  settings.host, settings.port, settings.db_path)
        app.run(host=settings.host, port=settings.port, threaded=True, use_reloader=False)
        return 0
    return _gunicorn(settings)


def _gunicorn(settings: Settings) -> int:
    from gunicorn.app.base import BaseApplication

    class HeelCoachServer(BaseApplication):  # type: ignore[misc]
        """Each worker builds its own app after fork (no shared SQLite connections)."""

        def load_config(self) -> None:
            self.cfg.set("bind", f"{settings.host}:{settings.port}")
            self.cfg.set("workers", settings.workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 4)
            self.cfg.set("graceful_timeout", 20)
            self.cfg.set("timeout", 30)
            self.cfg.set("accesslog", None)

        def load(self) -> Any:
            from skill.web.app import create_app

            return create_app(settings)

    HeelCoachServer().run()
    return 0
