"""Typed conversation state: what we asked, what a feature keeps between turns, what a turn decided.

Session attributes and the features' persistent attributes are JSON; these records are the only
code that reads or writes that JSON (``to_attributes``/``from_attributes``, the way the engine's
``RoutineState`` round-trips). Reading is tolerant: a value of the wrong type or shape is
dropped, never fatal, so rows written by any earlier version still load.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeGuard, TypeVar

from heel_coach.errors import EngineError

# The engine, progress statistics and screen requests are imported where they are used, so a
# launch loads only what it needs (Lambda cold start: benchmarks/RESULTS.md, figure 7).
if TYPE_CHECKING:
    from heel_coach.engine.machine import RoutineFinished
    from heel_coach.engine.state import RoutineState

E = TypeVar("E", bound=StrEnum)


class Pending(StrEnum):
    """The question we asked last turn; a yes, a no or a bare slot value answers it."""

    FOOT = "foot"
    FOCUS = "focus"
    RESUME = "resume"
    ROUTINE = "routine"
    CONTINUE = "continue"
    REMINDER = "reminder"
    """Yes carries out ``SessionState.reminder`` (create, move or cancel)."""
    EFFORT = "effort"
    PROGRESSION = "progression"
    """Yes remembers ``SessionState.progression``."""
    DELETE_DATA = "delete_data"
    READY = "ready"
    """A routine's opening was said: "ready" (NextIntent) says its first step."""
    PLAY_THROUGH = "play_through"
    """Yes plays ``SessionState.routine`` hands-free; no coaches it step by step."""


# -- reading JSON tolerantly ------------------------------------------------------------------


