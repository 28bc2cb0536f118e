"""Read the device time zone from the Alexa Settings API.

Reminders fire in ``trigger.timeZoneId``; without the device's zone a 7 AM reminder could
ring at 7 AM somewhere else. No permission is needed, only the request's apiAccessToken.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from ask_sdk_model.services.api_client import ApiClient

from heel_coach.errors import ServiceError
from heel_coach.services.api_client import call_api

__all__ = ["get_time_zone"]

_WHAT = "Reading the device time zone"


def get_time_zone(api_client: ApiClient, api_endpoint: str, access_token: str, device_id: str) -> str:
    """``GET /v2/devices/{deviceId}/settings/System.timeZone`` -> e.g. ``"Europe/Berlin"``.

    The body is a bare JSON string. 204 (documented "no results") and 404 both mean the
    zone is not set and raise code ``not_found``; a value that is not an IANA zone this
    Python knows raises code ``unexpected`` so callers fall back instead of mis-scheduling.
    """
    if not device_id:
        raise ServiceError(f"{_WHAT}: no device id", 0, "invalid")
    url = f"{api_endpoint.rstrip('/')}/v2/devices/{quote(device_id, safe='')}/settings/System.timeZone"
    response = call_api(api_client, "GET", url, access_token, _WHAT)
    status = response.status_code or 0
    if status == 204 or not response.body:
        raise ServiceError(f"{_WHAT}: no time zone set for this device", status, "not_found")
    try:
        value = json.loads(response.body)
    except ValueError as exc:
        raise ServiceError(f"{_WHAT}: response is not JSON", status, "unexpected") from exc
    if not isinstance(value, str) or not value.strip():
        raise ServiceError(f"{_WHAT}: expected a JSON string, got {value!r}", status, "unexpected")
    zone = value.strip()
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # only where a zone is checked (cold start)

    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ServiceError(f"{_WHAT}: unknown time zone {zone!r}", status, "unexpected") from exc
    return zone
