"""ask-sdk-core's canonical hello-world skill (the template's handler set), without Flask, so
the Lambda baseline (``benchmarks.lambda_hello_world``) loads exactly what the template does."""

from __future__ import annotations

from ask_sdk_core import utils as ask_utils
from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model import Response

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


def hello_world_builder() -> SkillBuilder:
    """The template's SkillBuilder with its handlers registered."""
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
    return sb


def sdk_skill() -> CustomSkill:
    return hello_world_builder().create()
