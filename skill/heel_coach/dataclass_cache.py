"""Compiled code for the methods ``@dataclass`` generates, built with the package like ``.pyc``.

Why: CPython (3.11 to 3.13) compiles the source of every dataclass's generated methods
(``__init__``, ``__repr__``, ``__eq__``; for a frozen record also ``__hash__``,
``__setattr__`` and ``__delattr__``) each time the class statement runs: about 3 M instructions
(~1 ms here) per frozen record, for ~70 records a Lambda cold start creates, more than a third
of the skill's own share of it. That source depends only on the class's fields and options,
so it can be compiled once, when the Lambda package is built (``heel_coach.lambda_package``).

``install()`` replaces the name ``exec`` inside the ``dataclasses`` module, whose generated
methods are all made by ``exec(text, globals, namespace)``: a text found in the cache runs
its stored code object, any other text is compiled exactly as ``exec`` compiles it. The
records stay the standard library's dataclasses with the same methods: only the compiling is
skipped. The cache is keyed by the exact source text, so an edited record misses it and is
compiled as usual; a file written by another Python version (magic number) is ignored.
"""

from __future__ import annotations

import dataclasses
import marshal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any

from heel_coach.resources import PACKAGE_DIR

__all__ = ["cache_path", "install", "installed", "read_cache", "recording", "uninstall", "write_cache"]


def cache_path(package_dir: Path = PACKAGE_DIR) -> Path:
    """``heel_coach/__pycache__/dataclass-code.<python tag>.bin``, beside the modules' .pyc."""
    return package_dir / "__pycache__" / f"dataclass-code.{sys.implementation.cache_tag}.bin"


def _compile(text: str) -> CodeType:
    """What ``exec(text)`` compiles inside ``dataclasses`` (a module without __future__ imports)."""
    return compile(text, "<string>", "exec", dont_inherit=True)


def read_cache(path: Path | None = None) -> dict[str, bytes]:
    """Source text -> its marshalled code; empty when the file is missing, foreign or damaged.
    Each code object stays marshalled until a record needs it."""
    try:
        raw = (path or cache_path()).read_bytes()
    except OSError:
        return {}
    if not raw.startswith(MAGIC_NUMBER):
        return {}
    try:
        codes = marshal.loads(memoryview(raw)[len(MAGIC_NUMBER) :])
    except (EOFError, ValueError, TypeError):
        return {}
    return codes if isinstance(codes, dict) else {}


def write_cache(codes: dict[str, CodeType], path: Path | None = None) -> Path:
    """Write ``codes`` for this Python (its magic number first, as in a .pyc)."""
    path = path or cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        MAGIC_NUMBER + marshal.dumps({text: marshal.dumps(code) for text, code in codes.items()})
    )
    return path


def install(path: Path | None = None) -> bool:
    """Use the cache for every dataclass created from now on; False (and nothing changed) when
    there is no usable cache file. Meant for a process that is the skill's own (a Lambda
    container), where it stays installed: a later request may import a feature lazily."""
    if "exec" in vars(dataclasses):
        return True  # already installed
    codes = read_cache(path)
    if not codes:
        return False

    def cached_exec(source: Any, globals: Any = None, locals: Any = None) -> None:
        if isinstance(source, str):
            cached = codes.get(source)
            source = marshal.loads(cached) if cached is not None else _compile(source)
        exec(source, globals, locals)

    dataclasses.exec = cached_exec  # type: ignore[attr-defined]
    return True


def uninstall() -> None:
    """Back to compiling every time (tests)."""
    vars(dataclasses).pop("exec", None)


@contextmanager
def installed(path: Path | None = None) -> Iterator[bool]:
    """``install()`` for the length of a block (tests, measurements)."""
    was = "exec" in vars(dataclasses)
    try:
        yield install(path)
    finally:
        if not was:
            uninstall()


@contextmanager
def recording(package: str = "heel_coach") -> Iterator[dict[str, CodeType]]:
    """Inside the block, the code of every method dataclasses generate for a record defined in
    ``package`` is kept, for ``write_cache``. Records created before the block are not seen,
    so it must enclose the first import of the package's modules."""
    if "exec" in vars(dataclasses):
        raise RuntimeError("a dataclass code cache is installed: record in a fresh interpreter")
    codes: dict[str, CodeType] = {}

    def recording_exec(source: Any, globals: Any = None, locals: Any = None) -> None:
        if isinstance(source, str):
            text, source = source, _compile(source)
            module = str((globals or {}).get("__name__", ""))
            if module == package or module.startswith(package + "."):
                codes[text] = source
        exec(source, globals, locals)

    dataclasses.exec = recording_exec  # type: ignore[attr-defined]
    try:
        yield codes
    finally:
        uninstall()
