"""The cached encoder writes exactly what ask-sdk-core's DefaultSerializer writes: for the
skill's own responses in a whole conversation and for any model tree hypothesis can make."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.interfaces.audioplayer import AudioItem, PlayBehavior, PlayDirective, Stream
from flask import Flask
from hypothesis import HealthCheck, given, settings

from heel_coach.console.client import VoiceClient, flask_transport
from heel_coach.web.model_encoder import ModelEncoder
from tests.unit.web.test_model_decoder import mutated_requests, sdk_decode

SDK = DefaultSerializer()
ENCODER = ModelEncoder()


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
