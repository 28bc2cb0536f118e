"""A built Lambda package (``make build-SkillFunction``): what ``heel_coach.lambda_package``
prepares in it changes how fast a cold start is, never what the skill says."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from heel_coach.console.envelopes import Device
from heel_coach.lambda_handler import LambdaEdge
from heel_coach.lambda_package import load_content, snapshot_path
from heel_coach.settings import Settings

REPO = Path(__file__).resolve().parents[2]

CHILD = """
import dataclasses, json, sys
from heel_coach import lambda_handler, lambda_package, module_bundle
from heel_coach.catalogue import load_catalogue
from heel_coach.console.envelopes import Device
from heel_coach.voice.prompts import load_prompts

answer = lambda_handler.handler(Device().launch(), None)
content = lambda_package.load_content()
print(json.dumps({
    "answer": answer,
    "package": lambda_handler.__file__,
    "code_cache": "exec" in vars(dataclasses),
    "bundled": sorted(
        name for name, module in sys.modules.items()
        if name.startswith("heel_coach.") and type(module.__spec__.loader).__name__ == "_BundledLoader"
    ),
    "snapshot_is_the_content": content is not None
        and content.catalogue == lambda_handler.edge().assembled.catalogue == load_catalogue()
        and all(prompts == load_prompts(locale) for locale, prompts in content.prompts.items()),
    "locales": sorted(content.prompts) if content else [],
}))
"""


def run_python(
    code_or_module: list[str], pythonpath: list[Path], cwd: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *code_or_module],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(map(str, pythonpath)), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """heel_coach as ``pip install --target`` puts it in the package, then prepared in it."""
    target = tmp_path_factory.mktemp("lambda-package")
    shutil.copytree(
        REPO / "skill" / "heel_coach", target / "heel_coach", ignore=shutil.ignore_patterns("__pycache__")
    )
    done = run_python(["-m", "heel_coach.lambda_package"], [target], cwd=target)
    assert done.returncode == 0, done.stderr
    return target


def test_a_prepared_package_says_what_the_checkout_says(package: Path, tmp_path: Path) -> None:
    done = run_python(
        ["-c", CHILD], [package, REPO], cwd=tmp_path, HEELCOACH_DB_PATH=str(tmp_path / "a.sqlite3")
    )
    assert done.returncode == 0, done.stderr
    child = json.loads(done.stdout.strip().splitlines()[-1])
    assert child["package"].startswith(str(package))  # not the checkout's modules
    assert child["code_cache"] and child["snapshot_is_the_content"]
    assert {"heel_coach.voice.handlers.launch", "heel_coach.voice.speech"} <= set(child["bundled"])
    assert child["locales"] == ["de-DE", "en-AU", "en-CA", "en-GB", "en-IN", "en-US"]
    here = LambdaEdge.build(Settings(db_path=tmp_path / "b.sqlite3")).handle(Device().launch(), None)
    assert child["answer"]["response"] == here["response"]


RECORDS = """
import importlib, pkgutil, sys
from tests.records import records_of_package
from heel_coach import dataclass_cache
made_by_dataclasses = []
if sys.argv[1] == "replayed":
    assert dataclass_cache.install()
    real = dataclass_cache._REAL_PROCESS_CLASS
    def counted(cls, *options):
        if cls.__module__.startswith("heel_coach."):  # not Flask's or Werkzeug's own records
            made_by_dataclasses.append(cls.__qualname__)
        return real(cls, *options)
    dataclass_cache._REAL_PROCESS_CLASS = counted
import heel_coach
for module in pkgutil.walk_packages(heel_coach.__path__, "heel_coach."):
    if not module.name.endswith(".__main__"):
        importlib.import_module(module.name)
for name, module in list(sys.modules.items()):
    if name.startswith("heel_coach."):  # stand-ins made, so both makings compare method by method
        for value in list(vars(module).values()):
            if isinstance(value, type) and value.__module__ == name and "__dataclass_params__" in vars(value):
                dataclass_cache.materialize(value)
