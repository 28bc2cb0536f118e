"""Run the app: gunicorn in production (several workers), Werkzeug for `make run`."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from heel_coach.settings import Settings

if TYPE_CHECKING:
    from werkzeug.serving import WSGIRequestHandler

_LOG = logging.getLogger("heelcoach.server")
DRAIN_ALLOWANCE_BYTES = 256 * 1024
"""What the development server may read past the body cap on one connection (headers, chunk
framing, and draining a refused body so the client sees the 400 rather than a reset)."""


def serve(settings: Settings, *, dev: bool = False) -> int:
    from heel_coach.web.app import create_app
    from heel_coach.web.logging_setup import configure_logging

    if dev:
        configure_logging(settings.log_level)
        app = create_app(settings, thread_per_request=True)
        _LOG.info(
            "Heel Coach (development server) on http://%s:%d/alexa, store %s",
            settings.host,
            settings.port,
            settings.db_path if settings.store == "sqlite" else f"DynamoDB {settings.dynamodb_table}",
        )
        app.run(
            host=settings.host,
            port=settings.port,
            threaded=True,
            use_reloader=False,
            request_handler=bounded_request_handler(settings.max_body_bytes),
        )
        return 0
    return _gunicorn(settings)


class _BoundedReader:
    """A connection's input that ends (reads b"") after ``budget`` bytes, whatever is still sent."""

    def __init__(self, raw: Any, budget: int) -> None:
        self._raw = raw
        self._left = budget

    def _size(self, size: int | None) -> int:
        return self._left if size is None or size < 0 else min(size, self._left)

    def read(self, size: int | None = -1) -> bytes:
        data: bytes = self._raw.read(self._size(size)) if self._left > 0 else b""
        self._left -= len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        data: bytes = self._raw.readline(self._size(size)) if self._left > 0 else b""
        self._left -= len(data)
        return data

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")[: max(self._left, 0)]
        count = int(self._raw.readinto(view) or 0) if len(view) else 0
        self._left -= count
        return count

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


def bounded_request_handler(max_body_bytes: int) -> type[WSGIRequestHandler]:
    """Werkzeug's request handler, reading at most the body cap plus an allowance per connection.

    Why: after the app answers, Werkzeug drains whatever body it left unread (up to 10 GB) so
    the client can read the response; a refused 20 MiB chunked body was read whole. gunicorn
    (production) bounds that drain itself; this gives the development server the same bound.
    """
    from werkzeug.serving import WSGIRequestHandler

    budget = max_body_bytes + DRAIN_ALLOWANCE_BYTES

    class BoundedRequestHandler(WSGIRequestHandler):
        def setup(self) -> None:
            super().setup()
            self.rfile = _BoundedReader(self.rfile, budget)  # type: ignore[assignment]

    return BoundedRequestHandler


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
