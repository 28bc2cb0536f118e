"""THE contract that guards an ask-sdk upgrade: our cached codecs equal the SDK's DefaultSerializer.

``web/model_decoder.py`` builds exactly the objects the SDK builds (it even reads a private SDK
method for odd values), for real requests and every odd shape hypothesis can make of them;
``web/model_encoder.py`` writes exactly the JSON the SDK writes, for a whole conversation's
responses and any model tree. pyproject.toml pins ask-sdk-core/ask-sdk-model below the next
minor version; raise the bound only with this file green. If an upgrade breaks it, set
``heel_coach.web.envelope.SDK_SERIALIZER = True`` (one line) to serve with the SDK's own
serializer until the codecs are fixed.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import IntentRequest, RequestEnvelope
from ask_sdk_model.interfaces.audioplayer import AudioItem, PlayBehavior, PlayDirective, Stream
from dateutil.tz import UTC as UTC_TZ
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heel_coach.console.client import VoiceClient, flask_transport
from heel_coach.console.envelopes import Device, SlotFill
from heel_coach.web import envelope as edge
from heel_coach.web.envelope import parse_json, serialize_response, to_envelope
from heel_coach.web.model_decoder import ModelDecoder
from heel_coach.web.model_encoder import ModelEncoder

SPEC = "ask_sdk_model.request_envelope.RequestEnvelope"
SDK = DefaultSerializer()
DECODER = ModelDecoder()
ENCODER = ModelEncoder()


def sdk_decode(data: Any) -> Any:
    return SDK.deserialize(json.dumps(data), RequestEnvelope)


def outcome(decode: Any, data: Any) -> tuple[str, Any]:
    try:
        return "ok", decode(copy.deepcopy(data))
    except SerializationException:
        return "SerializationException", None


def real_requests() -> list[dict[str, Any]]:
    device = Device(permissions_token="consent", player_token="heelcoach.step.3", player_offset_ms=1200)
    slot = SlotFill("left", resolved_id="left", type_name="FootType")
    return [
        device.launch(),
        device.intent("AMAZON.NextIntent"),
        device.intent("ChooseFootIntent", {"foot": slot, "other": SlotFill("x", type_name="T")}),
        device.audio_event("AudioPlayer.PlaybackNearlyFinished", token="t", offset_ms=25_000),
        device.audio_event(
            "AudioPlayer.PlaybackFailed", token="t", error={"type": "MEDIA_ERROR_UNKNOWN", "message": "boom"}
        ),
        device.raw({"type": "PlaybackController.NextCommandIssued"}),
        device.raw(
            {
                "type": "Connections.Response",
                "name": "AskFor",
                "status": {"code": "200", "message": "OK"},
                "payload": {"status": "ACCEPTED", "permissionScope": "alexa::alerts:reminders"},
            },
            session=True,
        ),
        device.raw(
            {
                "type": "AlexaSkillEvent.SkillDisabled",
                "eventCreationTime": "2025-03-12T15:00:00Z",
                "body": {"userInformationPersistenceStatus": "NOT_PERSISTED"},
            }
        ),
        device.session_ended("ERROR"),
    ]


@pytest.mark.parametrize("data", real_requests(), ids=lambda d: d["request"]["type"])
def test_real_requests_decode_to_the_sdk_objects(data: dict[str, Any]) -> None:
    ours = DECODER.decode(copy.deepcopy(data), SPEC)
    assert ours == sdk_decode(data)
    assert type(ours.request) is type(sdk_decode(data).request)


def test_alexa_timestamps_take_the_fast_path_and_match_dateutil() -> None:
    data = Device().intent("AMAZON.NextIntent")
    for stamp in ("2026-11-21T08:00:00Z", "2026-11-21T08:00:00.123Z", "2024-02-29T23:59:59.999999Z"):
        data["request"]["timestamp"] = stamp
        ours = DECODER.decode(copy.deepcopy(data), SPEC).request.timestamp
        theirs = sdk_decode(data).request.timestamp
        assert ours == theirs and ours.utcoffset() == theirs.utcoffset()
        # dateutil answers tzlocal() for "Z" on a machine whose own zone is UTC; ours is
        # always UTC, the same instant on every machine.
        assert ours.tzinfo is UTC_TZ


def test_the_envelope_edge_uses_the_decoder() -> None:
    body = json.dumps(Device().intent("AMAZON.NextIntent")).encode()
    envelope = to_envelope(parse_json(body))
    assert isinstance(envelope.request, IntentRequest)
    assert envelope.request.timestamp.tzinfo is not None
    assert envelope.request.timestamp <= datetime.now(UTC)


json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**12),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.sampled_from(
        [
            "IntentRequest",
            "LaunchRequest",
            "NONE",
            "2026-01-01T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "yesterday",
            "1700000000",
        ]
    ),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += paths(value, (*prefix, index))
    return out


def replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    data = copy.deepcopy(data)
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return data


@st.composite
def mutated_requests(draw: st.DrawFn) -> Any:
    data = draw(st.sampled_from(real_requests()))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(data)))
        if draw(st.booleans()) and path:
            data = replaced(data, path, draw(json_value))
        else:  # an extra key next to the real ones, possibly named like an attribute
            target = data
            for step in path:
                target = target[step]
            if isinstance(target, dict):
                key = draw(
                    st.one_of(
                        st.sampled_from(["request_id", "object_type", "extra", "type"]),
                        st.text(min_size=1, max_size=6),
                    )
                )
                target[key] = draw(json_value)
    return data


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_requests())
def test_any_shape_gives_the_same_objects_or_the_same_error(data: Any) -> None:
    ours = outcome(lambda d: DECODER.decode(d, SPEC), data)
    theirs = outcome(sdk_decode, data)
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1]


# -- responses: the encoder --------------------------------------------------------------------


def test_every_response_of_a_conversation_encodes_as_the_sdk_does(app: Flask) -> None:
    skill = app.extensions["heelcoach"].skill
    seen: list[Any] = []
    invoke = skill.invoke

    def recording_invoke(**kwargs: Any) -> Any:
        response = invoke(**kwargs)
        seen.append(response)
        return response

    skill.invoke = recording_invoke
    alexa = VoiceClient.for_locale(flask_transport(app))
    for line in (
        "open heel coach",
        "start the quick routine",
        "both",
        "next",
        "say that again",
        "pause",
        "resume",
        "how long is left",
        "remind me every day at seven am",
        "yes",
        "play my routine",
        "stop",
    ):
        alexa.say(line)
    assert len(seen) == 12
    encoded = [SDK.serialize(response)["response"] for response in seen]
    kinds = {directive["type"] for response in encoded for directive in response.get("directives", [])}
    assert kinds, "the conversation should include directives"
    for response in seen:
        assert ENCODER.encode(response) == SDK.serialize(response)


def test_enums_and_odd_values_go_the_sdk_way() -> None:
    directive = PlayDirective(
        play_behavior=PlayBehavior.REPLACE_ALL,
        audio_item=AudioItem(
            stream=Stream(token="t", url="https://example.com/a.mp3", offset_in_milliseconds=0)
        ),
    )
    assert ENCODER.encode(directive) == SDK.serialize(directive)
    assert ENCODER.encode(directive)["playBehavior"] == "REPLACE_ALL"
    odd = {"tuple": (1, PlayBehavior.ENQUEUE), "list": [directive, None]}
    assert ENCODER.encode(odd) == SDK.serialize(odd)


@pytest.mark.filterwarnings("error")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_requests())
def test_any_decoded_model_tree_encodes_as_the_sdk_does(data: Any) -> None:
    try:
        envelope = sdk_decode(data)
    except SerializationException:
        return
    assert ENCODER.encode(envelope) == SDK.serialize(copy.copy(envelope))


# -- the switch back -------------------------------------------------------------------------------


def test_the_switch_serves_with_the_sdk_serializer(monkeypatch: pytest.MonkeyPatch) -> None:
    """With SDK_SERIALIZER on, the edge decodes and encodes through the SDK, and neither cached
    codec is built (an upgrade that broke them cannot break serving)."""
    data = Device().intent("AMAZON.NextIntent")
    built = []
    monkeypatch.setattr(edge, "SDK_SERIALIZER", True)
    monkeypatch.setattr(edge, "ModelDecoder", lambda *a: built.append("decoder"))
    monkeypatch.setattr(edge, "ModelEncoder", lambda *a: built.append("encoder"))
    edge._decoder.cache_clear()
    edge._encoder.cache_clear()
    try:
        envelope = to_envelope(json.loads(json.dumps(data)))
        assert envelope == sdk_decode(data)
        assert serialize_response(envelope) == SDK.serialize(envelope)
        assert built == []
    finally:
        edge._decoder.cache_clear()
        edge._encoder.cache_clear()
