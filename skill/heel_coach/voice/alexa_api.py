"""What one request gives us to call the Alexa APIs as this user, and the device's time zone.

Shared by reminders (which need the zone to schedule) and progress (whose days are the user's).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from heel_coach.errors import ServiceError
from heel_coach.services.settings_api import get_time_zone
from heel_coach.voice.turn import Turn

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class AlexaApi:
    """What one request gives us to call the Alexa APIs as this user."""

    client: Any
    endpoint: str
    token: str
    device_id: str
    consent: str | None


def api_of(handler_input: HandlerInput) -> AlexaApi | None:
    context = handler_input.request_envelope.context
    system = context.system if context is not None else None
    factory = handler_input.service_client_factory
    if factory is None or system is None or not system.api_endpoint or not system.api_access_token:
        return None
    permissions = getattr(system.user, "permissions", None)
    device = getattr(system, "device", None)
    return AlexaApi(
        client=factory.api_configuration.api_client,
        endpoint=system.api_endpoint,
        token=system.api_access_token,
        device_id=getattr(device, "device_id", "") or "",
        consent=getattr(permissions, "consent_token", None) if permissions else None,
    )


def fetch_time_zone(api: AlexaApi, turn: Turn) -> str:
    """The device's zone from the Settings API, remembered for progress; raises ServiceError."""
    zone = get_time_zone(api.client, api.endpoint, api.token, api.device_id)
    turn.user.time_zone = zone
    return zone


def learn_time_zone(handler_input: HandlerInput, turn: Turn) -> None:
    """Read the device's time zone into the user's data; on failure keep the last known one."""
    api = api_of(handler_input)
    if api is None:
        return
    try:
        fetch_time_zone(api, turn)
    except ServiceError as exc:
        _LOG.info("time zone unavailable: code=%s", exc.code)
