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
    from_segment: int = 0
    """Where the current step picks up: the segment the person was in when they asked to hear
    it again or paused (a repeat or resume never says a set they finished). Equal to the
    number of the step's segments when they paused after its last set: resuming moves on."""

    def finished(self, plan: Plan) -> bool:
        return self.position >= len(plan.steps)

    def resumes_at(self, plan: Plan) -> int:
        """The step a resume says: this one, or the next when it was paused after its last set
        (the routine's last step stays named: resuming there finishes the routine)."""
        if self.position < len(plan.steps) and self.from_segment >= len(plan.steps[self.position].segments):
            return min(self.position + 1, len(plan.steps) - 1)
        return self.position

    def moved_to(self, position: int) -> RoutineState:
        return replace(self, position=position, offset_ms=0, paused=False, from_segment=0)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
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
        if self.from_segment:
            out["from_segment"] = self.from_segment
        return out

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
                from_segment=_int(data.get("from_segment", 0)),  # absent in rows written before it
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
        segments = len(plan.steps[self.position].segments) if self.position < n else 0
        if not 0 <= self.from_segment <= segments:
            raise EngineError(f"from_segment {self.from_segment} outside 0..{segments}")


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected an integer, got {value!r}")
    return value
