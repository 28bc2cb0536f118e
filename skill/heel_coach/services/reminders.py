"""A small typed facade over the Alexa Reminders API for daily/weekly exercise reminders.

We build the JSON ourselves instead of going through ask-sdk's ``ReminderRequest`` models:
the serializer turns datetimes into ``isoformat()`` (an offset for aware values) while the
API wants local wall-clock times with no zone suffix, and the recurrence rules are plain
strings anyway. Every failure surfaces as ``ServiceError`` with a stable ``code`` the voice
layer can switch on (see ``heel_coach.services.api_client.error_for_status``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ask_sdk_model.services.api_client import ApiClient

from heel_coach.errors import ServiceError
from heel_coach.reminders.schedule import ReminderSchedule
from heel_coach.services.api_client import call_api

__all__ = ["DAYS", "REMINDERS_SCOPE", "Reminder", "RemindersClient", "build_reminder_request"]

REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
DAYS: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_PATH = "/v1/alerts/reminders"
_RULE_PART = re.compile(r"^([A-Z]+)=([A-Z0-9,+-]+)$")


@dataclass(frozen=True)
class Reminder:
    """One of this skill's reminders as the voice layer needs it.

    ``days`` is None for every day, else weekday codes in MO..SU order.
    ``status`` is the API's ``ON`` or ``COMPLETED``.
    """

    alert_token: str
    hour: int
    minute: int
    days: tuple[str, ...] | None
    time_zone: str
    text: str
    status: str


def _invalid(message: str) -> ServiceError:
    return ServiceError(message, 0, "invalid")


def _normalise_days(days: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """Dedupe and order days; all seven days is simply a daily reminder."""
    if days is None:
        return None
    wanted = {d.upper() for d in days}
    unknown = wanted - set(DAYS)
    if unknown or not wanted:
        raise _invalid(f"days must be a non-empty subset of {DAYS}, got {days!r}")
    ordered = tuple(d for d in DAYS if d in wanted)
    return None if len(ordered) == len(DAYS) else ordered


def _local_now(now_local: datetime, zone: ZoneInfo) -> datetime:
    """Naive wall-clock time in ``zone``; aware inputs are converted first."""
    if now_local.tzinfo is not None:
        now_local = now_local.astimezone(zone)
    return now_local.replace(tzinfo=None)


def _fmt(moment: datetime) -> str:
    """Local ISO-8601 with milliseconds and deliberately no zone suffix (API requirement)."""
    return moment.isoformat(timespec="milliseconds")


def recurrence_rule(hour: int, minute: int, days: tuple[str, ...] | None) -> str:
    """The documented RRULE-style string, e.g. ``FREQ=DAILY;BYHOUR=7;...;INTERVAL=1;``."""
    if days is None:
        head = "FREQ=DAILY"
    else:
        head = "FREQ=WEEKLY;BYDAY=" + ",".join(days)
    return f"{head};BYHOUR={hour};BYMINUTE={minute};BYSECOND=0;INTERVAL=1;"


def build_reminder_request(schedule: ReminderSchedule) -> dict[str, Any]:
    """Build the create/update body exactly as the Reminders API reference documents it.

    The recurrence starts at the next occurrence of the schedule's time (today if still
    ahead, else tomorrow) so the start is never in the past.
    """
    hour, minute, time_zone = schedule.hour, schedule.minute, schedule.time_zone
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise _invalid(f"time {hour}:{minute} is out of range")
    if not schedule.text.strip():
        raise _invalid("reminder text must not be empty")
    if not schedule.locale.strip():
        raise _invalid("locale must not be empty")
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise _invalid(f"unknown time zone {time_zone!r}") from exc
    days = _normalise_days(schedule.days)
    now = _local_now(schedule.now, zone)
    start = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if start <= now:
        start += timedelta(days=1)
    return {
        "requestTime": _fmt(now),
        "trigger": {
            "type": "SCHEDULED_ABSOLUTE",
            "timeZoneId": time_zone,
            "recurrence": {
                "startDateTime": _fmt(start),
                "recurrenceRules": [recurrence_rule(hour, minute, days)],
            },
        },
        "alertInfo": {"spokenInfo": {"content": [{"locale": schedule.locale, "text": schedule.text}]}},
        "pushNotification": {"status": "ENABLED"},
    }


class RemindersClient:
    """Create/list/update/delete this skill's reminders for one request's user.

    Build one per skill request from ``context.System.apiEndpoint`` and ``apiAccessToken``;
    the ``api_client`` (normally a shared ``TimeoutApiClient``) carries the time budget.
    """

    def __init__(self, api_client: ApiClient, api_endpoint: str, access_token: str) -> None:
        self._api_client = api_client
        self._endpoint = api_endpoint.rstrip("/")
        self._token = access_token

    def _url(self, alert_token: str | None = None) -> str:
        if alert_token is None:
            return self._endpoint + _PATH
        if not alert_token:
            raise _invalid("alert_token must not be empty")
        return f"{self._endpoint}{_PATH}/{quote(alert_token, safe='')}"

    def _call(self, method: str, url: str, what: str, body: dict[str, Any] | None = None) -> Any:
        response = call_api(self._api_client, method, url, self._token, what, body)
        if not response.body:
            return None
        try:
            return json.loads(response.body)
        except ValueError as exc:
            raise ServiceError(
                f"{what}: response is not JSON", response.status_code or 0, "unexpected"
            ) from exc

    def save_daily(self, schedule: ReminderSchedule, alert_token: str | None = None) -> Reminder:
        """Create a recurring reminder, or with ``alert_token`` replace that one's schedule
        (PUT sends the full reminder, as documented)."""
        body = build_reminder_request(schedule)
        if alert_token is None:
            answer = self._call("POST", self._url(), "Creating a reminder", body)
            return self._from_write(answer, body, "Creating a reminder")
        answer = self._call("PUT", self._url(alert_token), "Updating a reminder", body)
        return self._from_write(answer, body, "Updating a reminder", alert_token)

    def get(self, alert_token: str) -> Reminder:
        """One reminder by token; ``not_found`` if it is gone."""
        answer = self._call("GET", self._url(alert_token), "Reading a reminder")
        reminder = parse_reminder(answer) if isinstance(answer, dict) else None
        if reminder is None:
            raise ServiceError("Reading a reminder: unrecognised reminder", 200, "unexpected")
        return reminder

    def list(self) -> list[Reminder]:
        """All of this skill's reminders for the user (incl. COMPLETED ones, kept 3 days).

        Reminders whose schedule we cannot read (not created by this facade) are skipped.
        """
        answer = self._call("GET", self._url(), "Listing reminders")
        if answer is None:
            return []
        alerts = answer.get("alerts") if isinstance(answer, dict) else None
        if not isinstance(alerts, list):
            raise ServiceError("Listing reminders: no alerts list in response", 200, "unexpected")
        parsed = (parse_reminder(a) for a in alerts if isinstance(a, dict))
        return [r for r in parsed if r is not None]

    def delete(self, alert_token: str) -> None:
        """Delete one reminder; ``not_found`` if it does not exist."""
        self._call("DELETE", self._url(alert_token), "Deleting a reminder")

    @staticmethod
    def _from_write(answer: Any, body: dict[str, Any], what: str, alert_token: str | None = None) -> Reminder:
        """Create/update answer only has token + status; the schedule is what we sent."""
        if not isinstance(answer, dict):
            raise ServiceError(f"{what}: empty response", 200, "unexpected")
        token = answer.get("alertToken") or alert_token
        if not isinstance(token, str) or not token:
            raise ServiceError(f"{what}: response has no alertToken", 200, "unexpected")
        merged = dict(body, alertToken=token, status=answer.get("status") or "ON")
        reminder = parse_reminder(merged)
        if reminder is None:  # pragma: no cover - we built the body ourselves
            raise ServiceError(f"{what}: could not read back our own reminder", 200, "unexpected")
        return reminder


def _parse_rule(rule: str) -> tuple[int, int, tuple[str, ...] | None] | None:
    fields: dict[str, str] = {}
    for part in filter(None, rule.strip().split(";")):
        match = _RULE_PART.match(part.strip())
        if not match:
            return None
        fields[match.group(1)] = match.group(2)
    try:
        hour, minute = int(fields["BYHOUR"]), int(fields["BYMINUTE"])
    except (KeyError, ValueError):
        return None
    freq = fields.get("FREQ")
    if freq == "DAILY":
        return hour, minute, None
    if freq == "WEEKLY" and "BYDAY" in fields:
        try:
            return hour, minute, _normalise_days(tuple(fields["BYDAY"].split(",")))
        except ServiceError:
            return None
    return None


def _parse_legacy(trigger: dict[str, Any]) -> tuple[int, int, tuple[str, ...] | None] | None:
    """Deprecated ``freq``/``byDay`` + ``scheduledTime`` form, still returned for old ones."""
    recurrence = trigger.get("recurrence") or {}
    when = trigger.get("scheduledTime") or recurrence.get("startDateTime")
    if not isinstance(when, str):
        return None
    try:
        moment = datetime.fromisoformat(when.rstrip("Z"))
    except ValueError:
        return None
    by_day = recurrence.get("byDay")
    days: tuple[str, ...] | None = None
    if recurrence.get("freq") == "WEEKLY" and isinstance(by_day, list):
        try:
            days = _normalise_days(tuple(str(d) for d in by_day))
        except ServiceError:
            return None
    return moment.hour, moment.minute, days


def parse_reminder(alert: dict[str, Any]) -> Reminder | None:
    """Read a Reminders API reminder object; None if it has no schedule we understand."""
    token = alert.get("alertToken")
    trigger = alert.get("trigger")
    if not isinstance(token, str) or not isinstance(trigger, dict):
        return None
    schedule = None
    recurrence = trigger.get("recurrence")
    rules = recurrence.get("recurrenceRules") if isinstance(recurrence, dict) else None
    if isinstance(rules, list) and rules and isinstance(rules[0], str):
        schedule = _parse_rule(rules[0])
    else:
        schedule = _parse_legacy(trigger)
    if schedule is None:
        return None
    hour, minute, days = schedule
    content = (((alert.get("alertInfo") or {}).get("spokenInfo") or {}).get("content")) or []
    text = ""
    if isinstance(content, list) and content and isinstance(content[0], dict):
        text = str(content[0].get("text") or "")
    return Reminder(
        alert_token=token,
        hour=hour,
        minute=minute,
        days=days,
        time_zone=str(trigger.get("timeZoneId") or ""),
        text=text,
        status=str(alert.get("status") or ""),
    )
