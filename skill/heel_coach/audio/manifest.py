"""``audio/<locale>/manifest.json``: which rendered file plays which track, and how long it is.

The renderer writes it last and atomically, so a reader (the skill) sees either the previous
complete set or the new complete set. The skill looks tracks up by their engine-independent id.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from heel_coach.audio.files import write_atomic
from heel_coach.errors import AudioError

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class TrackEntry:
    id: str
    file: str
    hash: str
    engine: str
    duration_s: float
    text: str
    plan: list[list[Any]]
    """The track plan: [kind, text-or-seconds] items (see heel_coach.audio.tracks; written by heel_coach.voice.tracks)."""
    layout: list[list[Any]] = field(default_factory=list)
    """Where each item landed in the file: [kind, start_s, end_s], for checks and chapters."""

    @property
    def duration_ms(self) -> int:
        return round(self.duration_s * 1000)


@dataclass(frozen=True)
class Manifest:
    locale: str
    engine: str
    spec: dict[str, Any]
    tracks: dict[str, TrackEntry]

    def to_json(self) -> dict[str, Any]:
        return {
            "version": MANIFEST_VERSION,
            "locale": self.locale,
            "engine": self.engine,
            "spec": self.spec,
            "tracks": {k: asdict(v) for k, v in sorted(self.tracks.items())},
        }

    @classmethod
    def from_json(cls, data: object) -> Manifest:
        if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
            raise AudioError("manifest has an unknown format")
        try:
            tracks = {str(k): TrackEntry(**v) for k, v in data["tracks"].items()}
            return cls(str(data["locale"]), str(data["engine"]), dict(data["spec"]), tracks)
        except (KeyError, TypeError, AttributeError) as exc:
            raise AudioError(f"manifest is invalid: {exc}") from exc


def manifest_path(out_dir: Path, locale: str) -> Path:
    return out_dir / locale / MANIFEST_NAME


def load_manifest(out_dir: Path, locale: str) -> Manifest | None:
    """The manifest of a locale, or None when there is none (not rendered) or it is unreadable."""
    path = manifest_path(out_dir, locale)
    try:
        return Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, AudioError):
        return None


def save_manifest(out_dir: Path, manifest: Manifest) -> Path:
    path = manifest_path(out_dir, manifest.locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(manifest.to_json(), indent=1, ensure_ascii=False) + "\n"
    write_atomic(path, text.encode("utf-8"))
    return path
