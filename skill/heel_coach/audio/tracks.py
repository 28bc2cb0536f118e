"""A track plan: what one continuous-mode track says and the silences between, as data.

The audio layer renders these plans without knowing where the words came from (the voice
layer writes them: ``heel_coach.voice.tracks``). Tracks are content-addressed: the id is a
hash of what is said and the silences between, so identical steps in different routines
share one file.

Items of a track plan:

* ``say``  speech that takes its own time (the clock advances by its length);
* ``over`` speech laid over a running silence at the current clock, once the clip before it
  has ended (mid-hold cues like
  "halfway" and rep counts), so a 30 s hold is 30 s from "Start" to "And release";
* ``gap``  exact silence, in seconds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

TRACK_FORMAT = 1

Item = tuple[str, str | float]


@dataclass(frozen=True)
class TrackPlan:
    locale: str
    items: tuple[Item, ...]

    @property
    def track_id(self) -> str:
        """Engine-independent id: the same words and silences give the same id everywhere."""
        return _digest({"v": TRACK_FORMAT, "locale": self.locale, "items": self.items})[:16]

    def texts(self) -> list[str]:
        return [str(value) for kind, value in self.items if kind != "gap"]

    def text(self) -> str:
        return " ".join(self.texts())

    def to_json(self) -> list[list[str | float]]:
        return [[kind, value] for kind, value in self.items]

    def planned_silence_s(self) -> float:
        return sum(float(v) for k, v in self.items if k == "gap")


def _digest(data: object) -> str:
    import hashlib  # only when a track is named: not on every cold start

    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def file_hash(plan: TrackPlan, engine: str, spec: object) -> str:
    """Name of the rendered file: engine, words, timing and output format all change it."""
    return _digest({"engine": engine, "track": plan.track_id, "items": plan.items, "spec": repr(spec)})[:24]
