"""The four apps under test and the request bodies they get, built the same way in-process
and in the spawned servers.

Variants: ``floor`` (a), ``sdk`` (b), ``heel`` (c, verification off), ``heel_verified``
(c, full signature verification: test CA as the only trusted root, every request signed).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask

from skill.console.envelopes import Device
from skill.settings import Settings
from skill.web.certificates import CertificateFetcher
from skill.web.verification import CERT_URL_HEADER, SIGNATURE_HEADER, RequestVerifier

VARIANTS = ("floor", "sdk", "heel", "heel_verified")
HEEL = ("heel", "heel_verified")
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
MID_ROUTINE = "full"
Request = tuple[bytes, dict[str, str]]


class FileChainFetcher(CertificateFetcher):
    """Serves the test chain from disk (the one "download"); counts fetches."""

    def __init__(self, chain_pem: bytes) -> None:
        super().__init__()
        self.chain_pem = chain_pem
        self.fetches = 0

    def fetch(self, url: str) -> bytes:
        self.fetches += 1
        return self.chain_pem


@dataclass(frozen=True)
class Material:
    """Where one run's signing PKI lives (written once by the parent, read by servers)."""

    workdir: Path

    @property
    def roots(self) -> Path:
        return self.workdir / "roots.pem"

    @property
    def chain(self) -> Path:
        return self.workdir / "chain.pem"

    @property
    def key(self) -> Path:
        return self.workdir / "signing-key.pem"

    def db(self, variant: str, tag: str = "") -> Path:
        return self.workdir / f"{variant}{tag}.sqlite3"

    @classmethod
    def create(cls, workdir: Path) -> Material:
        from tests.fakes.pki import TestPKI

        pki = TestPKI("Heel Coach Benchmark")
        signing = pki.issue_alexa_signing_cert()
        material = cls(workdir)
        pki.write_ca_bundle(material.roots)
        material.chain.write_bytes(signing.chain_pem)
        material.key.write_bytes(signing.key_pem)
        return material

    def signing_key(self) -> rsa.RSAPrivateKey:
        key = serialization.load_pem_private_key(self.key.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return key


def build_app(variant: str, material: Material, tag: str = "") -> Flask:
    """A fresh app of ``variant``; Heel Coach variants get their own SQLite file."""
    from benchmarks.baselines import floor_app, sdk_app

    if variant == "floor":
        return floor_app()
    if variant == "sdk":
        return sdk_app()
    from skill.web.app import create_app

    verified = variant == "heel_verified"
    settings = Settings(db_path=material.db(variant, tag), verify_signatures=verified,
                        verify_timestamps=True,
                        trusted_roots_file=material.roots if verified else None)
    verifier = None
    if verified:
        verifier = RequestVerifier(verify_signatures=True, trust_roots_file=str(material.roots),
                                   fetcher=FileChainFetcher(material.chain.read_bytes()))
    app = create_app(settings, verifier=verifier)
    app.extensions["heelcoach"].store.open()  # migrate now, not inside the first timing
    return app


def mid_routine_attributes(position: int) -> dict[str, Any]:
    return {
        "profile": {"foot": "both", "focus": "sole", "disclaimer_given": True,
                    "contraindications_given": True},
        "routine": {"v": 1, "routine": MID_ROUTINE, "foot": "both", "focus": "sole",
                    "position": position, "paused": False, "offset_ms": 0,
                    "done": list(range(position)), "skipped": []},
    }


def mid_position() -> int:
    from skill.catalogue import load_catalogue
    from skill.catalogue.model import Focus
    from skill.engine.plan import Foot, build_plan

    plan = build_plan(load_catalogue().routines[MID_ROUTINE], Foot.BOTH, Focus.SOLE)
    return len(plan.steps) // 2


def seed_users(db_path: Path, user_ids: list[str], position: int) -> None:
    """Put each user in the middle of the full routine, in one transaction (not timed)."""
    payload = json.dumps(mid_routine_attributes(position), sort_keys=True, separators=(",", ":"))
    with closing(sqlite3.connect(db_path, timeout=30, isolation_level=None)) as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT OR REPLACE INTO users (user_id, attributes, updated_at) VALUES (?, ?, ?)",
            [(u, payload, "2026-01-01T00:00:00+00:00") for u in user_ids])
        conn.execute("COMMIT")


class Bodies:
    """Fresh request bodies per round (timestamps must be within 150 s), signed if needed."""

    def __init__(self, material: Material, position: int) -> None:
        self.material = material
        self.position = position
        self._key = material.signing_key()

    def make(self, variant: str, kind: str, count: int, tag: str = "") -> list[Request]:
        devices = [Device(user_id=f"amzn1.ask.account.BENCH{uuid.uuid4().hex}")
                   for _ in range(count)]
        if kind == "next" and variant in HEEL:
            seed_users(self.material.db(variant, tag), [d.user_id for d in devices],
                       self.position)
        build: Callable[[Device], dict[str, Any]] = {
            "launch": lambda d: d.launch(),
            "next": _next,
            "audio": lambda d: d.audio_event("AudioPlayer.PlaybackNearlyFinished",
                                             token="heelcoach.step.1", offset_ms=25_000),
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
