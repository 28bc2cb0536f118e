"""The Flask edge: verify, parse, invoke the skill, and answer JSON. Errors become 400s here.

``create_app(settings)`` builds everything; nothing happens at import time.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ask_sdk_core.skill import CustomSkill
from flask import Flask, Response, abort, jsonify, request, send_from_directory
from werkzeug.exceptions import ClientDisconnected

from heel_coach.assembly import assemble
from heel_coach.catalogue.model import Catalogue
from heel_coach.errors import RequestRejected, StorageError
from heel_coach.persistence.store import UserStore
from heel_coach.settings import Settings
from heel_coach.web.certificates import CertificateFetcher
from heel_coach.web.envelope import (
    check_shape,
    failure_answer,
    log_skill_failure,
    parse_json,
    serialize_response,
    to_envelope,
)
from heel_coach.web.verification import RequestVerifier

_LOG = logging.getLogger("heelcoach.request")
HASHED_MAX_AGE = 365 * 24 * 3600
HEALTH_WRITE_TIMEOUT_MS = 250
"""How long /healthz's write probe waits for another writer's lock before reporting 'locked'."""


@dataclass
class Services:
    """What the app was built with; tests and the console reach in through ``app.extensions``."""

    settings: Settings
    catalogue: Catalogue
    store: UserStore
    skill: CustomSkill
    verifier: RequestVerifier


def create_app(
    settings: Settings | None = None,
    *,
    catalogue: Catalogue | None = None,
    verifier: RequestVerifier | None = None,
    store: UserStore | None = None,
    api_client: Any = None,
    thread_per_request: bool = False,
) -> Flask:
    settings = settings or Settings.from_env()
    assembled = assemble(settings, catalogue=catalogue, store=store, api_client=api_client)
    catalogue, store, skill = assembled.catalogue, assembled.store, assembled.skill
    verifier = verifier or RequestVerifier(
        verify_signatures=settings.verify_signatures,
        verify_timestamps=settings.verify_timestamps,
        skill_ids=settings.skill_ids,
        trust_roots_file=str(settings.trusted_roots_file) if settings.trusted_roots_file else None,
        fetcher=CertificateFetcher(timeout_s=settings.cert_timeout_s),
    )
    app = Flask("heelcoach")
    services = Services(settings, catalogue, store, skill, verifier)
    app.extensions["heelcoach"] = services
    if not settings.verify_signatures:
        _LOG.warning(
            "!!! Alexa request signature verification is OFF: for local use only. "
            "Set HEELCOACH_VERIFY_SIGNATURES=true in production. !!!"
        )

    if thread_per_request:

        @app.teardown_request
        def _release_connection(_: BaseException | None) -> None:
            store.release_thread()

    @app.post("/alexa")
    def alexa() -> tuple[Response, int]:
        return handle_alexa(services)

    @app.get("/healthz")
    def healthz() -> tuple[Response, int]:
        """200 only when the store can be read *and written* (a bounded write probe): a worker
        that can read but not save would lose every user's progress while looking healthy."""
        readable = store.health()
        written = store.write_health(HEALTH_WRITE_TIMEOUT_MS) if readable else "unavailable"
        status = 200 if written == "ok" else 503
        return jsonify(
            status="ok" if status == 200 else "degraded",
            database=written,
            readable=readable,
            writable=written == "ok",
            exercises=len(catalogue.exercises),
            routines=len(catalogue.routines),
        ), status

    @app.get("/audio/<path:name>")
    def audio(name: str) -> Response:
        root = Path(settings.audio_dir).resolve()
        if not name.endswith(".mp3") or not (root / name).resolve().is_relative_to(root):
            abort(404)
        response = send_from_directory(
            root, name, mimetype="audio/mpeg", conditional=True, max_age=HASHED_MAX_AGE
        )
        response.headers["Cache-Control"] = f"public, max-age={HASHED_MAX_AGE}, immutable"
        return response

    @app.errorhandler(404)
    def not_found(_: Exception) -> tuple[Response, int]:
        return jsonify(error="not_found"), 404

    @app.errorhandler(405)
    def not_allowed(_: Exception) -> tuple[Response, int]:
        return jsonify(error="method_not_allowed"), 405

    return app


def handle_alexa(services: Services) -> tuple[Response, int]:
    started = time.perf_counter()
    outcome, request_type, intent = "ok", "-", "-"
    try:
        body = read_body(services.settings.max_body_bytes)
        services.verifier.verify_signature(request.headers, body)  # case-insensitive, no copy
        data = parse_json(body)
        check_shape(data)
        request_type = data["request"]["type"]
        intent = (data["request"].get("intent") or {}).get("name", "-")
        if services.verifier.verify_timestamps:
            services.verifier.verify_timestamp(data)
        services.verifier.verify_application(data)
        envelope = to_envelope(data)
        try:
            response = services.skill.invoke(request_envelope=envelope, context=None)
            payload, status = serialize_response(response), 200
        except StorageError:
            outcome = "storage_error"
            payload, status = failure_answer(request_type), 200
        except Exception as exc:  # the skill's own exception handlers should make this unreachable
            log_skill_failure(_LOG, exc)
            outcome = "skill_error"
            payload, status = failure_answer(request_type), 200
    except RequestRejected as exc:
        outcome = f"rejected:{exc.reason}"
        payload, status = {"error": exc.reason, "detail": exc.detail}, 400
    if _LOG.isEnabledFor(logging.INFO):
        fields = {
            "type": request_type,
            "intent": intent,
            "status": status,
            "outcome": outcome,
            "latency_ms": round((time.perf_counter() - started) * 1000, 1),
        }
        _LOG.info(
            "alexa request type=%(type)s intent=%(intent)s status=%(status)s "
            "outcome=%(outcome)s latency_ms=%(latency_ms)s",
            fields,
            extra={"alexa_fields": fields},
        )
    return jsonify(payload), status


def read_body(limit: int) -> bytes:
    """Read at most ``limit`` + 1 bytes; a larger body is refused without reading it all.

    A declared Content-Length over the cap is refused before reading; a chunked body (no
    Content-Length) is read up to one byte past the cap and refused there.
    """
    length = request.content_length
    if length is not None and length > limit:
        raise RequestRejected("body_too_large", f"request body over {limit} bytes")
    try:
        data = request.stream.read(limit + 1)
    except (OSError, ValueError, ClientDisconnected):
        raise RequestRejected("body_unreadable", "the request body ended early or is badly framed") from None
    if len(data) > limit:
        raise RequestRejected("body_too_large", f"request body over {limit} bytes")
    if not data:
        raise RequestRejected("empty_body", "request body is empty")
    return bytes(data)
