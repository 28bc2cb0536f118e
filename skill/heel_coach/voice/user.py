"""What we keep about a user between sessions: choices, one-time notices, routine position, and
each feature's record (playback, reminders, progress marks, progression, time zone).

No health information is kept: only the foot and focus the user chose, flags for notices
already given, where they are in a routine, and the features' facts (docs/privacy.md).
The stored JSON is the one every earlier version wrote; keys we do not know are not kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from heel_coach.catalogue.model import Focus, Foot
from heel_coach.errors import EngineError
from heel_coach.json_data import copy_json
from heel_coach.voice.state import (
    ExerciseHistory,
    PlaybackPrefs,
    PlaybackRecord,
    ProgressMarks,
    Reminders,
    progression_from_attributes,
)

# The engine, progress statistics and screen requests are imported where they are used, so a
# launch loads only what it needs (Lambda cold start: benchmarks/RESULTS.md, figure 7).
if TYPE_CHECKING:
    from heel_coach.engine.state import RoutineState


@dataclass
class UserData:
    """A user's persistent attributes as typed fields, read and written once per request."""

    foot: Foot | None = None
    focus: Focus | None = None
    disclaimer_given: bool = False
    contraindications_given: bool = False
    routine: RoutineState | None = None
    playback: PlaybackRecord | None = None
    """Present while continuous playback owns the routine state."""
    playback_prefs: PlaybackPrefs | None = None
    """Hands-free or step by step (absent until first asked) and a notice still owed."""
    reminders: Reminders | None = None
    """Absent until the user first talks about reminders."""
    progress: ProgressMarks | None = None
    progression: dict[str, str] = field(default_factory=dict)
    """Exercise id -> the progression level the user chose."""
    exercises: ExerciseHistory = field(default_factory=ExerciseHistory)
    """How often each exercise was done: full instructions first, then the short form."""
    time_zone: str | None = None
    """The device's zone, last read from the Settings API (progress counts the user's days)."""

    @classmethod
    def from_attributes(cls, attributes: dict[str, Any]) -> UserData:
        data = copy_json(attributes)
        profile = data.get("profile") or {}
        if not isinstance(profile, dict):
            profile = {}
        routine_raw = data.get("routine")
        routine: RoutineState | None = None
        if routine_raw is not None:
            from heel_coach.engine.state import RoutineState  # only a user with a routine on

            try:
                routine = RoutineState.from_dict(routine_raw)
            except EngineError:
                routine = None  # an unreadable position is dropped, not fatal
        zone = data.get("time_zone")
        return cls(
            foot=_enum(Foot, profile.get("foot")),
            focus=_enum(Focus, profile.get("focus")),
            disclaimer_given=bool(profile.get("disclaimer_given", False)),
            contraindications_given=bool(profile.get("contraindications_given", False)),
            routine=routine,
            playback=PlaybackRecord.from_attributes(data["playback"]) if "playback" in data else None,
            playback_prefs=PlaybackPrefs.from_attributes(data["playback_prefs"])
            if "playback_prefs" in data
            else None,
            reminders=Reminders.from_attributes(data["reminders"]) if "reminders" in data else None,
            progress=ProgressMarks.from_attributes(data["progress"]) if "progress" in data else None,
            progression=progression_from_attributes(data.get("progression")),
            exercises=ExerciseHistory.from_attributes(data.get("exercises")),
            time_zone=zone if isinstance(zone, str) and zone else None,
        )

    def to_attributes(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.playback is not None:
            out["playback"] = self.playback.to_attributes()
        if self.playback_prefs is not None:
            out["playback_prefs"] = self.playback_prefs.to_attributes()
        if self.reminders is not None:
            out["reminders"] = self.reminders.to_attributes()
        if self.progress is not None:
            out["progress"] = self.progress.to_attributes()
        if self.progression:
            out["progression"] = dict(self.progression)
        if self.exercises.done:
            out["exercises"] = self.exercises.to_attributes()
        if self.time_zone:
            out["time_zone"] = self.time_zone
        out["profile"] = {
            "foot": self.foot.value if self.foot else None,
            "focus": self.focus.value if self.focus else None,
            "disclaimer_given": self.disclaimer_given,
            "contraindications_given": self.contraindications_given,
        }
        out["routine"] = self.routine.to_dict() if self.routine else None
        return out


def _enum(kind: Any, value: object) -> Any:
    try:
        return kind(value) if value is not None else None
    except ValueError:
        return None
