"""The two references Heel Coach is measured against.

(a) ``floor_app``: the least a Flask endpoint can do for Alexa: parse JSON, answer a fixed
    response. Everything above it is skill work.
(b) ``sdk_app``: ask-sdk-core's canonical hello-world skill (the template's handler set)
    behind one Flask route doing what ``flask_ask_sdk``'s SkillAdapter does minus
    verification (which cannot be imported on this OpenSSL): DefaultSerializer
    deserialize -> ``heel_coach.invoke`` -> serialize -> JSON.
"""

from __future__ import annotations

import json
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from flask import Flask, jsonify, request
from flask import Response as FlaskResponse

from benchmarks.hello_world import sdk_skill

__all__ = ["FIXED_RESPONSE", "floor_app", "sdk_app", "sdk_skill"]

FIXED_RESPONSE = {
    "version": "1.0",
    "response": {"outputSpeech": {"type": "PlainText", "text": "Hello."}, "shouldEndSession": True},
}


def floor_app() -> Flask:
    app = Flask("floor")

    @app.post("/alexa")
    def alexa() -> FlaskResponse:
        data = json.loads(request.get_data())
        if not isinstance(data, dict):
            return jsonify(error="invalid_request")
        return jsonify(FIXED_RESPONSE)

    return app


def sdk_app() -> Flask:
    skill = sdk_skill()
    serializer = DefaultSerializer()
    app = Flask("sdk_hello_world")

    @app.post("/alexa")
    def alexa() -> FlaskResponse:
        envelope: Any = serializer.deserialize(request.get_data(as_text=True), RequestEnvelope)
        response = skill.invoke(request_envelope=envelope, context=None)
        return jsonify(serializer.serialize(response))

    return app
