"""Check that a body is a well-formed Alexa request for this skill before the SDK sees it.

The SDK's deserializer accepts almost anything and fails late with odd exceptions; we
reject early with a clear reason so a malformed request is a 400 (on Lambda: a refused
invocation), never a 500. Shared by both edges, so nothing here imports Flask or crypto.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Collection, Mapping
from functools import lru_cache
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import Request, RequestEnvelope

from heel_coach.errors import RequestRejected, VerificationError
from heel_coach.web.model_decoder import ModelDecoder
from heel_coach.web.model_encoder import ModelEncoder

SDK_SERIALIZER = False
"""True: decode requests and encode responses with ask-sdk-core's own ``DefaultSerializer``
instead of our cached ``ModelDecoder``/``ModelEncoder`` (same objects and JSON, several times
slower). The one-line switch back when an SDK upgrade breaks
tests/contract/test_contract_sdk_serializer.py, the contract that our codecs equal the SDK's;
with it on, nothing reads the SDK's private decoding method."""

_SERIALIZER = DefaultSerializer()
_ENVELOPE_SPEC = "ask_sdk_model.request_envelope.RequestEnvelope"
KNOWN_REQUEST_TYPES = frozenset(Request.discriminator_value_class_map)
MAX_JSON_DEPTH = 64
"""Deepest nesting accepted. Alexa's requests nest about 8 levels; hundreds of levels only
make the SDK's recursive model code fail late (a RecursionError hundreds of frames long)."""
APOLOGY = {
    "version": "1.0",
    "response": {
        "outputSpeech": {
            "type": "PlainText",
            "text": "Sorry, something went wrong on my side. Please try again.",
        },
        "shouldEndSession": True,
    },
}
"""The answer when the skill itself failed (a store outage, a bug), on every edge."""
SILENT = {"version": "1.0", "response": {}}
"""The answer to a failed request Alexa accepts no speech for (AudioPlayer, PlaybackController...)."""


def failure_answer(request_type: str) -> dict[str, Any]:
    """The answer when the skill itself failed (a store outage, a bug), on every edge: the spoken
    apology, or an empty response where Alexa rejects speech (AudioPlayer, PlaybackController,
    System, session end)."""
    from heel_coach.voice.handlers.errors import answers_silently  # only on a failure

    return copy.deepcopy(SILENT if answers_silently(request_type) else APOLOGY)


def log_skill_failure(log: logging.Logger, exc: BaseException) -> None:
    """Type and place at ERROR, the traceback at DEBUG: a traceback can be huge (a deeply nested
    body once made a RecursionError hundreds of frames long) and can quote request data."""
    from heel_coach.voice.handlers.errors import raised_at  # only on a failure

    log.error("skill.invoke failed: unhandled %s at %s", type(exc).__name__, raised_at(exc))
    log.debug("skill.invoke failure detail", exc_info=exc)


def parse_json(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise RequestRejected("invalid_json", f"body is not UTF-8 JSON: {exc}") from None
    if not isinstance(data, dict):
        raise RequestRejected("invalid_request", "body must be a JSON object")
    if json_depth(data, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise RequestRejected("nested_too_deep", f"body nests objects or arrays over {MAX_JSON_DEPTH} levels")
    return data


def json_depth(value: Any, stop_after: int) -> int:
    """Nesting depth of parsed JSON (a scalar is 0), counted without recursion; the count stops
    once it passes ``stop_after``."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > stop_after:
                break
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def check_shape(data: dict[str, Any]) -> None:
    """The fields every Alexa request carries, with the right JSON types."""
    if not isinstance(data.get("version"), str):
        raise RequestRejected("invalid_request", "missing or non-string 'version'")
    request = data.get("request")
    if not isinstance(request, dict):
        raise RequestRejected("invalid_request", "missing 'request' object")
    for key in ("type", "requestId"):
        if not isinstance(request.get(key), str) or not request.get(key):
            raise RequestRejected("invalid_request", f"missing or non-string 'request.{key}'")
    if not isinstance(request.get("timestamp"), str | int) or isinstance(request.get("timestamp"), bool):
        raise RequestRejected("invalid_request", "missing 'request.timestamp'")
    if request["type"] not in KNOWN_REQUEST_TYPES:
        raise RequestRejected("unsupported_request_type", f"unknown request type {request['type']!r}")
    if "locale" in request and not isinstance(request["locale"], str):
        raise RequestRejected("invalid_request", "'request.locale' must be a string")
    context = data.get("context")
    system = context.get("System") if isinstance(context, dict) else None
    if not isinstance(system, dict):
        raise RequestRejected("invalid_request", "missing 'context.System'")
    user = system.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("userId"), str) or not user["userId"]:
        raise RequestRejected("invalid_request", "missing 'context.System.user.userId'")
    session = data.get("session")
    if session is not None:
        if not isinstance(session, dict):
            raise RequestRejected("invalid_request", "'session' must be an object")
        attributes = session.get("attributes")
        if attributes is not None and not isinstance(attributes, dict):
            raise RequestRejected("invalid_request", "'session.attributes' must be an object")
    if request["type"] == "IntentRequest":
        intent = request.get("intent")
        if not isinstance(intent, dict) or not isinstance(intent.get("name"), str):
            raise RequestRejected("invalid_request", "IntentRequest without 'intent.name'")
        slots = intent.get("slots")
        if slots is not None and not (
            isinstance(slots, dict) and all(isinstance(v, dict) for v in slots.values())
        ):
            raise RequestRejected("invalid_request", "'intent.slots' must map names to objects")


def check_application(data: Mapping[str, Any], skill_ids: Collection[str]) -> None:
    """Every application id in the envelope must be one of ours (when ids are configured)."""
    if not skill_ids:
        return
    found = [
        app_id
        for app_id in (
            _dig(data, "context", "System", "application", "applicationId"),
            _dig(data, "session", "application", "applicationId"),
        )
        if app_id is not None
    ]
    if not found or any(app_id not in skill_ids for app_id in found):
        raise VerificationError("unknown_skill_id", "The request is not addressed to this skill.")


def _dig(value: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def to_envelope(data: dict[str, Any]) -> RequestEnvelope:
    try:
        envelope = _deserialize(data)
    except (SerializationException, ValueError, TypeError, AttributeError, KeyError) as exc:
        raise RequestRejected("invalid_request", f"not an Alexa request: {exc}") from None
    if not isinstance(envelope, RequestEnvelope) or envelope.request is None:
        raise RequestRejected("invalid_request", "not an Alexa request")
    return envelope


@lru_cache(maxsize=1)
def _decoder() -> ModelDecoder:
    return ModelDecoder(_SERIALIZER)


@lru_cache(maxsize=1)
def _encoder() -> ModelEncoder:
    return ModelEncoder(_SERIALIZER)


def _deserialize(data: dict[str, Any]) -> Any:
    """The SDK's model objects, built by the cached decoder (see ``model_decoder``)."""
    if SDK_SERIALIZER:
        return _SERIALIZER.deserialize(json.dumps(data), RequestEnvelope)
    return _decoder().decode(data, _ENVELOPE_SPEC)


def serialize_response(response: object) -> dict[str, Any]:
    result = _SERIALIZER.serialize(response) if SDK_SERIALIZER else _encoder().encode(response)
    if not isinstance(result, dict):
        raise TypeError("a response envelope serialises to a JSON object")
    return result
