"""The four apps under test, built the same way in-process and in the spawned servers.

Only what a variant needs is imported: a spawned SDK baseline must not pay for Heel Coach's
or the signing PKI's imports, or start-up figures would flatter Heel Coach.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import rsa
    from flask import Flask

VARIANTS = ("floor", "sdk", "heel", "heel_verified")
HEEL = ("heel", "heel_verified")
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"


def file_chain_fetcher(chain_pem: bytes) -> Any:
    """A CertificateFetcher that serves the test chain from memory (the one "download") and
    counts fetches."""
    from heel_coach.web.certificates import CertificateFetcher

    class FileChainFetcher(CertificateFetcher):
        def __init__(self) -> None:
            super().__init__()
            self.chain_pem = chain_pem
            self.fetches = 0

        def fetch(self, url: str) -> bytes:
            self.fetches += 1
            return self.chain_pem

    return FileChainFetcher()


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
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = serialization.load_pem_private_key(self.key.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)
        return key


def build_app(variant: str, material: Material, tag: str = "") -> Flask:
    """A fresh app of ``variant``; Heel Coach variants get their own SQLite file."""
    if variant == "floor":
        from benchmarks.baselines import floor_app

        return floor_app()
    if variant == "sdk":
        from benchmarks.baselines import sdk_app

        return sdk_app()
    from heel_coach.settings import Settings
    from heel_coach.web.app import create_app
    from heel_coach.web.verification import RequestVerifier

    verified = variant == "heel_verified"
    settings = Settings(
        db_path=material.db(variant, tag),
        verify_signatures=verified,
        verify_timestamps=True,
        trusted_roots_file=material.roots if verified else None,
    )
    verifier = None
    if verified:
        verifier = RequestVerifier(
            verify_signatures=True,
            trust_roots_file=str(material.roots),
            fetcher=file_chain_fetcher(material.chain.read_bytes()),
        )
    app = create_app(settings, verifier=verifier)
    app.extensions["heelcoach"].store.open()  # migrate now, not inside the first timing
    return app
