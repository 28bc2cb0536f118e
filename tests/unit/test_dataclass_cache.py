"""The dataclass code cache gives records exactly the methods ``@dataclass`` compiles for them,
uses nothing it was not built for, and changes nothing without a usable cache file."""

from __future__ import annotations

import dataclasses
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from heel_coach import dataclass_cache

RECORDS = '''
from __future__ import annotations
from dataclasses import dataclass, field

@dataclass(frozen=True)
class Range:
    """A frozen record with defaults."""
    low: int
    high: int
    default: int = 0

@dataclass
class Turn:
    """A mutable record with a factory default and a check after __init__."""
    steps: list[str] = field(default_factory=list)
    count: int = 0

    def __post_init__(self) -> None:
        if self.count < 0:
            raise ValueError("count")

@dataclass(frozen=True, slots=True, order=True)
class Key:
    name: str
'''

METHODS = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__lt__")


@pytest.fixture(autouse=True)
def _compiling_as_usual() -> Iterator[None]:
    """Whatever a test installs is gone afterwards."""
    dataclass_cache.uninstall()
    yield
    dataclass_cache.uninstall()


def records(name: str, monkeypatch: pytest.MonkeyPatch, source: str = RECORDS) -> types.ModuleType:
    """``source`` run as module ``name`` (dataclasses look their module up in sys.modules)."""
    module = types.ModuleType(name)
    monkeypatch.setitem(sys.modules, name, module)
    exec(compile(source, f"<{name}>", "exec"), module.__dict__)
    return module


def code_of(cls: type, method: str) -> Any:
    function = vars(cls).get(method)
    function = getattr(function, "__wrapped__", function)  # __repr__ is wrapped by reprlib
    return None if function is None else function.__code__


def built_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[types.ModuleType, Path]:
    with dataclass_cache.recording("recorded") as codes:
        plain = records("recorded.records", monkeypatch)
    return plain, dataclass_cache.write_cache(codes, tmp_path / "dataclass-code.bin")


def test_records_made_from_the_cache_have_the_methods_dataclasses_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, path = built_cache(tmp_path, monkeypatch)

    def no_compiling(text: str) -> None:
        raise AssertionError(f"compiled although cached:\n{text}")

    monkeypatch.setattr(dataclass_cache, "_compile", no_compiling)
    assert dataclass_cache.install(path)
    cached = records("cached.records", monkeypatch)
    for name in ("Range", "Turn", "Key"):
        for method in METHODS:
            assert code_of(getattr(cached, name), method) == code_of(getattr(plain, name), method), (
                name,
                method,
            )
    assert cached.Range(1, 2) == cached.Range(1, 2, 0) and hash(cached.Range(1, 2)) == hash(
        cached.Range(1, 2)
    )
    assert repr(cached.Range(1, 2)) == "Range(low=1, high=2, default=0)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        cached.Range(1, 2).low = 3  # type: ignore[misc]
    first, second = cached.Turn(), cached.Turn()
    first.steps.append("one")
    assert second.steps == [] and first != second
    with pytest.raises(ValueError):
        cached.Turn(count=-1)
    assert cached.Key("a") < cached.Key("b")


def test_what_dataclasses_compile_is_what_the_cache_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache stores ``compile(text)`` for the text ``exec(text)`` got: equal code objects."""
    _, path = built_cache(tmp_path, monkeypatch)
    codes = dataclass_cache.read_cache(path)
    assert len(codes) >= 10  # three records, several methods each
    for text, marshalled in codes.items():
        namespace: dict[str, Any] = {}
        exec(text, {}, namespace)  # what dataclasses did before the cache
        import marshal

        assert marshal.loads(marshalled) == compile(text, "<string>", "exec", dont_inherit=True)
        assert "__create_fn__" in namespace


def test_an_edited_record_misses_the_cache_and_is_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, path = built_cache(tmp_path, monkeypatch)
    assert dataclass_cache.install(path)
    edited = records(
        "edited.records",
        monkeypatch,
        RECORDS.replace("    default: int = 0", "    default: int = 0\n    step: int = 1"),
    )
    assert edited.Range(1, 2).step == 1
    assert repr(edited.Range(1, 2)) == "Range(low=1, high=2, default=0, step=1)"


@pytest.mark.parametrize("damage", ["empty", "not-marshal", "other-python"])
def test_no_usable_cache_changes_nothing(tmp_path: Path, damage: str) -> None:
    from importlib.util import MAGIC_NUMBER

    path = dataclass_cache.write_cache({"text": compile("x = 1", "<string>", "exec")}, tmp_path / "code.bin")
    raw = path.read_bytes()
    path.write_bytes(
        {
            "empty": b"",
            "not-marshal": MAGIC_NUMBER + b"\xff" * 8,
            "other-python": bytes([MAGIC_NUMBER[0] ^ 1]) + raw[1:],
        }[damage]
    )
    assert dataclass_cache.install(path) is False
    assert dataclass_cache.install(tmp_path / "missing.bin") is False
    assert "exec" not in vars(dataclasses)


def test_recording_needs_a_fresh_interpreter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Records made through an installed cache never reach ``exec`` with their text: a build
    that recorded then would write an incomplete cache."""
    _, path = built_cache(tmp_path, monkeypatch)
    with dataclass_cache.installed(path):
        with pytest.raises(RuntimeError), dataclass_cache.recording():
            pass
    assert "exec" not in vars(dataclasses)