print(made_by_dataclasses)
print(repr(records_of_package("heel_coach")))
"""


def test_every_record_replayed_from_the_package_is_the_record_dataclasses_make(
    package: Path, tmp_path: Path
) -> None:
    """The package's own records, made by ``dataclasses`` and replayed from the recipes the
    build wrote: attribute by attribute the same (code, closures, defaults, fields)."""
    made, not_replayed = {}, {}
    for how in ("plain", "replayed"):
        done = run_python(["-c", RECORDS, how], [package, REPO], cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        *_, not_replayed[how], made[how] = done.stdout.strip().splitlines()
    assert made["plain"].count("__dataclass_fields__") >= 100  # every record of the package
    assert made["replayed"] == made["plain"]
    assert not_replayed["replayed"] == "['_Entry']"  # slots=True: dataclasses makes a new class


CONVERSATION = """
import json, sys
from heel_coach.console.client import VoiceClient

def conversation(handler):
    def send(body, headers):
        return 200, json.dumps(handler(json.loads(body), None)).encode()

    alexa = VoiceClient.for_locale(send, sys.argv[1])
    said = [alexa.launch().text]
    for text in sys.argv[2:]:
        said.append(alexa.say(text).text)
    return said

if __name__ == "__main__":
    from heel_coach import lambda_handler
    print(json.dumps(conversation(lambda_handler.handler)))
"""
SAYINGS = {
    "en-US": ["start the quick routine", "both", "ready", "how long is left", "repeat", "pause", "resume"]
    + ["what is this exercise for", "which foot am I on", "it hurts", "skip", "help", "next", "stop"],
    "de-DE": [
        "starte das kurzprogramm",
        "beide",
        "bereit",
        "wie lange noch",
        "noch einmal",
        "weiter",
        "Hilfe",
    ],
}


@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_a_conversation_through_the_prepared_package_says_what_the_checkout_says(
    package: Path, tmp_path: Path, locale: str
) -> None:
    """Every record the conversation uses made from its recipe (methods on first use), every
    module from the bundle, the content from the snapshot: the same words as the checkout."""
    sayings = SAYINGS[locale]
    done = run_python(
        ["-c", CONVERSATION, locale, *sayings],
        [package, REPO],
        cwd=tmp_path,
        HEELCOACH_DB_PATH=str(tmp_path / "p.db"),
    )
    assert done.returncode == 0, done.stderr
    packaged = json.loads(done.stdout.strip().splitlines()[-1])
    namespace: dict[str, object] = {}
    exec(CONVERSATION, namespace)  # the same conversation, on the checkout's modules
    edge = LambdaEdge.build(Settings(db_path=tmp_path / "c.db"))
    sys_argv = [sys.argv[0], locale, *sayings]
    old, sys.argv = sys.argv, sys_argv
    try:
        here = namespace["conversation"](edge.handle)  # type: ignore[operator]
    finally:
        sys.argv = old
    assert packaged == here
    assert len(packaged) == len(sayings) + 1 and all(packaged)


def test_a_source_checkout_is_never_prepared() -> None:
    """In a checkout content is edited: a snapshot there would serve yesterday's words."""
    done = run_python(["-m", "heel_coach.lambda_package"], [REPO / "skill"], cwd=REPO)
    assert done.returncode != 0 and "source checkout" in done.stderr
    assert not snapshot_path().exists()
    assert load_content() is None


@pytest.mark.parametrize("damage", ["not-a-pickle", "another-version"])
def test_an_unusable_snapshot_means_reading_the_content_files(
    package: Path, tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    copy = tmp_path / "heel_coach"
    snapshot = snapshot_path(copy)
    snapshot.parent.mkdir(parents=True)
    raw = snapshot_path(package / "heel_coach").read_bytes()
    if damage == "another-version":
        import pickle

        old = pickle.loads(raw)
        raw = pickle.dumps({**old, "version": old["version"] + 1})
    snapshot.write_bytes(raw if damage == "another-version" else b"not a pickle")
    with caplog.at_level(logging.WARNING, logger="heelcoach.lambda"):
        assert load_content(copy) is None
    assert "unusable" in caplog.text
    assert load_content(package / "heel_coach") is not None
