"""Integration fixtures: a real gunicorn on a loopback port, a signing PKI and a cert proxy, and
the fake Alexa API (Reminders, Settings) over HTTPS with an app that trusts it.

Everything binds 127.0.0.1 only and is torn down by the fixture, even when a test fails.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from flask import Flask

from heel_coach.catalogue.model import Catalogue
from heel_coach.services.api_client import TimeoutApiClient
from heel_coach.settings import Settings
from heel_coach.web.app import create_app
from tests.fakes.alexa_api import FakeAlexaApi, tls_files
from tests.fakes.intercepting_proxy import CLEAR_ENV, InterceptingProxy, ProxyRequest, Response
from tests.fakes.pki import IssuedCert, TestPKI
from tests.helpers import API_TOKEN

REPO = Path(__file__).resolve().parents[2]
CERT_PATH = "/echo.api/echo-api-cert.pem"
CERT_URL = f"https://s3.amazonaws.com{CERT_PATH}"
START_TIMEOUT_S = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    """`heel-coach serve` (gunicorn) as a subprocess; ``stop`` sends SIGTERM and waits."""

    port: int
    db_path: Path
    log_path: Path
    process: subprocess.Popen[bytes]
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def alexa_url(self) -> str:
        return f"{self.base_url}/alexa"

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_ready(self, timeout_s: float = START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        session = requests.Session()
        session.trust_env = False  # loopback: never through a test's HTTPS_PROXY
        with session:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"server exited early:\n{self.log_text()[-3000:]}")
                try:
                    if session.get(f"{self.base_url}/healthz", timeout=1).status_code == 200:
                        return
                except requests.RequestException:
                    pass
                time.sleep(0.1)
        raise RuntimeError(f"server not ready in {timeout_s} s:\n{self.log_text()[-3000:]}")

    def terminate(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def stop(self, timeout_s: float = 25.0) -> int:
        """Graceful stop; SIGKILL only if gunicorn overruns its own graceful timeout."""
        self.terminate()
        try:
            return self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(timeout=5)


LiveServerFactory = Callable[..., LiveServer]


@pytest.fixture
def live_server_factory(tmp_path: Path) -> Iterator[LiveServerFactory]:
    """Start gunicorn with a temp DB (verification off unless ``env`` says otherwise)."""
    started: list[LiveServer] = []

    def start(
        workers: int = 2, env: Mapping[str, str] | None = None, db_path: Path | None = None
    ) -> LiveServer:
        port = free_port()
        db = db_path or tmp_path / f"server-{port}" / "heelcoach.sqlite3"
        log_path = tmp_path / f"server-{port}.log"
        child_env = {
            k: v for k, v in os.environ.items() if not k.startswith("HEELCOACH_") and k not in CLEAR_ENV
        }
        for key in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
            child_env.pop(key, None)
        child_env.update(
            {
                "HEELCOACH_DB_PATH": str(db),
                "HEELCOACH_HOST": "127.0.0.1",
                "HEELCOACH_PORT": str(port),
                "HEELCOACH_WORKERS": str(workers),
                "HEELCOACH_VERIFY_SIGNATURES": "false",
                "HEELCOACH_LOG_LEVEL": "INFO",
                "PYTHONPATH": str(REPO),
                "PYTHONUNBUFFERED": "1",
            }
        )
        child_env.update(env or {})
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "heel_coach", "serve"],
                cwd=REPO,
                env=child_env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = LiveServer(port, db, log_path, process, dict(env or {}))
        started.append(server)
        server.wait_ready()
        return server

    yield start
    for server in started:
        server.stop(timeout_s=10)


@pytest.fixture
def live_server(live_server_factory: LiveServerFactory) -> LiveServer:
    """One gunicorn with two workers, verification off."""
    return live_server_factory()


# -- signing PKI and the certificate proxy ---------------------------------------------------


@dataclass
class SigningSetup:
    pki: TestPKI
    signing: IssuedCert
    roots_file: Path
    """Trust roots for Alexa's chain (HEELCOACH_TRUSTED_ROOTS) and the proxy's TLS bundle."""


@pytest.fixture(scope="session")
def signing_setup(tmp_path_factory: pytest.TempPathFactory) -> SigningSetup:
    pki = TestPKI("Integration Alexa")
    roots = pki.write_ca_bundle(tmp_path_factory.mktemp("alexa-roots") / "roots.pem")
    return SigningSetup(pki, pki.issue_alexa_signing_cert(), roots)


ChainRoutes = dict[str, Callable[[ProxyRequest], object]]


@pytest.fixture
def cert_proxy(
    signing_setup: SigningSetup, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[InterceptingProxy, ChainRoutes]]:
    """The proxy serving s3.amazonaws.com; this process's ``requests`` goes through it.

    Tests add per-path handlers to the returned dict; the default path serves the good chain.
    """
    routes: ChainRoutes = {CERT_PATH: lambda _: Response(200, {}, signing_setup.signing.chain_pem)}

    def handler(request: ProxyRequest) -> object:
        route = routes.get(request.path)
        return route(request) if route else Response(404, {}, b"no such key")

    with InterceptingProxy(signing_setup.pki) as proxy:
        proxy.route("s3.amazonaws.com", handler)  # type: ignore[arg-type]
        for key, value in proxy.client_env(signing_setup.roots_file).items():
            monkeypatch.setenv(key, value)
        for key in CLEAR_ENV:
            monkeypatch.delenv(key, raising=False)
        yield proxy, routes


# -- the fake Alexa API ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def alexa_api_tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """Certificate, key and CA bundle of the fake Alexa API's HTTPS server."""
    return tls_files(tmp_path_factory.mktemp("fake-alexa-tls"))


@pytest.fixture
def api_token() -> str:
    """The API access token the fake accepts (a module overrides this fixture for its own)."""
    return API_TOKEN


@pytest.fixture
def fake(alexa_api_tls: tuple[Path, Path, Path], api_token: str) -> Iterator[FakeAlexaApi]:
    cert, key, _ = alexa_api_tls
    with FakeAlexaApi(cert, key) as api:
        api.grant(api_token)
        yield api


@pytest.fixture
def api_app(
    settings: Settings, catalogue: Catalogue, alexa_api_tls: tuple[Path, Path, Path]
) -> Iterator[Flask]:
    """The app, calling the Alexa APIs through a client that trusts the fake's certificate."""
    with TimeoutApiClient(timeout_s=5.0, ca_bundle=str(alexa_api_tls[2])) as client:
        yield create_app(settings, catalogue=catalogue, api_client=client)
