"""Production logging: one JSON object per line, with user identifiers redacted.

Why JSON: log shippers parse it without regexes, and the per-request line of
``heelcoach.request`` (``alexa request type=.. intent=.. status=.. outcome=.. latency_ms=..``)
becomes queryable fields. Why redaction: some messages quote storage errors, which name the
Alexa userId; an Alexa userId, deviceId, consent token or API access token must never reach a
log at any level, so the formatter scrubs the final text (message and traceback alike).

``logging_config(level)`` is a ``dictConfig`` dict: gunicorn takes it as ``logconfig_dict``
(so its own ``gunicorn.error`` / ``gunicorn.access`` loggers go through the same formatter),
and ``configure_logging(level)`` applies it for the development server and tools.
"""

from __future__ import annotations

import json
import logging
import logging.config
import re
import time
from typing import Any

__all__ = ["JsonFormatter", "SkipAlexaAccess", "cap", "configure_logging", "logging_config", "redact"]

_REDACTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"amzn1\.ask\.(account|person|device)\.[A-Za-z0-9._\-]+"), r"amzn1.ask.\1.<redacted>"),
    (re.compile(r"eyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*"), "<token>"),
    (
        re.compile(r"""((?:consent|apiAccess|access)Token["']?\s*[:=]\s*["']?)[^"',\s}]+""", re.I),
        r"\1<redacted>",
    ),
)
# Every pattern above needs one of these (lower-cased); most lines have none and skip the regexes.
_TELLTALES = ("amzn1.", "eyj", "token")
_REQUEST_LOGGER = "heelcoach.request"
MAX_FIELD_CHARS = 4096
"""Most a message or a traceback may put on one log line: a RecursionError from a body nested
hundreds of levels deep once printed a 300 KB traceback per request."""
_ACCESS_LOGGER = "gunicorn.access"


def redact(text: str) -> str:
    """Replace user ids, device ids and tokens; everything else is kept verbatim."""
    lowered = text.lower()
    if not any(telltale in lowered for telltale in _TELLTALES):
        return text
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    return text


def cap(text: str, limit: int = MAX_FIELD_CHARS) -> str:
    """``text`` cut to about ``limit`` characters: its start and its end (where a traceback
    names the error), with how much was left out in between."""
    if len(text) <= limit:
        return text
    head, tail = limit // 4, limit - limit // 4
    return f"{text[:head]}\n... [{len(text) - head - tail} characters cut] ...\n{text[-tail:]}"


def _number(value: str) -> Any:
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "pid", "msg", ...fields}``; request lines get parsed fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
        }
        if record.name == _ACCESS_LOGGER and isinstance(record.args, dict):
            out.update(self._access_fields(record.args))
        else:
            fields = getattr(record, "alexa_fields", None)
            if record.name == _REQUEST_LOGGER and isinstance(fields, dict):
                out["msg"] = "alexa request"  # the fields are the message
                out.update(fields)
            else:
                out["msg"] = record.getMessage()
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        for key, value in out.items():  # every field, e.g. an intent name taken from the body
            if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
                out[key] = cap(redact(value))  # redacted before cutting: no half user id survives
        return redact(json.dumps(out, ensure_ascii=False, default=str))

    @staticmethod
    def _access_fields(atoms: dict[str, Any]) -> dict[str, Any]:
        """gunicorn's access atoms: method, path (no query string), status, latency."""
        fields = {
            "msg": "http request",
            "method": atoms.get("m"),
            "path": atoms.get("U"),
            "status": _number(str(atoms.get("s"))),
            "bytes": atoms.get("B"),
        }
        micros = atoms.get("D")
        if isinstance(micros, int | str) and str(micros).isdigit():
            fields["latency_ms"] = round(int(micros) / 1000, 1)
        return fields


class SkipAlexaAccess(logging.Filter):
    """Drop gunicorn's access line for POST /alexa: ``heelcoach.request`` already logs it."""

    def filter(self, record: logging.LogRecord) -> bool:
        atoms = record.args
        return not (isinstance(atoms, dict) and atoms.get("U") == "/alexa")


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """dictConfig for root, gunicorn.error and gunicorn.access: one JSON stream on stderr."""
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "filters": {"skip_alexa": {"()": SkipAlexaAccess}},
        "handlers": {
            "json": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        },
        "root": {"level": level, "handlers": ["json"]},
        "loggers": {
            # Handlers are cleared and records propagate to root's single JSON handler.
            "gunicorn.error": {"level": level, "handlers": [], "propagate": True},
            "gunicorn.access": {
                "level": "INFO",
                "handlers": [],
                "propagate": True,
                "filters": ["skip_alexa"],
            },
        },
    }


def configure_logging(level: str = "INFO") -> None:
    """Apply :func:`logging_config` to this process (replaces basicConfig's handler)."""
    logging.config.dictConfig(logging_config(level))
