"""A loopback fake of the Alexa API (Reminders + Settings time zone) for end-to-end tests.

It speaks the documented HTTP protocol on 127.0.0.1 so the skill is exercised the way it
runs for real: it calls whatever ``context.System.apiEndpoint`` says, with
``Authorization: Bearer <apiAccessToken>``. HTTPS when given a cert/key (see ``pki.py``).

Faithfulness notes: paths, methods, auth, body shapes and status codes follow the Reminders
API reference and ask-sdk-model's generated clients. The API's own error ``code`` strings
for validation failures are not all documented; the ones used here are marked below.
"""

from __future__ import annotations

import copy
import json
import re
import socket
import ssl
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["REMINDERS_SCOPE", "FakeAlexaApi", "RecordedRequest", "https_fake", "tls_files"]

REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
_REMINDERS = "/v1/alerts/reminders"
_TZ_PATH = re.compile(r"^/v2/devices/([^/]+)/settings/System\.timeZone$")
# Local wall-clock ISO-8601, no zone suffix: a trailing Z or offset is rejected (documented
# pitfall; code name from a 3rd-party report, so UNCONFIRMED).
_LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$")
_RULE_KEYS = {"FREQ", "BYDAY", "BYHOUR", "BYMINUTE", "BYSECOND", "INTERVAL", "COUNT", "UNTIL"}
_DAYS = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

TOKEN = "in-session-token"
"""The access token tests grant by default."""


