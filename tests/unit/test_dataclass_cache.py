"""The dataclass cache gives records exactly what ``@dataclass`` gives them (replayed from a
recipe, or compiled from cached code), uses nothing it was not built for, and changes nothing
without a usable cache file."""

from __future__ import annotations

import dataclasses
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from heel_coach import dataclass_cache
from tests.records import record_of

RECORDS = '''
from __future__ import annotations
from dataclasses import dataclass, field
from enum import Enum
from typing import ClassVar

class Side(Enum):
    LEFT = "left"
    RIGHT = "right"

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

@dataclass(frozen=True)
class Sided(Range):
    """Inherits fields; an enum default, a hidden field, a keyword-only one, a ClassVar."""
    side: Side = Side.LEFT
    note: str = field(default="", repr=False, compare=False)
    tags: tuple[str, ...] = field(default_factory=tuple, kw_only=True)
    limit: ClassVar[int] = 3

@dataclass(order=True, eq=True)
class Ordered:
    self: int
    other: int = 1
'''

METHODS = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__", "__lt__")
NAMES = ("Range", "Turn", "Key", "Sided", "Ordered")


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


def built_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str = RECORDS
) -> tuple[types.ModuleType, Path]:
    with dataclass_cache.recording("recorded") as recorded:
        plain = records("recorded.records", monkeypatch, source)
    return plain, dataclass_cache.write_cache(recorded, tmp_path / "dataclass-code.bin")


def test_records_made_from_the_cache_have_the_methods_dataclasses_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain, path = built_cache(tmp_path, monkeypatch)

    def no_compiling(text: str) -> None:
        raise AssertionError(f"compiled although cached:\n{text}")

    monkeypatch.setattr(dataclass_cache, "_compile", no_compiling)
    assert dataclass_cache.install(path)
    cached = records("recorded.records", monkeypatch)
    # Used before anything makes them: each stand-in makes its method on first use.
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
    sided = cached.Sided(1, 2, note="x")
    assert sided.side is cached.Side.LEFT and sided.tags == () and cached.Sided.limit == 3
    assert repr(sided) == "Sided(low=1, high=2, default=0, side=<Side.LEFT: 'left'>, tags=())"
    assert sided == cached.Sided(1, 2, note="y") and cached.Ordered(1) < cached.Ordered(2)
    assert [f.name for f in dataclasses.fields(cached.Turn)] == ["steps", "count"]
    for name in NAMES:
        dataclass_cache.materialize(getattr(cached, name))
        for method in METHODS:
            assert code_of(getattr(cached, name), method) == code_of(getattr(plain, name), method), (
                name,
                method,
            )


def test_a_replayed_record_makes_each_method_when_first_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold start creates many records and uses few of their methods: until first used, a
    method is a stand-in and its code is not even unmarshalled."""
    plain, path = built_cache(tmp_path, monkeypatch)
    assert dataclass_cache.install(path)
    cached = records("recorded.records", monkeypatch)
    stand_in = vars(cached.Range)["__init__"]
    assert stand_in.__code__ is not code_of(plain.Range, "__init__")
    assert "__dataclass_fields__" in vars(cached.Range)
    cached.Range(1, 2)
    made = vars(cached.Range)["__init__"]
    assert made is not stand_in and made.__code__ == code_of(plain.Range, "__init__")
    kept = object.__new__(cached.Range)
    stand_in(kept, 3, 4)  # a stand-in someone kept: the method made once is reused
    assert kept.high == 4 and vars(cached.Range)["__init__"] is made
    assert vars(cached.Range)["__repr__"].__name__ == "__repr__"  # not used yet: still a stand-in
    assert dataclasses.is_dataclass(cached.Range)  # reads __dataclass_fields__: made now
    assert isinstance(vars(cached.Range)["__dataclass_fields__"], dict)


def test_replayed_records_are_the_records_dataclasses_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attribute by attribute: same code, closures, defaults, fields and params; only the
    records a recipe cannot express (slots=True, a ClassVar) are made by dataclasses."""
    plain, path = built_cache(tmp_path, monkeypatch)
    replayed: list[str] = []
    real = dataclass_cache._REAL_PROCESS_CLASS

    def not_for_replayed(cls: type, *options: Any) -> type:
        replayed.remove(cls.__qualname__)  # only reached when no recipe was used
        return real(cls, *options)  # type: ignore[no-any-return]

    assert dataclass_cache.install(path)
    replayed.extend(["Key", "Sided"])
    monkeypatch.setattr(dataclass_cache, "_REAL_PROCESS_CLASS", not_for_replayed)
    cached = records("recorded.records", monkeypatch)
    assert replayed == []  # Key and Sided went through dataclasses, and nothing else did
    for name in NAMES:
        dataclass_cache.materialize(getattr(cached, name))
        assert record_of(getattr(cached, name)) == record_of(getattr(plain, name)), name


def test_a_changed_default_is_the_new_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A literal default is part of the shape (a new literal misses the recipe); any other
    default is taken from the class being made, never from the build."""
    source = RECORDS.replace("ClassVar[int] = 3", "ClassVar[int] = 3\n\n") + (
        "\n@dataclass(frozen=True)\nclass Pick:\n    side: Side = Side.LEFT\n    n: int = 1\n"
    )
    _, path = built_cache(tmp_path, monkeypatch, source)
    assert dataclass_cache.install(path)
    changed = records(
        "recorded.records",
        monkeypatch,
        source.replace("side: Side = Side.LEFT\n    n: int = 1", "side: Side = Side.RIGHT\n    n: int = 2"),
    )
    assert changed.Pick() == changed.Pick(changed.Side.RIGHT, 2)
    assert changed.Pick.__dataclass_fields__["n"].default == 2


def test_what_dataclasses_compile_is_what_the_cache_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """For records without a recipe the cache stores ``compile(text)`` for the text
    ``exec(text)`` got: equal code objects."""
    _, path = built_cache(tmp_path, monkeypatch)
    codes = dataclass_cache.read_cache(path).codes
    assert len(codes) >= 2  # Key and Sided: a text per method (3.11, 3.12) or per record (3.13)
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
        "recorded.records",
        monkeypatch,
        RECORDS.replace("    default: int = 0", "    default: int = 0\n    step: int = 1"),
    )
    assert edited.Range(1, 2).step == 1
    assert repr(edited.Range(1, 2)) == "Range(low=1, high=2, default=0, step=1)"


@pytest.mark.parametrize("damage", ["empty", "not-marshal", "other-python"])
def test_no_usable_cache_changes_nothing(tmp_path: Path, damage: str) -> None:
    from importlib.util import MAGIC_NUMBER

    recorded = dataclass_cache.Recorded()
    recorded.codes["text"] = compile("x = 1", "<string>", "exec")
    path = dataclass_cache.write_cache(recorded, tmp_path / "code.bin")
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
    assert dataclasses._process_class is dataclass_cache._REAL_PROCESS_CLASS  # type: ignore[attr-defined]


def test_recording_needs_a_fresh_interpreter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Records made through an installed cache never reach ``exec`` with their text: a build
    that recorded then would write an incomplete cache."""
    _, path = built_cache(tmp_path, monkeypatch)
    with dataclass_cache.installed(path):
        with pytest.raises(RuntimeError), dataclass_cache.recording():
            pass
    assert "exec" not in vars(dataclasses)
    assert dataclasses._process_class is dataclass_cache._REAL_PROCESS_CLASS  # type: ignore[attr-defined]
