"""The serialisable position of a user inside a routine.

Stored as plain JSON in the user's persistent attributes, so it must survive a round trip
and must be re-validated on the way in: a stored state can be stale (the catalogue changed)
or corrupt, and the engine refuses it with EngineError instead of crashing later.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from heel_coach.catalogue.model import Focus
from heel_coach.engine.plan import Foot, Plan
from heel_coach.errors import EngineError

STATE_VERSION = 2
"""2: a step is a whole exercise (or a side or set of one), not one set; a version-1 position
counts the old steps, would point at the wrong exercise, and is refused (the user starts anew)."""


@dataclass(frozen=True)
class RoutineState:
    """Where a user is in a routine: what the user data stores (``to_dict``) between requests."""

    routine_id: str
    foot: Foot
    focus: Focus
    position: int = 0
    """Index of the current step; equal to the number of steps once finished."""
    paused: bool = False
    offset_ms: int = 0
    """Position inside the current step's timed work (continuous playback resumes here)."""
    done: frozenset[int] = field(default_factory=frozenset)
    """Steps completed by moving on from them with "next"."""
    skipped: frozenset[int] = field(default_factory=frozenset)
    """Steps passed over with "skip"."""

    def finished(self, plan: Plan) -> bool:
        return self.position >= len(plan.steps)

    def moved_to(self, position: int) -> RoutineState:
        return replace(self, position=position, offset_ms=0, paused=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": STATE_VERSION,
            "routine": self.routine_id,
            "foot": self.foot.value,
            "focus": self.focus.value,
            "position": self.position,
            "paused": self.paused,
            "offset_ms": self.offset_ms,
            "done": sorted(self.done),
            "skipped": sorted(self.skipped),
        }

    @classmethod
    def from_dict(cls, data: object) -> RoutineState:
        if not isinstance(data, dict) or data.get("v") != STATE_VERSION:
            raise EngineError("stored routine state has an unknown format")
        try:
            state = cls(
                routine_id=str(data["routine"]),
                foot=Foot(data["foot"]),
                focus=Focus(data["focus"]),
                position=_int(data["position"]),
                paused=bool(data["paused"]),
                offset_ms=_int(data["offset_ms"]),
                done=frozenset(_int(i) for i in data["done"]),
                skipped=frozenset(_int(i) for i in data["skipped"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise EngineError(f"stored routine state is invalid: {exc}") from exc
        return state

    def check(self, plan: Plan) -> None:
        """Raise EngineError unless this state is a valid position in ``plan``."""
        n = len(plan.steps)
        if plan.routine_id != self.routine_id:
            raise EngineError("state belongs to another routine")
        if not 0 <= self.position <= n:
            raise EngineError(f"position {self.position} outside 0..{n}")
        if self.offset_ms < 0:
            raise EngineError("negative offset")
        if self.done & self.skipped:
            raise EngineError("a step cannot be both done and skipped")
        if any(not 0 <= i < n for i in self.done | self.skipped):
            raise EngineError("done/skipped step out of range")


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected an integer, got {value!r}")
    return value
