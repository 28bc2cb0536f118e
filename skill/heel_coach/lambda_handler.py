"""AWS Lambda edge: ``heel_coach.lambda_handler.handler`` serves the same skill as the Flask
edge (``heel_coach.assembly.assemble``), the way the ASK SDK's ``SkillBuilder.lambda_handler()``
does: the skill is built once per container, on the first invocation (not at import, so an
import error or a bad setting shows as a failed invocation with its traceback), and each
event is deserialised, invoked and serialised with the SDK's model classes.

Verification. Lambda invocations from the Alexa Skills Kit trigger are not signed: there is no
signature, certificate chain or HTTP body to check. What replaces it:

1. the trigger's skill-id condition (``deploy/template.yaml``, ``SkillId``): Lambda refuses
   invocations from the Alexa service for any other skill;
2. IAM: only principals allowed by the function's resource policy can invoke it at all;
3. this handler checks the application id again against ``HEELCOACH_SKILL_IDS`` (defence in
   depth, and the same check the web edge makes) and checks the request's shape as the web
   edge does, before the SDK sees it.

Timestamps are not checked: they guard a public HTTPS endpoint against replayed requests,
and a Lambda event cannot be replayed by anyone outside the account.

A refused event raises ``RequestRejected`` (the invocation fails and is logged); a failure of
the skill itself (store outage, bug) is answered with the apology, as on the web edge.

Cold start. The build uses what ``make build-SkillFunction`` prepared in the package
(``heel_coach.lambda_package``: the module bundle, the records' recipes, the validated
content), runs without the cycle collector from its first import, and freezes what it made
(``gc.freeze``): everything it creates lives as long as the container, and later collections
need not walk it again. Whatever a request does not reach is imported when one does: handler
modules (``skill_factory``), the engine, statistics and screens (the voice layer).
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heel_coach.assembly import Assembled
    from heel_coach.settings import Settings

__all__ = ["LambdaEdge", "handler"]

_LOG = logging.getLogger("heelcoach.request")
_EDGE: LambdaEdge | None = None
_BUILD_LOCK = threading.Lock()


class LambdaEdge:
    """One assembled skill and the checks of a Lambda event; built once per container."""

    def __init__(self, assembled: Assembled) -> None:
        self.assembled = assembled
        self.settings = assembled.settings

    @classmethod
    def build(cls, settings: Settings | None = None) -> LambdaEdge:
        """Settings from ``HEELCOACH_*`` (the SAM template sets them), then the skill, with the
        content the package was built with when it has a snapshot (``lambda_package``)."""
        from heel_coach.assembly import assemble
        from heel_coach.lambda_package import load_content
        from heel_coach.settings import Settings

        settings = settings or Settings.from_env()
        logging.getLogger("heelcoach").setLevel(settings.log_level)  # Lambda's root logs WARNING+
        content = load_content()
        if content is None:
            return cls(assemble(settings))
        return cls(assemble(settings, catalogue=content.catalogue, prompts=content.prompts))

    def handle(self, event: Any, context: Any) -> dict[str, Any]:
        """Check, deserialise, invoke, serialise: the SDK's lambda handler plus our checks."""
        from heel_coach.errors import RequestRejected, StorageError
        from heel_coach.web.envelope import (
            check_application,
            check_shape,
            failure_answer,
            log_skill_failure,
            serialize_response,
            to_envelope,
        )

        started = time.perf_counter()
        request_type = intent = "-"
        try:
            if not isinstance(event, dict):
                raise RequestRejected("invalid_request", "the event must be a JSON object")
            check_shape(event)
            request_type = event["request"]["type"]
            intent = (event["request"].get("intent") or {}).get("name", "-")
            check_application(event, self.settings.skill_ids)
            envelope = to_envelope(event)
        except RequestRejected as exc:
            self._log(request_type, intent, f"rejected:{exc.reason}", started)
            raise
        outcome = "ok"
        try:
            response = self.assembled.skill.invoke(request_envelope=envelope, context=context)
            payload = serialize_response(response)
        except StorageError:
            outcome, payload = "storage_error", failure_answer(request_type)
        except Exception as exc:  # the skill's own exception handlers should make this unreachable
            log_skill_failure(_LOG, exc)
            outcome, payload = "skill_error", failure_answer(request_type)
        self._log(request_type, intent, outcome, started)
        return payload

    @staticmethod
    def _log(request_type: str, intent: str, outcome: str, started: float) -> None:
        """The same fields as the web edge's request line; never the user or the body."""
        if _LOG.isEnabledFor(logging.INFO):
            latency = round((time.perf_counter() - started) * 1000, 1)
            _LOG.info(
                "alexa request type=%s intent=%s outcome=%s latency_ms=%s",
                request_type,
                intent,
                outcome,
                latency,
            )


def edge() -> LambdaEdge:
    """The container's edge, built on first use (thread-safe, though Lambda runs one event
    at a time per container)."""
    global _EDGE
    if _EDGE is None:
        with _BUILD_LOCK:
            if _EDGE is None:
                collecting = gc.isenabled()
                gc.disable()  # the build only creates what lives as long as the container
                try:
                    from heel_coach import module_bundle

                    module_bundle.install()  # first: the modules below come from it, if it is there
                    from heel_coach import dataclass_cache

                    dataclass_cache.install()  # for good: a later request may import a feature
                    _EDGE = LambdaEdge.build()
                finally:
                    if collecting:
                        gc.enable()
                gc.freeze()  # and later collections need not look at it again
    return _EDGE


def handler(event: Any, context: Any) -> dict[str, Any]:
    """The Lambda entry point (``Handler: heel_coach.lambda_handler.handler``)."""
    return edge().handle(event, context)
