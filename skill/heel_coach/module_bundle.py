"""Every module of a built package in one file, so a cold start imports them without searching.

Why: importing one module costs ~0.29 M instructions before its code runs (measured on 70
empty modules): the path finder stats the package directory, builds candidate file names,
opens the ``.pyc``, reads and validates its header. A Lambda cold start imports ~70 of our
modules, so ~20 M of it was finding and opening files that cannot have changed since the
package was built. ``python -m heel_coach.lambda_package`` therefore also writes
``__pycache__/modules.<python tag>.bin``: each module's compiled code (compiled from its source
exactly as the import system compiles it), keyed by module name. ``install()`` puts a finder
first on ``sys.meta_path`` that answers for ``heel_coach.*`` from that file: the module gets
the same spec attributes (``__file__`` is the real file, ``__path__`` the real directory, the
loader a ``SourceFileLoader`` that only skips the search and the file read), so resources,
tracebacks and ``inspect`` behave as before. A module the file does not hold (a build without
the step, or one added later) is found by the usual finders. Only a built package has the file:
in a source checkout modules are edited and must be read afresh.
"""

from __future__ import annotations

import _imp
import marshal
import sys
from importlib.machinery import ModuleSpec, SourceFileLoader
from importlib.util import cache_from_source
from pathlib import Path
from types import CodeType, ModuleType

from heel_coach.resources import PACKAGE_DIR, read_for_this_python, write_for_this_python

__all__ = ["BundleFinder", "bundle_path", "install", "installed_finder", "uninstall", "write_bundle"]

Entry = tuple[str, str, bool, int, int]
"""A module in the bundle's index: its file and its .pyc's place, relative to the package's
parent directory; whether it is a package (an ``__init__.py``); where its marshalled code is
(offset and length after the index). The file is the magic number, the index's length (4
bytes), the index, then every module's code: a cold start unmarshals the index and only the
code of the modules it imports, without copying the rest."""


def bundle_path(package_dir: Path = PACKAGE_DIR) -> Path:
    """``heel_coach/__pycache__/modules.<python tag>.bin``, beside the modules' .pyc."""
    return package_dir / "__pycache__" / f"modules.{sys.implementation.cache_tag}.bin"


def write_bundle(package_dir: Path = PACKAGE_DIR, path: Path | None = None) -> Path:
    """Compile every module of the package at ``package_dir`` into one file (for this Python:
    its magic number first, as in a .pyc)."""
    root = package_dir.parent
    entries: dict[str, Entry] = {}
    codes = bytearray()
    for source in sorted(package_dir.rglob("*.py")):
        relative = source.relative_to(root)
        parts = list(relative.with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        if not all(part.isidentifier() for part in parts):
            continue  # not importable by name
        # What SourceLoader.source_to_code does for an import.
        code = marshal.dumps(compile(source.read_bytes(), str(source), "exec", dont_inherit=True))
        cached = Path(cache_from_source(str(source))).relative_to(root)
        entries[".".join(parts)] = (relative.as_posix(), cached.as_posix(), is_package, len(codes), len(code))
        codes += code
    index = marshal.dumps(entries)
    return write_for_this_python(
        path or bundle_path(package_dir), len(index).to_bytes(4, "little") + index + codes
    )


class _BundledLoader(SourceFileLoader):
    """The usual loader for a source file, except that its code comes from the bundle."""

    def __init__(self, fullname: str, path: str, code: memoryview) -> None:
        super().__init__(fullname, path)
        self._code = code

    def get_code(self, fullname: str) -> CodeType:
        code = marshal.loads(self._code)
        # As the import system does for a .pyc: the code names the file where it now is.
        _imp._fix_co_filename(code, self.path)  # type: ignore[attr-defined]
        return code


class BundleFinder:
    """First on ``sys.meta_path``: the package's modules from the bundle, by name."""

    def __init__(self, entries: dict[str, Entry], codes: memoryview, root: Path) -> None:
        self.entries = entries
        self.codes = codes
        self.root = str(root)

    def find_spec(
        self, name: str, path: object = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        entry = self.entries.get(name)
        if entry is None:
            return None
        relative, cached, is_package, offset, length = entry
        origin = f"{self.root}/{relative}"
        code = self.codes[offset : offset + length]
        spec = ModuleSpec(name, _BundledLoader(name, origin, code), origin=origin, is_package=is_package)
        spec.has_location = True  # __file__ is the real file
        if is_package:
            spec.submodule_search_locations = [origin.rpartition("/")[0]]
        spec.cached = f"{self.root}/{cached}"
        return spec

    def invalidate_caches(self) -> None:
        """Nothing to forget: a built package does not change."""


def installed_finder() -> BundleFinder | None:
    return next((f for f in sys.meta_path if isinstance(f, BundleFinder)), None)


def install(package_dir: Path = PACKAGE_DIR, path: Path | None = None) -> bool:
    """Serve the package's modules from its bundle from now on; False (nothing changed) when
    there is no usable bundle (a checkout, a package built without it, another Python)."""
    if installed_finder() is not None:
        return True
    data = read_for_this_python(path or bundle_path(package_dir))
    if data is None or len(data) < 4:
        return False
    end = 4 + int.from_bytes(data[:4], "little")
    try:
        entries = marshal.loads(data[4:end])
    except (EOFError, ValueError, TypeError):
        return False
    if not isinstance(entries, dict) or package_dir.name not in entries:
        return False
    sys.meta_path.insert(0, BundleFinder(entries, data[end:], package_dir.parent))
    return True


def uninstall() -> None:
    """Back to the usual finders (tests)."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, BundleFinder)]
