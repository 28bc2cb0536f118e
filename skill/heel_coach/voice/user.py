"""What we keep about a user between sessions: choices, one-time notices, and routine position.

No health information is kept: only the foot and focus the user chose, flags for notices
already given, and where they are in a routine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from heel_coach.catalogue.model import Focus
from heel_coach.engine.plan import Foot
from heel_coach.engine.state import RoutineState
from heel_coach.errors import EngineError
from heel_coach.json_data import copy_json


@dataclass
class UserData:
    foot: Foot | None = None
    focus: Focus | None = None
    disclaimer_given: bool = False
    contraindications_given: bool = False
    routine: RoutineState | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    """Attributes owned by other features (reminders, playback), kept as stored."""

    @classmethod
    def from_attributes(cls, attributes: dict[str, Any]) -> UserData:
        data = copy_json(attributes)
        profile = data.pop("profile", {}) or {}
        routine_raw = data.pop("routine", None)
        routine: RoutineState | None = None
        if routine_raw is not None:
            try:
                routine = RoutineState.from_dict(routine_raw)
            except EngineError:
                routine = None  # an unreadable position is dropped, not fatal
        return cls(
            foot=_enum(Foot, profile.get("foot")),
            focus=_enum(Focus, profile.get("focus")),
            disclaimer_given=bool(profile.get("disclaimer_given", False)),
            contraindications_given=bool(profile.get("contraindications_given", False)),
            routine=routine,
            extra=data,
        )

    def to_attributes(self) -> dict[str, Any]:
        out: dict[str, Any] = copy_json(self.extra)
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
