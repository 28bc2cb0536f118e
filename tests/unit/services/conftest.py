"""Fixtures: a Fake Alexa API over real HTTPS loopback, trusted through a test CA bundle."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from heel_coach.services.api_client import TimeoutApiClient
from tests.fakes.alexa_api import TOKEN, FakeAlexaApi, tls_files


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    return tls_files(tmp_path_factory.mktemp("fake-alexa-tls"))


@pytest.fixture
def fake_and_bundle(tls: tuple[Path, Path, Path]) -> Iterator[tuple[FakeAlexaApi, Path]]:
    cert, key, bundle = tls
    with FakeAlexaApi(cert, key) as api:
        yield api, bundle
    assert api.errors == []


@pytest.fixture
def fake(fake_and_bundle: tuple[FakeAlexaApi, Path]) -> FakeAlexaApi:
    api = fake_and_bundle[0]
    api.grant(TOKEN)
    return api


@pytest.fixture
def ca_bundle(fake_and_bundle: tuple[FakeAlexaApi, Path]) -> str:
    return str(fake_and_bundle[1])


@pytest.fixture
def api_client(ca_bundle: str) -> Iterator[TimeoutApiClient]:
    with TimeoutApiClient(timeout_s=5.0, ca_bundle=ca_bundle) as client:
        yield client


@pytest.fixture
def fast_client(ca_bundle: str) -> Iterator[TimeoutApiClient]:
    """A client with a tiny budget, for timeout tests paired with ``delay_next``."""
    with TimeoutApiClient(timeout_s=0.3, ca_bundle=ca_bundle) as client:
        yield client