class _Reject(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class RecordedRequest:
    """What the fake received, for body-shape asserts."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class _Fault:
    prefix: str
    status: int
    code: str
    message: str
    remaining: int


@dataclass
class _State:
    tokens: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    reminders: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    time_zones: dict[str, str] = field(default_factory=dict)
    faults: list[_Fault] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class FakeAlexaApi:
    """Threaded HTTP(S) server on 127.0.0.1 implementing the Alexa API subset we use.

    Use as a context manager. ``grant(token, scopes)`` issues tokens; reminders are stored
    per user (tokens granted with the same ``user_id`` share them). Inject failures with
    ``fail_next`` / ``delay_next``; inspect with ``reminders_for`` and ``requests``.
    """

    def __init__(
        self,
        certfile: str | Path | None = None,
        keyfile: str | Path | None = None,
        *,
        port: int = 0,
        default_time_zone: str | None = None,
    ):
        self._port = port
        # The zone of any device without its own (the runnable fake); None answers 204.
        self._default_zone = default_time_zone
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._state = _State()
        self._tls: ssl.SSLContext | None = None
        if certfile is not None:
            self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._tls.load_cert_chain(str(certfile), str(keyfile) if keyfile else None)
        self._server: _Server | None = None
        self.errors: list[Exception] = []
        """Unexpected exceptions inside the fake itself (should stay empty)."""
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------
    def __enter__(self) -> FakeAlexaApi:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        self._server = _Server(("127.0.0.1", self._port), _Handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-alexa-api",
            daemon=True,
        )
        self._thread.start()

    def close(self) -> None:
        """Stop serving, wake delayed handlers, cut keep-alive connections, join threads."""
        if self._server is None:
            return
        self._closing.set()
        self._server.shutdown()
        self._server.cut_connections()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None

    @property
    def endpoint(self) -> str:
        """Base URL to put in ``context.System.apiEndpoint``."""
        if self._server is None:
            raise RuntimeError("FakeAlexaApi is not running")
        scheme = "https" if self._tls else "http"
        return f"{scheme}://127.0.0.1:{self._server.server_address[1]}"

    # --- test controls ---------------------------------------------------------------
    def grant(
        self,
        token: str,
        scopes: Iterable[str] = (REMINDERS_SCOPE,),
        *,
        user_id: str | None = None,
    ) -> str:
        """Accept ``token`` as an apiAccessToken with these granted permission scopes."""
        with self._lock:
            self._state.tokens[token] = (user_id or f"user-of-{token}", frozenset(scopes))
        return token

    def set_time_zone(self, device_id: str, time_zone: str | None) -> None:
        """Set (or with None clear) a device's System.timeZone setting."""
        with self._lock:
            if time_zone is None:
                self._state.time_zones.pop(device_id, None)
            else:
                self._state.time_zones[device_id] = time_zone

    def fail_next(self, path_prefix: str, status: int, code: str, times: int = 1, message: str = "") -> None:
        """Answer the next ``times`` requests under ``path_prefix`` with {code, message}."""
        with self._lock:
            self._state.faults.append(_Fault(path_prefix, status, code, message or f"injected {code}", times))

    def delay_next(self, seconds: float, times: int = 1) -> None:
        """Hold the next ``times`` requests for ``seconds`` (cut short when the fake closes)."""
        with self._lock:
            self._state.delays.extend([seconds] * times)

    def reminders_for(self, token: str) -> list[dict[str, Any]]:
        """Stored reminder objects (GET shape) of the user behind ``token``."""
        with self._lock:
            user = self._state.tokens[token][0]
            return [copy.deepcopy(r) for r in self._state.reminders.get(user, {}).values()]

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._state.requests)

    # --- request handling (called from handler threads) -----------------------------
    def _pre(self, recorded: RecordedRequest) -> tuple[float, _Fault | None]:
        with self._lock:
            self._state.requests.append(recorded)
            delay = self._state.delays.pop(0) if self._state.delays else 0.0
            for fault in self._state.faults:
                if recorded.path.startswith(fault.prefix) and fault.remaining > 0:
                    fault.remaining -= 1
                    return delay, fault
            return delay, None

    def handle(self, recorded: RecordedRequest) -> tuple[int, Any]:
        """Return (status, JSON-able body or None) for one request."""
        delay, fault = self._pre(recorded)
        if delay:
            self._closing.wait(delay)
        if fault is not None:
            return fault.status, {"code": fault.code, "message": fault.message}
        try:
            return self._route(recorded)
        except _Reject as rej:
            return rej.status, {"code": rej.code, "message": rej.message}
        except Exception as exc:  # a bug in the fake: answer 500 and keep it for asserts
            with self._lock:
                self.errors.append(exc)
            return 500, {"code": "INTERNAL_SERVER_ERROR", "message": repr(exc)}

    def _user(self, recorded: RecordedRequest, scope: str | None) -> str:
        auth = recorded.headers.get("authorization", "")
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else ""
        with self._lock:
            grant = self._state.tokens.get(token)
        if grant is None:
            raise _Reject(
                401,
                "INVALID_TOKEN" if scope is None else "UNAUTHORIZED",
                "The authentication token is malformed or invalid.",
            )
        user, scopes = grant
        if scope is not None and scope not in scopes:
            # ask-sdk-model: 401 "UserAuthenticationException ... does not have permission"
            raise _Reject(401, "UNAUTHORIZED", "Request is not authorized/authenticated.")
        return user

    def _route(self, rec: RecordedRequest) -> tuple[int, Any]:
        path = urlsplit(rec.path).path
        tz = _TZ_PATH.match(path)
        if tz:
            if rec.method != "GET":
                raise _Reject(405, "METHOD_NOT_ALLOWED", rec.method)
            self._user(rec, None)
            with self._lock:
                zone = self._state.time_zones.get(unquote(tz.group(1)), self._default_zone)
            return (200, zone) if zone is not None else (204, None)
        if path == _REMINDERS:
            user = self._user(rec, REMINDERS_SCOPE)
            if rec.method == "POST":
                return 200, self._store(user, None, _validate(rec))
            if rec.method == "GET":
                with self._lock:
                    stored = self._state.reminders.get(user, {}).values()
                    alerts = [copy.deepcopy(r) for r in stored]
                return 200, {"totalCount": str(len(alerts)), "alerts": alerts, "links": None}
            raise _Reject(405, "METHOD_NOT_ALLOWED", rec.method)
        if path.startswith(_REMINDERS + "/") and path.count("/") == 4:
            user = self._user(rec, REMINDERS_SCOPE)
            token = unquote(path.rsplit("/", 1)[1])
            with self._lock:
                existing = self._state.reminders.get(user, {}).get(token)
            if existing is None:
                raise _Reject(404, "ALERT_NOT_FOUND", f"No reminder {token}")  # code UNCONFIRMED
            if rec.method == "GET":
                return 200, copy.deepcopy(existing)
            if rec.method == "PUT":
                return 200, self._store(user, token, _validate(rec))
            if rec.method == "DELETE":
                with self._lock:
                    self._state.reminders[user].pop(token, None)
                return 200, None
            raise _Reject(405, "METHOD_NOT_ALLOWED", rec.method)
        raise _Reject(404, "NOT_FOUND", f"No such resource: {path}")

    def _store(self, user: str, token: str | None, body: dict[str, Any]) -> dict[str, Any]:
        now = _now()
        with self._lock:
            mine = self._state.reminders.setdefault(user, {})
            if token is None:
                token = f"amzn1.alexa.alert.{uuid.uuid4()}"
                created, version = now, 1
            else:
                created, version = mine[token]["createdTime"], int(mine[token]["version"]) + 1
            stored = mine[token] = {
                "alertToken": token,
                "createdTime": created,
                "updatedTime": now,
                "status": "ON",
                "trigger": body["trigger"],
                "alertInfo": body["alertInfo"],
                "pushNotification": body.get("pushNotification", {"status": "ENABLED"}),
                "version": str(version),
            }
            keys = ("alertToken", "createdTime", "updatedTime", "status", "version")
            return {**{k: stored[k] for k in keys}, "href": f"{_REMINDERS}/{token}"}


