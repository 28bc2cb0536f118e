"""One log line carries at most a few KB, whatever the message or traceback; ids stay redacted."""

from __future__ import annotations

import json
import logging
import sys

from heel_coach.web.logging_setup import MAX_FIELD_CHARS, JsonFormatter

USER = "amzn1.ask.account.SECRET-USER-ID"


def recurse(n: int) -> None:
    """Alternates two frames, so Python cannot fold the traceback into "line repeated N times"."""
    if n:
        recurse_too(n - 1)
    raise RecursionError(f"deep, near {USER}")


def recurse_too(n: int) -> None:
    recurse(n)


def record(msg: str, exc: bool = False, **extra: object) -> logging.LogRecord:
    exc_info = None
    if exc:
        try:
            recurse(400)
        except RecursionError:
            exc_info = sys.exc_info()
    made = logging.LogRecord("heelcoach.request", logging.ERROR, __file__, 1, msg, None, exc_info)
    made.__dict__.update(extra)
    return made


def test_a_huge_message_and_traceback_are_cut_to_a_bounded_line() -> None:
    line = JsonFormatter().format(record(USER + " " + "x" * 300_000, exc=True))
    assert len(line) < 3 * MAX_FIELD_CHARS
    data = json.loads(line)
    assert "characters cut" in data["msg"] and "characters cut" in data["exc"]
    assert data["exc"].rstrip().endswith("RecursionError: deep, near amzn1.ask.account.<redacted>")
    assert "SECRET-USER-ID" not in line


def test_request_fields_taken_from_the_body_are_cut_too() -> None:
    fields = {"type": "IntentRequest", "intent": "I" * 200_000, "status": 200}
    line = JsonFormatter().format(record("alexa request", alexa_fields=fields))
    assert len(line) < 2 * MAX_FIELD_CHARS
    assert json.loads(line)["status"] == 200


def test_ordinary_lines_are_untouched() -> None:
    data = json.loads(JsonFormatter().format(record("alexa request type=LaunchRequest")))
    assert data["msg"] == "alexa request type=LaunchRequest"
