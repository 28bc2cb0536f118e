"""The Alexa side of the console: a movable clock and the user's reminders permission.

A real Echo user never types tokens or dates; Alexa owns them. The console plays that part
so reminders and progress can be tried from the keyboard: ``:date`` moves the clock that
stamps each request (the skill takes "now" from ``request.timestamp``), and granting the
reminders permission swaps in what Alexa would send from then on: a consent token and a new
``apiAccessToken`` that carries the reminders scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from heel_coach.console.envelopes import Device, utc_now

GRANTED_SUFFIX = "-reminders"
"""Default granted token: the base token plus this (the loopback fake Alexa API agrees)."""


class Clock:
    """The real UTC clock shifted by an offset, so time keeps flowing after ``:date``."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return utc_now() + self.offset

    def set(self, moment: datetime | None) -> None:
        """Jump to ``moment`` (aware); None goes back to the real time."""
        self.offset = timedelta(0) if moment is None else moment - utc_now()

    @property
    def moved(self) -> bool:
        return self.offset != timedelta(0)


def parse_moment(text: str) -> datetime:
    """``2026-11-14`` (noon UTC), ``2026-11-14T08:00`` (UTC) or with an offset / ``Z``.

    Naive times are UTC because the console cannot know the device's zone; noon keeps a
    date-only jump on the same calendar day in every zone from UTC-11 to UTC+11.
    """
    text = text.strip()
    if len(text) == 10:
        day = datetime.strptime(text, "%Y-%m-%d").date()  # raises ValueError
        return datetime.combine(day, time(12, 0), UTC)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@dataclass
class Account:
    """Tokens Alexa puts in each request, before and after the reminders permission."""

    token: str
    granted_token: str
    consent_token: str = "console-consent-token"
    granted: bool = False

    @classmethod
    def for_tokens(cls, token: str, granted_token: str | None = None) -> Account:
        return cls(token=token, granted_token=granted_token or token + GRANTED_SUFFIX)

    def apply(self, device: Device) -> None:
        """Make the device send what Alexa sends in the current permission state."""
        device.api_access_token = self.granted_token if self.granted else self.token
        device.permissions_token = self.consent_token if self.granted else None

    def grant(self, device: Device) -> None:
        self.granted = True
        self.apply(device)

    def revoke(self, device: Device) -> None:
        self.granted = False
        self.apply(device)