# --- body validation ----------------------------------------------------------------
# Status 400 is documented; the INVALID_* code names below are this fake's choice.


def _bad(code: str, message: str) -> _Reject:
    return _Reject(400, code, message)


def _local_time(value: Any, field_name: str) -> None:
    if not isinstance(value, str) or not _LOCAL_TIME.match(value):
        raise _bad(
            "INVALID_TRIGGER_SCHEDULED_TIME_FORMAT",
            f"{field_name} must be local ISO-8601 without a zone suffix: {value!r}",
        )


def _check_rule(rule: Any) -> None:
    if not isinstance(rule, str):
        raise _bad("INVALID_RECURRENCE_RULE", f"not a string: {rule!r}")
    parts: dict[str, str] = {}
    for part in filter(None, rule.split(";")):
        key, sep, value = part.partition("=")
        if not sep or key not in _RULE_KEYS or not value:
            raise _bad("INVALID_RECURRENCE_RULE", f"bad rule part {part!r}")
        parts[key] = value
    if parts.get("FREQ") not in {"DAILY", "WEEKLY"}:
        raise _bad("INVALID_RECURRENCE_RULE", f"FREQ must be DAILY or WEEKLY: {rule!r}")
    if "BYDAY" in parts and not set(parts["BYDAY"].split(",")) <= _DAYS:
        raise _bad("INVALID_RECURRENCE_RULE", f"bad BYDAY in {rule!r}")
    limits = {"BYHOUR": 23, "BYMINUTE": 59, "BYSECOND": 59}
    for key, top in limits.items():
        if key in parts and not (parts[key].isdigit() and int(parts[key]) <= top):
            raise _bad("INVALID_RECURRENCE_RULE", f"bad {key} in {rule!r}")
    if "INTERVAL" in parts and not (parts["INTERVAL"].isdigit() and int(parts["INTERVAL"]) > 0):
        raise _bad("INVALID_RECURRENCE_RULE", f"bad INTERVAL in {rule!r}")


