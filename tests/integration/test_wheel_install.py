"""The built wheel works on its own: installed into a fresh virtualenv (dependencies from the
package index, nothing from this checkout), `heel-coach` runs from a folder outside the repository.

This is what a user of `pip install heel-coach` gets; it catches files that exist in the checkout
but not in the package (content, compiled content, interaction models).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import requests

from heel_coach.console.envelopes import Device
from tests.integration.conftest import REPO, LiveServer, free_port

pytestmark = pytest.mark.slow

QUICK_CHAT = ["open heel coach", "start the quick routine", "both feet", "sole", *["next"] * 6, "quit"]


def _copy_sources(dest: Path) -> Path:
    """What an sdist would hold: building from a copy keeps build/ and egg-info out of the checkout
    and stale files in them out of the wheel."""
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, dest / name)
    shutil.copytree(
        REPO / "skill",
        dest / "skill",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"),
    )
    return dest


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with only the wheel and its declared dependencies; returns its bin/."""
    root = tmp_path_factory.mktemp("wheel")
    src = root / "src"
    src.mkdir()
    _copy_sources(src)
    dist = root / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(src)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = dist.glob("heel_coach-*.whl")
    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return env_dir / "bin"


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A working folder outside the repository, so nothing resolves relative to the checkout."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    assert not folder.resolve().is_relative_to(REPO)
    return folder


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("HEELCOACH_")
        and k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}
        and not k.lower().endswith("_proxy")
    }
    env.update(extra)
    return env


def run(bin_dir: Path, cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bin_dir / "heel-coach"), *args],
        cwd=cwd,
        env=clean_env(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_package_is_imported_from_the_virtualenv(installed: Path, elsewhere: Path) -> None:
    where = subprocess.run(
        [str(installed / "python"), "-c", "import heel_coach; print(heel_coach.__file__)"],
        cwd=elsewhere,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(installed.parent), where


def test_catalog_json(installed: Path, elsewhere: Path) -> None:
    result = run(installed, elsewhere, "catalog", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["exercises"]) >= 20
    assert "quick" in {r["id"] for r in data["routines"]}


def test_chat_completes_the_quick_routine(installed: Path, elsewhere: Path) -> None:
    result = run(installed, elsewhere, "chat", stdin="\n".join(QUICK_CHAT) + "\n")
    assert result.returncode == 0, result.stderr
    assert "That's the end of the quick routine" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert (elsewhere / "var" / "heel-coach.sqlite3").exists()  # default store, relative to cwd


def test_serve_answers_a_launch_request(installed: Path, elsewhere: Path) -> None:
    port = free_port()
    db = elsewhere / "served" / "heel-coach.sqlite3"
    log_path = elsewhere / "serve.log"
    env = clean_env(
        HEELCOACH_PORT=str(port),
        HEELCOACH_HOST="127.0.0.1",
        HEELCOACH_WORKERS="1",
        HEELCOACH_VERIFY_SIGNATURES="false",
        HEELCOACH_DB_PATH=str(db),
    )
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(installed / "heel-coach"), "serve"],
            cwd=elsewhere,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = LiveServer(port, db, log_path, process)
    try:
        server.wait_ready()
        with requests.Session() as session:
            session.trust_env = False
            response = session.post(server.alexa_url, json=Device().launch(), timeout=10)
        assert response.status_code == 200, response.text
        assert response.json()["response"]["outputSpeech"]["ssml"]
    finally:
        assert server.stop() == 0, server.log_text()[-3000:]
    assert db.exists()
    assert "Traceback" not in server.log_text()
