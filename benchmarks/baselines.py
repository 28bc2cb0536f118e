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

from ask_sdk_core import utils as ask_utils
from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model import RequestEnvelope, Response
from flask import Flask, jsonify, request
from flask import Response as FlaskResponse

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


# -- the ask-sdk hello-world template (hello_world/lambda/lambda_function.py) ------------------


class LaunchRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(ask_utils.is_request_type("LaunchRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        speak = "Welcome, you can say Hello or Help. Which would you like to try?"
        return handler_input.response_builder.speak(speak).ask(speak).response


class HelloWorldIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(ask_utils.is_intent_name("HelloWorldIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("Hello World!").response


class HelpIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(ask_utils.is_intent_name("AMAZON.HelpIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        speak = "You can say hello to me! How can I help?"
        return handler_input.response_builder.speak(speak).ask(speak).response


class CancelOrStopIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(
            ask_utils.is_intent_name("AMAZON.CancelIntent")(handler_input)
            or ask_utils.is_intent_name("AMAZON.StopIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("Goodbye!").response


class FallbackIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(ask_utils.is_intent_name("AMAZON.FallbackIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        speech = "Hmm, I'm not sure. You can say Hello or Help. What would you like to do?"
        return handler_input.response_builder.speak(speech).ask("I didn't catch that.").response


class SessionEndedRequestHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(ask_utils.is_request_type("SessionEndedRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


class IntentReflectorHandler(AbstractRequestHandler):
    """The template's debugging catch-all for intents: answers NextIntent in the benchmark."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(ask_utils.is_request_type("IntentRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        intent_name = ask_utils.get_intent_name(handler_input)
        return handler_input.response_builder.speak(f"You just triggered {intent_name!s}.").response


class CatchAllExceptionHandler(AbstractExceptionHandler):
    """Also what answers AudioPlayer events: the template registers no handler for them."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        speak = "Sorry, I had trouble doing what you asked. Please try again."
        return handler_input.response_builder.speak(speak).ask(speak).response


def sdk_skill() -> CustomSkill:
    sb = SkillBuilder()
    for handler in (
        LaunchRequestHandler,
        HelloWorldIntentHandler,
        HelpIntentHandler,
        CancelOrStopIntentHandler,
        FallbackIntentHandler,
        SessionEndedRequestHandler,
        IntentReflectorHandler,
    ):
        sb.add_request_handler(handler())
    sb.add_exception_handler(CatchAllExceptionHandler())
    return sb.create()


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
