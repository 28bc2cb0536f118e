"""Signature verification at the HTTP level: the real Flask app, the real fetcher going through
the intercepting proxy to "https://s3.amazonaws.com/echo.api/...", the test CA as trust root.

Every documented rejection is a 400 with a JSON reason and leaves the database untouched;
a correctly signed request is a 200. (Verifier unit tests live in tests/unit/web.)
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from heel_coach.console.envelopes import Device
from heel_coach.settings import Settings
from heel_coach.web.app import create_app
from tests.fakes.intercepting_proxy import InterceptingProxy, Response
from tests.fakes.pki import IssuedCert, TestPKI, sign_alexa_request
from tests.integration.conftest import CERT_URL, ChainRoutes, SigningSetup

SKILL_ID = "amzn1.ask.skill.heel-coach-e2e"
CERT_BASE = "https://s3.amazonaws.com/echo.api"


def users_dump(db: Path) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT * FROM users ORDER BY user_id").fetchall()


@pytest.fixture
def make_app(
    tmp_path: Path, signing_setup: SigningSetup, cert_proxy: tuple[InterceptingProxy, ChainRoutes]
) -> Iterator[Callable[..., Flask]]:
    apps: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        settings = Settings(
            db_path=tmp_path / f"app{len(apps)}" / "db.sqlite3",
            verify_signatures=True,
            trusted_roots_file=signing_setup.roots_file,
            **overrides,
        )
        app = create_app(settings)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["heelcoach"].store.close()


class Caller:
    """Signs and posts like Alexa; each call can break one thing."""

    def __init__(self, app: Flask, key: Any, device: Device | None = None) -> None:
        self.app = app
        self.client: FlaskClient = app.test_client()
        self.key = key
        self.device = device or Device(application_id=SKILL_ID)

    def post(
        self,
        envelope: dict[str, Any] | None = None,
        *,
        cert_url: str | None = CERT_URL,
        signature: str | None = None,
        key: Any = None,
        tamper: bool = False,
    ) -> Any:
        body = json.dumps(envelope or self.device.launch()).encode()
        headers = {"Content-Type": "application/json"}
        if cert_url is not None:
            headers["SignatureCertChainUrl"] = cert_url
        sig = signature if signature is not None else sign_alexa_request(body, key or self.key)
        if signature != "":
            headers["Signature-256"] = sig
        if tamper:
            body = body.replace(b"LaunchRequest", b"LaunchRequest ", 1)
        return self.client.post("/alexa", data=body, headers=headers)

    @property
    def db(self) -> Path:
        return Path(self.app.extensions["heelcoach"].settings.db_path)


@pytest.fixture
def caller(make_app: Callable[..., Flask], signing_setup: SigningSetup) -> Caller:
    c = Caller(make_app(), signing_setup.signing.key)
    first = c.post()  # a real user with progress, so "unchanged" is a meaningful check
    assert first.status_code == 200, first.get_data()
    return c


def assert_rejected(caller: Caller, reason: str, envelope: dict[str, Any] | None = None, **post: Any) -> None:
    """Post a request from a user the database has never seen (so an accepted request would add
    a row) and check the 400, its reason, and that the database is as it was *before* the post."""
    before = users_dump(caller.db)
    response = caller.post(envelope or Device(application_id=SKILL_ID).launch(), **post)
    assert response.status_code == 400, response.get_data()
    assert response.is_json
    assert response.get_json()["error"] == reason, response.get_json()
    assert b"Traceback" not in response.get_data()
    assert users_dump(caller.db) == before


def test_correctly_signed_request_is_answered(
    caller: Caller, cert_proxy: tuple[InterceptingProxy, ChainRoutes]
) -> None:
    response = caller.post(caller.device.intent("AMAZON.HelpIntent"))
    assert response.status_code == 200
    assert response.get_json()["response"]["outputSpeech"]
    proxy, _ = cert_proxy
    assert proxy.count("/echo.api/echo-api-cert.pem") == 1  # fetched once, then cached


def test_missing_headers(caller: Caller) -> None:
    assert_rejected(caller, "missing_signature_headers", cert_url=None)
    assert_rejected(caller, "missing_signature_headers", signature="")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", "cert_url_scheme"),
        ("https://notamazon.com/echo.api/echo-api-cert.pem", "cert_url_host"),
        ("https://bucket.s3.amazonaws.com/echo.api/echo-api-cert.pem", "cert_url_host"),
        ("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", "cert_url_path"),
        ("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", "cert_url_path"),
        ("https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem", "cert_url_path"),
        ("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", "cert_url_port"),
    ],
)
def test_bad_certificate_urls(
    caller: Caller, url: str, reason: str, cert_proxy: tuple[InterceptingProxy, ChainRoutes]
) -> None:
    proxy, _ = cert_proxy
    fetched = len(proxy.requests)
    assert_rejected(caller, reason, cert_url=url)
    assert len(proxy.requests) == fetched  # refused before any download


def _serve(cert_proxy: tuple[InterceptingProxy, ChainRoutes], name: str, cert: IssuedCert) -> str:
    _, routes = cert_proxy
    routes[f"/echo.api/{name}"] = lambda _: Response(200, {}, cert.chain_pem)
    return f"{CERT_BASE}/{name}"


def test_expired_certificate(
    caller: Caller, signing_setup: SigningSetup, cert_proxy: tuple[InterceptingProxy, ChainRoutes]
) -> None:
    now = datetime.now(UTC)
    expired = signing_setup.pki.issue_alexa_signing_cert(
        not_before=now - timedelta(days=60), not_after=now - timedelta(days=1)
    )
    url = _serve(cert_proxy, "expired.pem", expired)
    assert_rejected(caller, "cert_expired", cert_url=url, key=expired.key)


def test_wrong_san(
    caller: Caller, signing_setup: SigningSetup, cert_proxy: tuple[InterceptingProxy, ChainRoutes]
) -> None:
    wrong = signing_setup.pki.issue_leaf(["echo-api.example.com"])
    url = _serve(cert_proxy, "wrong-san.pem", wrong)
    assert_rejected(caller, "cert_san_mismatch", cert_url=url, key=wrong.key)


def test_untrusted_chain(caller: Caller, cert_proxy: tuple[InterceptingProxy, ChainRoutes]) -> None:
    rogue = TestPKI("Rogue").issue_alexa_signing_cert()
    url = _serve(cert_proxy, "rogue.pem", rogue)
    assert_rejected(caller, "cert_chain_untrusted", cert_url=url, key=rogue.key)


def test_tampered_body(caller: Caller) -> None:
    assert_rejected(caller, "bad_signature", tamper=True)


def test_signature_from_another_key(caller: Caller) -> None:
    other = TestPKI("Other").issue_alexa_signing_cert()
    assert_rejected(caller, "bad_signature", key=other.key)


def test_bad_base64(caller: Caller) -> None:
    assert_rejected(caller, "bad_signature_encoding", signature="not*base64!")


@pytest.mark.parametrize(("shift", "reason"), [(-600, "stale_timestamp"), (600, "future_timestamp")])
def test_timestamps(caller: Caller, shift: int, reason: str) -> None:
    envelope = Device(application_id=SKILL_ID).launch()
    when = datetime.now(UTC) + timedelta(seconds=shift)
    envelope["request"]["timestamp"] = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert_rejected(caller, reason, envelope)


def test_wrong_skill_id(make_app: Callable[..., Flask], signing_setup: SigningSetup) -> None:
    app = make_app(skill_ids=frozenset({SKILL_ID}))
    ours = Caller(app, signing_setup.signing.key)
    assert ours.post().status_code == 200
    assert_rejected(ours, "unknown_skill_id", Device(application_id="amzn1.ask.skill.someone-else").launch())
