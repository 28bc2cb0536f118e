"""Every conversation runs on both stores: SQLite and DynamoDB (moto server over HTTP)."""

from __future__ import annotations

from pathlib import Path

import pytest

from heel_coach.settings import Settings
from tests.stores import STORE_KINDS, settings_for


@pytest.fixture(params=STORE_KINDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    return settings_for(request.param, tmp_path, request)