def _int(value: object, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _strs(value: object) -> tuple[str, ...] | None:
    if not isinstance(value, list | tuple) or not value:
        return None
    return tuple(str(v) for v in value)


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


# -- reminders ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderItem:
    """A reminder the Reminders API confirmed (its token), as we describe it to the user."""

    token: str | None
    hour: int
    minute: int
    days: tuple[str, ...] | None = None
    routine: str = "full"

    def to_attributes(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "hour": self.hour,
            "minute": self.minute,
            "days": list(self.days) if self.days else None,
            "routine": self.routine,
        }

    @classmethod
    def from_attributes(cls, data: object) -> ReminderItem:
        raw = _dict(data)
        return cls(
            token=_str(raw.get("token")),
            hour=_int(raw.get("hour")),
            minute=_int(raw.get("minute")),
            days=_strs(raw.get("days")),
            routine=_str(raw.get("routine")) or "full",
        )


@dataclass(frozen=True)
class ReminderRequest:
    """What the user is asked to consent to: create, move (``token``) or cancel (``tokens``)."""

    action: str
    hour: int = 0
    minute: int = 0
    days: tuple[str, ...] | None = None
    routine: str = "full"
    token: str | None = None
    tokens: tuple[str, ...] = ()

    def to_attributes(self) -> dict[str, Any]:
        if self.action == "cancel":
            return {"action": "cancel", "tokens": list(self.tokens)}
        out: dict[str, Any] = {
            "action": self.action,
            "hour": self.hour,
            "minute": self.minute,
            "days": list(self.days) if self.days else None,
            "routine": self.routine,
        }
        if self.token is not None:
            out["token"] = self.token
        return out

    @classmethod
    def from_attributes(cls, data: object) -> ReminderRequest | None:
        raw = _dict(data)
        action = raw.get("action")
        if action not in ("create", "move", "cancel"):
            return None
        return cls(
            action=str(action),
            hour=_int(raw.get("hour")),
            minute=_int(raw.get("minute")),
            days=_strs(raw.get("days")),
            routine=_str(raw.get("routine")) or "full",
            token=_str(raw.get("token")),
            tokens=_strs(raw.get("tokens")) or (),
        )


@dataclass
class Reminders:
    """``reminders``: ``items`` confirmed by the API, and a request ``pending`` the permission."""

    items: list[ReminderItem] = field(default_factory=list)
    pending: ReminderRequest | None = None

    def to_attributes(self) -> dict[str, Any]:
        out: dict[str, Any] = {"items": [i.to_attributes() for i in self.items]}
        if self.pending is not None:
            out["pending"] = self.pending.to_attributes()
        return out

    @classmethod
    def from_attributes(cls, data: object) -> Reminders:
        raw = _dict(data)
        items = raw.get("items")
        return cls(
            items=[ReminderItem.from_attributes(i) for i in items if isinstance(i, dict)]
            if isinstance(items, list)
            else [],
            pending=ReminderRequest.from_attributes(raw.get("pending")),
        )


# -- playback, progress, progression ----------------------------------------------------------


@dataclass(frozen=True)
class PlaybackRecord:
    """``playback``: the routine state continuous playback last wrote, and failed plays in a row.

    Continuous mode is on while ``state`` equals the user's routine state: any step-by-step
    command changes that state and so switches it off without anyone having to remember to.
    """

    state: RoutineState
    failures: int = 0

    def to_attributes(self) -> dict[str, Any]:
        return {"state": self.state.to_dict(), "failures": self.failures}

    @classmethod
    def from_attributes(cls, data: object) -> PlaybackRecord | None:
        from heel_coach.engine.state import RoutineState

        raw = _dict(data)
        try:
            state = RoutineState.from_dict(raw.get("state"))
        except EngineError:
            return None
        return cls(state, _int(raw.get("failures")))


class PlaybackChoice(StrEnum):
    """How the user wants a routine: played straight through, or coached step by step."""

    HANDS_FREE = "hands_free"
    STEP = "step"


class Notice(StrEnum):
    """Something we owe the user, said at the next request that can speak (AudioPlayer and
    PlaybackController responses cannot carry speech)."""

    AUDIO_FAILED = "audio_failed"
    """We gave up on a track that kept failing; the routine carries on step by step."""


@dataclass
class PlaybackPrefs:
    """``playback_prefs``: the user's hands-free choice (asked once) and a notice still owed."""

    choice: PlaybackChoice | None = None
    notice: Notice | None = None

    def to_attributes(self) -> dict[str, Any]:
        return {
            "choice": self.choice.value if self.choice else None,
            "notice": self.notice.value if self.notice else None,
        }

    @classmethod
    def from_attributes(cls, data: object) -> PlaybackPrefs:
        raw = _dict(data)
        return cls(_enum(PlaybackChoice, raw.get("choice")), _enum(Notice, raw.get("notice")))


def _enum(kind: type[E], value: object) -> E | None:
    try:
        return kind(str(value)) if value is not None else None
    except ValueError:
        return None


@dataclass
class ProgressMarks:
    """``progress``: the local day the weekly summary was last given."""

    summary_given: date | None = None

    def to_attributes(self) -> dict[str, Any]:
        return {"summary_given": self.summary_given.isoformat()} if self.summary_given else {}

    @classmethod
    def from_attributes(cls, data: object) -> ProgressMarks:
        try:
            given = date.fromisoformat(str(_dict(data).get("summary_given")))
        except ValueError:
            given = None
        return cls(given)


FULL_INSTRUCTIONS_TIMES = 3
"""A user hears an exercise's full instructions this many times, then its short form (issue 9)."""


@dataclass
class ExerciseHistory:
    """``exercises``: exercise id -> how many finished routines of this user included it.

    Absent in rows written before it existed (everyone starts at zero: full instructions)."""

    done: dict[str, int] = field(default_factory=dict)

    def record(self, exercise_ids: Iterable[str]) -> None:
        for exercise_id in set(exercise_ids):
            self.done[exercise_id] = self.done.get(exercise_id, 0) + 1

    def familiar(self) -> frozenset[str]:
        """Exercises done often enough for the short form of their instructions."""
        return frozenset(e for e, n in self.done.items() if n >= FULL_INSTRUCTIONS_TIMES)

    def to_attributes(self) -> dict[str, int]:
        return dict(self.done)

    @classmethod
    def from_attributes(cls, data: object) -> ExerciseHistory:
        return cls({str(k): n for k, v in _dict(data).items() if (n := _int(v)) > 0})


def progression_from_attributes(data: object) -> dict[str, str]:
    """``progression``: exercise id -> the level the user chose (e.g. single-leg raises)."""
    return {str(k): v for k, v in _dict(data).items() if isinstance(v, str)}


# -- one session, one turn ----------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressionOffer:
    """The level offered after "that was easy", remembered if the user says yes."""

    exercise: str
    level: str

    def to_attributes(self) -> dict[str, Any]:
        return {"exercise": self.exercise, "level": self.level}

    @classmethod
    def from_attributes(cls, data: object) -> ProgressionOffer | None:
        raw = _dict(data)
        exercise, level = _str(raw.get("exercise")), _str(raw.get("level"))
        return cls(exercise, level) if exercise and level else None


@dataclass(frozen=True)
class SentStep:
    """The step the session's last step response said, timed: a later request of the session
    tells from it which set the person was in when they spoke ("Alexa, repeat" mid-set)."""

    step: int
    first: int
    """The segment the response said the step from."""
    at: datetime
    """``request.timestamp`` of the request that response answered (Alexa's clock)."""
    set_ends_s: tuple[float, ...]
    """Seconds into the response at which each set it said finishes its work."""
    heard_after_s: float | None = None
    """Seconds from ``at`` to the timestamp of the first request after the response: when the
    person spoke (later requests of the session, e.g. "repeat" after a question, keep it)."""

    def heard(self, now: datetime) -> SentStep:
        if self.heard_after_s is not None:
            return self
        return replace(self, heard_after_s=(now - self.at).total_seconds())

    def to_attributes(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "step": self.step,
            "first": self.first,
            "at": self.at.isoformat(),
            "ends": [round(e, 2) for e in self.set_ends_s],
        }
        if self.heard_after_s is not None:
            out["heard"] = round(self.heard_after_s, 3)
        return out

    @classmethod
    def from_attributes(cls, data: object) -> SentStep | None:
        raw = _dict(data)
        ends, heard = raw.get("ends"), raw.get("heard")
        try:
            at = datetime.fromisoformat(str(raw.get("at")))
        except ValueError:
            return None
        if at.tzinfo is None or not isinstance(ends, list) or not all(_number(e) for e in ends):
            return None
        return cls(
            step=_int(raw.get("step"), -1),
            first=_int(raw.get("first")),
            at=at,
            set_ends_s=tuple(float(e) for e in ends),
            heard_after_s=float(heard) if _number(heard) else None,
        )


def _number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass
class SessionState:
    """Session attributes: the open question and what answering it needs."""

    pending: Pending | None = None
    routine: str | None = None
    """The routine asked for while we ask for the foot, the focus or whether to play it."""
    reminder: ReminderRequest | None = None
    progression: ProgressionOffer | None = None
    at_wait: bool = False
    """The last response ended at a step's wait point (its sets were said in full)."""
    sent: SentStep | None = None
    """The last step said in this session, timed (``features.routine.located``)."""

    def to_attributes(self) -> dict[str, Any]:
        out: dict[str, Any] = {"pending": self.pending.value if self.pending else None}
        if self.at_wait:
            out["at_wait"] = True
        if self.sent is not None:
            out["sent"] = self.sent.to_attributes()
        if self.routine is not None:
            out["routine"] = self.routine
        if self.reminder is not None:
            out["reminder"] = self.reminder.to_attributes()
        if self.progression is not None:
            out["progression"] = self.progression.to_attributes()
        return out

    @classmethod
    def from_attributes(cls, data: object) -> SessionState:
        raw = _dict(data)
        try:
            pending: Pending | None = Pending(str(raw.get("pending")))
        except ValueError:
            pending = None
        return cls(
            pending=pending,
            routine=_str(raw.get("routine")),
            reminder=ReminderRequest.from_attributes(raw.get("reminder")),
            progression=ProgressionOffer.from_attributes(raw.get("progression")),
            at_wait=raw.get("at_wait") is True,
            sent=SentStep.from_attributes(raw.get("sent")),
        )


@dataclass
class TurnOutcome:
    """What a turn decided, for the response interceptor and the response builder."""

    finished: RoutineFinished | None = None
    """A routine finished this turn: recorded with the state in one transaction."""
    mode: str = "step"
    """How it was played: "step" or "continuous"."""
    planned_s: float | None = None
    """The finished routine's announced length as the mode that played it times it (continuous
    mode: its tracks); None for step mode's plan (``features.progress``)."""
    consent_card: bool = False
    """Send the AskForPermissionsConsent card (reminders permission missing)."""
    skip_save: bool = False
    """Never write the user (back): data just deleted, or a skill event."""
