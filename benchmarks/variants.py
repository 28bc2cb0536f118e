"""The request bodies the apps under test get (the apps themselves: ``benchmarks.apps``).

Variants: ``floor`` (a), ``sdk`` (b), ``heel`` (c, verification off), ``heel_verified``
(c, full signature verification: test CA as the only trusted root, every request signed).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from benchmarks.apps import CERT_URL, HEEL, VARIANTS, Material, build_app, file_chain_fetcher
from heel_coach.console.envelopes import Device
from heel_coach.web.verification import CERT_URL_HEADER, SIGNATURE_HEADER

MID_ROUTINE = "full"
Request = tuple[bytes, dict[str, str]]


def mid_routine_attributes(position: int) -> dict[str, Any]:
    return {
        "profile": {
            "foot": "both",
            "focus": "sole",
            "disclaimer_given": True,
            "contraindications_given": True,
        },
        "routine": {
            "v": 1,
            "routine": MID_ROUTINE,
            "foot": "both",
            "focus": "sole",
            "position": position,
            "paused": False,
            "offset_ms": 0,
            "done": list(range(position)),
            "skipped": [],
        },
    }


def mid_position() -> int:
    from heel_coach.catalogue import load_catalogue
    from heel_coach.catalogue.model import Focus
    from heel_coach.engine.plan import Foot, build_plan

    plan = build_plan(load_catalogue().routines[MID_ROUTINE], Foot.BOTH, Focus.SOLE)
    return len(plan.steps) // 2


def seed_users(db_path: Path, user_ids: list[str], position: int) -> None:
    """Put each user in the middle of the full routine, in one transaction (not timed)."""
    payload = json.dumps(mid_routine_attributes(position), sort_keys=True, separators=(",", ":"))
    with closing(sqlite3.connect(db_path, timeout=30, isolation_level=None)) as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT OR REPLACE INTO users (user_id, attributes, updated_at) VALUES (?, ?, ?)",
            [(u, payload, "2026-01-01T00:00:00+00:00") for u in user_ids],
        )
        conn.execute("COMMIT")


class Bodies:
    """Fresh request bodies per round (timestamps must be within 150 s), signed if needed."""

    def __init__(self, material: Material, position: int) -> None:
        self.material = material
        self.position = position
        self._key = material.signing_key()

    def make(self, variant: str, kind: str, count: int, tag: str = "") -> list[Request]:
        devices = [Device(user_id=f"amzn1.ask.account.BENCH{uuid.uuid4().hex}") for _ in range(count)]
        if kind == "next" and variant in HEEL:
            seed_users(self.material.db(variant, tag), [d.user_id for d in devices], self.position)
        build: Callable[[Device], dict[str, Any]] = {
            "launch": lambda d: d.launch(),
            "next": _next,
            "audio": lambda d: d.audio_event(
                "AudioPlayer.PlaybackNearlyFinished", token="heelcoach.step.1", offset_ms=25_000
            ),
        }[kind]
        bodies = [json.dumps(build(d)).encode() for d in devices]
        return [(body, self.headers(variant, body)) for body in bodies]

    def headers(self, variant: str, body: bytes) -> dict[str, str]:
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if variant == "heel_verified":
            from tests.fakes.pki import sign_alexa_request

            headers[CERT_URL_HEADER] = CERT_URL
            headers[SIGNATURE_HEADER] = sign_alexa_request(body, self._key)
        return headers


def _next(device: Device) -> dict[str, Any]:
    device.session_id = "amzn1.echo-api.session." + uuid.uuid4().hex  # an ongoing session
    return device.intent("AMAZON.NextIntent")


__all__ = [
    "CERT_URL",
    "HEEL",
    "VARIANTS",
    "Bodies",
    "Material",
    "Request",
    "build_app",
    "file_chain_fetcher",
    "mid_position",
    "seed_users",
]