def _validate(rec: RecordedRequest) -> dict[str, Any]:
    if "json" not in rec.headers.get("content-type", ""):
        raise _bad("INVALID_REQUEST", "Content-Type must be application/json")
    try:
        body = json.loads(rec.body)
    except ValueError as exc:
        raise _bad("INVALID_REQUEST", "body is not JSON") from exc
    if not isinstance(body, dict):
        raise _bad("INVALID_REQUEST", "body must be a JSON object")
    if "requestTime" in body:
        _local_time(body["requestTime"], "requestTime")
    trigger = body.get("trigger")
    if not isinstance(trigger, dict):
        raise _bad("INVALID_TRIGGER", "trigger is required")
    kind = trigger.get("type")
    if kind == "SCHEDULED_RELATIVE":
        if not isinstance(trigger.get("offsetInSeconds"), int):
            raise _bad("INVALID_TRIGGER", "offsetInSeconds is required for SCHEDULED_RELATIVE")
    elif kind == "SCHEDULED_ABSOLUTE":
        recurrence = trigger.get("recurrence")
        if recurrence is None:
            _local_time(trigger.get("scheduledTime"), "scheduledTime")
        elif not isinstance(recurrence, dict):
            raise _bad("INVALID_TRIGGER", "recurrence must be an object")
        elif "recurrenceRules" in recurrence:
            _local_time(recurrence.get("startDateTime"), "startDateTime")
            if "endDateTime" in recurrence:
                _local_time(recurrence["endDateTime"], "endDateTime")
            rules = recurrence["recurrenceRules"]
            if not isinstance(rules, list) or not rules:
                raise _bad("INVALID_RECURRENCE_RULE", "recurrenceRules must be a non-empty list")
            for rule in rules:
                _check_rule(rule)
        else:  # deprecated freq/byDay form
            _local_time(trigger.get("scheduledTime"), "scheduledTime")
            if recurrence.get("freq") not in {"DAILY", "WEEKLY"}:
                raise _bad("INVALID_RECURRENCE_RULE", "recurrence.freq must be DAILY or WEEKLY")
    else:
        raise _bad("INVALID_TRIGGER", f"unknown trigger type {kind!r}")
    zone = trigger.get("timeZoneId")
    if zone is not None:
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise _bad("INVALID_TIMEZONE_ID", f"unknown timeZoneId {zone!r}") from exc
    content = ((body.get("alertInfo") or {}).get("spokenInfo") or {}).get("content")
    if (
        not isinstance(content, list)
        or not content
        or not all(
            isinstance(c, dict) and c.get("locale") and (c.get("text") or c.get("ssml")) for c in content
        )
    ):
        raise _bad("INVALID_ALERT_INFO", "alertInfo.spokenInfo.content needs locale + text")
    push = body.get("pushNotification")
    if push is not None and (not isinstance(push, dict) or push.get("status") not in {"ENABLED", "DISABLED"}):
        raise _bad("INVALID_PUSH_NOTIFICATION_STATUS", "pushNotification.status is invalid")
    return body


# --- HTTP plumbing ----------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = False  # joined on close so nothing outlives the test
    block_on_close = True

    def __init__(self, address: tuple[str, int], handler: type, api: FakeAlexaApi) -> None:
        self.api = api
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        super().__init__(address, handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        """TLS handshake here, in the worker thread, so a slow client blocks nobody else."""
        conn: socket.socket = request
        with self._conns_lock:
            self._conns.add(request)  # so close() can cut even a stalled handshake
        try:
            tls = self.api._tls
            if tls is not None:
                conn = tls.wrap_socket(request, server_side=True)
                with self._conns_lock:
                    self._conns.add(conn)
            _Handler(conn, client_address, self)
        finally:
            with self._conns_lock:
                self._conns.discard(request)
                self._conns.discard(conn)
            if conn is not request:
                conn.close()

    def cut_connections(self) -> None:
        with self._conns_lock:
            conns = list(self._conns)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that time out and hang up are expected here; stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging."""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        recorded = RecordedRequest(
            method=self.command,
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        status, payload = self.server.api.handle(recorded)
        data = b"" if payload is None else json.dumps(payload).encode("utf-8")
        try:
            self.send_response(status)
            if data:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if data:
                self.wfile.write(data)
        except OSError:
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve


def tls_files(directory: str | Path) -> tuple[Path, Path, Path]:
    """(cert chain, key, CA bundle) for 127.0.0.1/localhost from the shared test PKI.

    Key generation costs ~0.5 s, so build once per module and pass the paths to each fake.
    """
    from tests.fakes.pki import TestPKI  # local: keeps plain-HTTP users free of key generation

    pki = TestPKI("Fake Alexa API")
    leaf = pki.issue_leaf(["localhost"], ["127.0.0.1"])
    cert, key = leaf.write(directory, "fake-alexa-api")
    bundle = pki.write_ca_bundle(Path(directory) / "fake-alexa-api-ca.pem")
    return cert, key, bundle


def https_fake(directory: str | Path) -> tuple[FakeAlexaApi, Path]:
    """A not-yet-started HTTPS fake plus the CA bundle that trusts it."""
    cert, key, bundle = tls_files(directory)
    return FakeAlexaApi(cert, key), bundle


if __name__ == "__main__":  # `python -m tests.fakes.alexa_api`: serve until SIGINT/SIGTERM
    from tests.fakes.alexa_api_main import main

    raise SystemExit(main())
