"""Build Alexa request JSON the way Alexa sends it: for the console, tests and benchmarks."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def utc_now() -> datetime:
    return datetime.now(UTC)


def now_iso(moment: datetime | None = None) -> str:
    """Alexa's timestamp format (UTC, whole seconds, ``Z``); the real clock unless given."""
    return (moment or utc_now()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Device:
    """A simulated Echo: one user, one device, a session that carries over between turns."""

    user_id: str = field(default_factory=lambda: "amzn1.ask.account." + uuid.uuid4().hex)
    device_id: str = field(default_factory=lambda: "amzn1.ask.device." + uuid.uuid4().hex)
    application_id: str = "amzn1.ask.skill.heel-coach-local"
    locale: str = "en-US"
    api_endpoint: str = "https://127.0.0.1:9"
    """Where the skill is told to reach the Alexa API. Nothing listens on the default (the
    discard port), so without a local fake (``--api-endpoint``) an API call fails at once as
    unreachable rather than sending made-up tokens to Amazon or waiting for a timeout."""
    api_access_token: str = "local-console-token"
    audio_player: bool = True
    screen: dict[str, Any] | None = None
    """``context.Viewport`` of a device with a screen (``screens.viewports.Viewport.context_viewport``);
    such a device also declares ``Alexa.Presentation.APL``. None: a speaker without a screen."""
    apl_max_version: str = "2024.3"
    permissions_token: str | None = None
    session_id: str | None = None
    session_attributes: dict[str, Any] = field(default_factory=dict)
    player_token: str | None = None
    player_offset_ms: int = 0
    player_activity: str = "IDLE"
    clock: Callable[[], datetime] = field(default=utc_now, repr=False, compare=False)
    """Where request timestamps come from: the skill takes "now" from them, so the console's
    ``:date`` can move a whole conversation to another day."""

    def context(self) -> dict[str, Any]:
        interfaces: dict[str, Any] = {}
        if self.audio_player:
            interfaces["AudioPlayer"] = {}
        if self.screen is not None:
            interfaces["Alexa.Presentation.APL"] = {"runtime": {"maxVersion": self.apl_max_version}}
        user: dict[str, Any] = {"userId": self.user_id}
        if self.permissions_token:
            user["permissions"] = {"consentToken": self.permissions_token}
        ctx: dict[str, Any] = {
            "System": {
                "application": {"applicationId": self.application_id},
                "user": user,
                "device": {"deviceId": self.device_id, "supportedInterfaces": interfaces},
                "apiEndpoint": self.api_endpoint,
                "apiAccessToken": self.api_access_token,
            }
        }
        if self.screen is not None:
            ctx["Viewport"] = dict(self.screen)
        if self.audio_player:
            player: dict[str, Any] = {"playerActivity": self.player_activity}
            if self.player_token:
                player["token"] = self.player_token
                player["offsetInMilliseconds"] = self.player_offset_ms
            ctx["AudioPlayer"] = player
        return ctx

    def _session(self, new: bool) -> dict[str, Any]:
        if new or self.session_id is None:
            self.session_id = "amzn1.echo-api.session." + uuid.uuid4().hex
            self.session_attributes = {}
            new = True
        return {
            "new": new,
            "sessionId": self.session_id,
            "application": {"applicationId": self.application_id},
            "attributes": dict(self.session_attributes),
            "user": {"userId": self.user_id},
        }

    def _envelope(self, request: dict[str, Any], *, session: bool, new: bool = False) -> dict[str, Any]:
        request.setdefault("requestId", "amzn1.echo-api.request." + uuid.uuid4().hex)
        request.setdefault("timestamp", now_iso(self.clock()))
        request.setdefault("locale", self.locale)
        body: dict[str, Any] = {"version": "1.0", "context": self.context(), "request": request}
        if session:
            body["session"] = self._session(new)
        return body

    def launch(self) -> dict[str, Any]:
        return self._envelope({"type": "LaunchRequest"}, session=True, new=True)

    def intent(
        self, name: str, slots: dict[str, SlotFill] | None = None, *, new_session: bool = False
    ) -> dict[str, Any]:
        intent: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
        if slots:
            intent["slots"] = {key: fill.to_json(key, self.application_id) for key, fill in slots.items()}
        return self._envelope(
            {"type": "IntentRequest", "dialogState": "COMPLETED", "intent": intent},
            session=True,
            new=new_session,
        )

    def user_event(self, token: str, arguments: list[Any], source_id: str = "button") -> dict[str, Any]:
        """``Alexa.Presentation.APL.UserEvent``: a touch on a document's ``SendEvent`` component."""
        request = {
            "type": "Alexa.Presentation.APL.UserEvent",
            "token": token,
            "arguments": list(arguments),
            "source": {"type": "TouchWrapper", "handler": "Press", "id": source_id},
        }
        return self._envelope(request, session=True)

    def session_ended(self, reason: str = "USER_INITIATED") -> dict[str, Any]:
        body = self._envelope({"type": "SessionEndedRequest", "reason": reason}, session=True)
        self.session_id = None
        return body

    def audio_event(
        self,
        event: str,
        *,
        token: str | None = None,
        offset_ms: int | None = None,
        error: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        request: dict[str, Any] = {"type": event}
        if event == "AudioPlayer.PlaybackFailed":
            # No offset of its own: the player's state when the stream failed (``offset_ms``
            # is where in the failed stream; without it, wherever the simulated player is).
            request["token"] = token
            at = self.player_offset_ms if offset_ms is None else offset_ms
            player_token = token if offset_ms is not None else self.player_token
            request["currentPlaybackState"] = {
                "token": player_token,
                "offsetInMilliseconds": at,
                "playerActivity": "STOPPED",
            }
        elif token is not None:
            request["token"] = token
            request["offsetInMilliseconds"] = offset_ms or 0
        if error is not None:
            request["error"] = error
        return self._envelope(request, session=False)

    def skill_event(self, kind: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """``AlexaSkillEvent.<kind>`` (e.g. SkillDisabled) as Alexa sends it: no session."""
        stamp = now_iso(self.clock())
        return self._envelope(
            {
                "type": f"AlexaSkillEvent.{kind}",
                "eventCreationTime": stamp,
                "eventPublishingTime": stamp,
                "body": dict(body or {}),
            },
            session=False,
        )

    def permission_answer(self, status: str, token: str, *, card_thrown: bool = False) -> dict[str, Any]:
        """The ``Connections.Response`` Alexa sends after its own AskFor consent question."""
        return self._envelope(
            {
                "type": "Connections.Response",
                "name": "AskFor",
                "status": {"code": "200", "message": "OK"},
                "payload": {"status": status, "isCardThrown": card_thrown},
                "token": token,
            },
            session=True,
        )

    def raw(self, request: dict[str, Any], *, session: bool = False) -> dict[str, Any]:
        return self._envelope(dict(request), session=session)

    def end_session(self) -> None:
        self.session_id = None
        self.session_attributes = {}


@dataclass(frozen=True)
class SlotFill:
    """A slot as Alexa fills it: the heard text, and the entity-resolution result."""

    value: str
    resolved_id: str | None = None
    resolved_name: str | None = None
    type_name: str | None = None

    def to_json(self, name: str, application_id: str) -> dict[str, Any]:
        slot: dict[str, Any] = {"name": name, "value": self.value, "confirmationStatus": "NONE"}
        if self.type_name is not None:
            authority = f"amzn1.er-authority.echo-sdk.{application_id}.{self.type_name}"
            if self.resolved_id is not None:
                slot["resolutions"] = {
                    "resolutionsPerAuthority": [
                        {
                            "authority": authority,
                            "status": {"code": "ER_SUCCESS_MATCH"},
                            "values": [
                                {
                                    "value": {
                                        "name": self.resolved_name or self.value,
                                        "id": self.resolved_id,
                                    }
                                }
                            ],
                        }
                    ]
                }
            else:
                slot["resolutions"] = {
                    "resolutionsPerAuthority": [
                        {"authority": authority, "status": {"code": "ER_SUCCESS_NO_MATCH"}}
                    ]
                }
        return slot
