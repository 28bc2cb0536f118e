"""A simulated Echo that talks to the skill over HTTP: the console and the tests use it.

Typed text goes through the interaction model's own samples (``heel_coach.simulator``) to the
request Alexa would send; the response comes back as what Alexa would say.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from heel_coach.console.envelopes import Device, SlotFill
from heel_coach.locales import choose
from heel_coach.resources import model_path
from heel_coach.simulator import Matcher, Utterance, load_interaction_model
from heel_coach.voice.prompts import available_locales
from heel_coach.voice.ssml import pauses_in, to_display_text

Transport = Callable[[bytes, dict[str, str]], tuple[int, bytes]]
"""Sends a request body with headers; returns (HTTP status, response body)."""


@dataclass
class Heard:
    """One response, as a person (and a test) would perceive it."""

    status: int
    body: dict[str, Any]
    utterance: Utterance | None = None

    @property
    def response(self) -> dict[str, Any]:
        response: dict[str, Any] = self.body.get("response") or {}
        return response

    @property
    def ssml(self) -> str:
        speech = self.response.get("outputSpeech") or {}
        return str(speech.get("ssml") or speech.get("text") or "")

    @property
    def text(self) -> str:
        return to_display_text(self.ssml)

    @property
    def pauses(self) -> list[float]:
        return pauses_in(self.ssml)

    @property
    def reprompt(self) -> str:
        speech = (self.response.get("reprompt") or {}).get("outputSpeech") or {}
        return to_display_text(str(speech.get("ssml") or speech.get("text") or ""))

    @property
    def ends_session(self) -> bool:
        return self.response.get("shouldEndSession") is True

    @property
    def directives(self) -> list[dict[str, Any]]:
        directives: list[dict[str, Any]] = self.response.get("directives") or []
        return directives

    def directive(self, kind: str) -> dict[str, Any] | None:
        return next((d for d in self.directives if d.get("type") == kind), None)

    @property
    def screen(self) -> dict[str, Any] | None:
        """The APL document this response shows (its RenderDocument directive), if any."""
        return self.directive("Alexa.Presentation.APL.RenderDocument")


@dataclass
class VoiceClient:
    transport: Transport
    device: Device = field(default_factory=Device)
    matcher: Matcher | None = None
    sign: Callable[[bytes], dict[str, str]] | None = None
    """Adds signature headers (tests with verification on)."""
    history: list[Heard] = field(default_factory=list)

    @classmethod
    def for_locale(cls, transport: Transport, locale: str = "en-US", **kwargs: Any) -> VoiceClient:
        """A device set to ``locale`` that hears with that locale's model; a locale the skill
        does not support still sends its own code (the skill answers in its default) and is
        heard with the model the skill would use."""
        model = load_interaction_model(model_path(choose(locale, available_locales())))
        device = kwargs.pop("device", None) or Device(locale=locale)
        return cls(transport, device=device, matcher=Matcher(model), **kwargs)

    # -- what a person does ---------------------------------------------------------------
    def launch(self) -> Heard:
        return self.send(self.device.launch())

    def say(self, text: str) -> Heard:
        """Speak to the skill as if to an Echo; a new session opens when none is open."""
        if self.matcher is None:
            raise RuntimeError("VoiceClient.say needs a matcher (use VoiceClient.for_locale)")
        utterance = self.matcher.recognize_best(text)
        if utterance.kind == "launch":
            return self.send(self.device.launch(), utterance)
        if utterance.intent_name is None:
            heard = self.intent("AMAZON.FallbackIntent", new_session=utterance.new_session_phrase)
            heard.utterance = utterance
            return heard
        slots = {
            name: SlotFill(
                value=slot.request_value,
                resolved_id=slot.id,
                resolved_name=slot.value,
                type_name=None if slot.builtin else slot.slot_type,
            )
            for name, slot in utterance.slots.items()
        }
        body = self.device.intent(utterance.intent_name, slots, new_session=utterance.new_session_phrase)
        return self.send(body, utterance)

    def intent(self, name: str, *, new_session: bool = False, **slots: SlotFill | str) -> Heard:
        fills = {k: v if isinstance(v, SlotFill) else SlotFill(v) for k, v in slots.items()}
        return self.send(self.device.intent(name, fills, new_session=new_session))

    def end(self, reason: str = "USER_INITIATED") -> Heard:
        return self.send(self.device.session_ended(reason))

    def touch(self, argument: str) -> Heard:
        """Press the button that sends ``argument`` on the screen shown last."""
        shown = next((h.screen for h in reversed(self.history) if h.screen is not None), None)
        if shown is None:
            raise RuntimeError("no screen has been shown to touch")
        return self.send(self.device.user_event(str(shown["token"]), [argument]))

    def audio_event(self, event: str, **kwargs: Any) -> Heard:
        return self.send(self.device.audio_event(event, **kwargs))

    # -- plumbing ---------------------------------------------------------------------------
    def send(self, envelope: dict[str, Any], utterance: Utterance | None = None) -> Heard:
        body = json.dumps(envelope).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.sign is not None:
            headers.update(self.sign(body))
        status, raw = self.transport(body, headers)
        try:
            parsed = json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError:
            parsed = {"error": "non_json_response", "raw": raw[:200].decode("utf-8", "replace")}
        heard = Heard(status, parsed, utterance)
        self.history.append(heard)
        self._carry_session(envelope, heard)
        return heard

    def _carry_session(self, envelope: dict[str, Any], heard: Heard) -> None:
        if heard.status != 200 or "session" not in envelope:
            return
        if heard.ends_session or envelope["request"]["type"] == "SessionEndedRequest":
            self.device.end_session()
        else:
            self.device.session_attributes = dict(heard.body.get("sessionAttributes") or {})


def http_transport(url: str, timeout_s: float = 30.0) -> Transport:
    """POST to a running server (``heel-coach chat --url``, loopback tests)."""
    import requests

    session = requests.Session()
    session.trust_env = False  # loopback: never through a proxy

    def send(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        response = session.post(url, data=body, headers=headers, timeout=timeout_s)
        return response.status_code, response.content

    return send


def flask_transport(app: Any, path: str = "/alexa") -> Transport:
    """In-process: the real Flask app through its test client (the console's default)."""
    client = app.test_client()

    def send(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        response = client.post(path, data=body, headers=headers)
        return response.status_code, response.get_data()

    return send
