"""What ``make build-SkillFunction`` adds to the Lambda package, and what a cold start reads.

Inside a built package nothing can change between the build and a cold start, yet without
help every cold start would redo work whose result is fixed: compile the methods of ~70
records (``heel_coach.dataclass_cache``), and read ``compiled.json``, check each content
file's SHA-256 against it, validate the catalogue and every locale's prompts and build their
records (~90 M instructions, a fifth of the skill's cold start). ``python -m
heel_coach.lambda_package`` runs once in the built package, in a fresh interpreter, and writes
beside the package's ``.pyc`` files:

* the dataclass code cache, recorded while it imports every module of the package;
* the module bundle (``heel_coach.module_bundle``): every module's compiled code in one file,
  so importing one does not search and open files;
* a content snapshot: the catalogue and the prompts of every locale, loaded and validated
  exactly as at any start, then pickled. A cold start unpickles it (~9 M instructions).

All are written only into a built package, never into a source checkout, where content is
edited and must be read afresh (and where the freshness check of ``compiled.json`` keeps
protecting developers). A package built without this step works the same, only slower.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heel_coach import dataclass_cache, module_bundle
from heel_coach.resources import PACKAGE_DIR, source_checkout

if TYPE_CHECKING:
    from heel_coach.catalogue.model import Catalogue
    from heel_coach.voice.prompts import Prompts

__all__ = ["PackagedContent", "load_content", "main", "prepare", "snapshot_path"]

SNAPSHOT_VERSION = 2
_LOG = logging.getLogger("heelcoach.lambda")


@dataclass(frozen=True)
class PackagedContent:
    """The content a built package was built with: the validated catalogue and, per locale,
    its prompts."""

    catalogue: Catalogue
    prompts: Mapping[str, Prompts]


class PackagedPrompts(Mapping[str, "Prompts"]):
    """Every locale's prompts, each pickled on its own and unpickled when first read: a
    container serves the locales its users speak, usually one."""

    def __init__(self, pickled: dict[str, bytes]) -> None:
        self._pickled = pickled
        self._loaded: dict[str, Prompts] = {}

    def __getitem__(self, locale: str) -> Prompts:
        found = self._loaded.get(locale)
        if found is None:
            from _pickle import loads

            found = self._loaded[locale] = loads(self._pickled[locale])
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._pickled)

    def __len__(self) -> int:
        return len(self._pickled)


def snapshot_path(package_dir: Path = PACKAGE_DIR) -> Path:
    return package_dir / "__pycache__" / "content.pickle"


def load_content(package_dir: Path = PACKAGE_DIR) -> PackagedContent | None:
    """The content snapshot of a built package; None without one (a checkout, or a package
    built without ``prepare``), and None, logged, for one this code cannot read."""
    path = snapshot_path(package_dir)
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    from _pickle import loads  # the C unpickler alone: `pickle` itself costs 8 M instructions

    try:
        snapshot = loads(raw)
        if snapshot["version"] != SNAPSHOT_VERSION:
            raise ValueError(f"version {snapshot['version']}")
        return PackagedContent(snapshot["catalogue"], PackagedPrompts(snapshot["prompts"]))
    except Exception as exc:  # written by another build of the code: load the content instead
        _LOG.warning("content snapshot %s unusable (%s): loading the content files", path, exc)
        return None


def prepare(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """Write the dataclass cache (recipes and code), the module bundle and the content snapshot
    into the package this module is imported from. Run in a fresh interpreter: records created
    before it are not recorded."""
    import importlib
    import pickle
    import pkgutil

    if source_checkout(package_dir) is not None:
        raise SystemExit(f"{package_dir} is a source checkout: prepare a built package (see the Makefile)")
    import heel_coach

    with dataclass_cache.recording() as recorded:
        for module in pkgutil.walk_packages(heel_coach.__path__, "heel_coach."):
            if not module.name.endswith(".__main__"):  # that one runs the command line
                importlib.import_module(module.name)
    from heel_coach.catalogue import load_catalogue
    from heel_coach.voice.prompts import available_locales, load_prompts

    catalogue = load_catalogue()
    prompts = {locale: load_prompts(locale) for locale in available_locales() if locale in catalogue.locales}
    seen: dict[Any, Any] = {}
    snapshot = {
        "version": SNAPSHOT_VERSION,
        "catalogue": shared(catalogue, seen),
        "prompts": {
            locale: pickle.dumps(shared(p, seen), protocol=pickle.HIGHEST_PROTOCOL)
            for locale, p in prompts.items()
        },
    }
    path = snapshot_path(package_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(snapshot, protocol=pickle.HIGHEST_PROTOCOL))
    return [
        dataclass_cache.write_cache(recorded, dataclass_cache.cache_path(package_dir)),
        module_bundle.write_bundle(package_dir),
        path,
    ]


def shared(value: Any, seen: dict[Any, Any]) -> Any:
    """``value`` rebuilt so that equal immutable parts are one object: the five English
    locales say most things alike, and a pickle stores (and a cold start rebuilds) an object
    once however often it is referred to. Strings, numbers, and tuples and frozen records made
    only of those (a frozen record may hold dicts and lists of them: nothing changes a record's
    dict) are shared when equal; anything holding a mutable record is rebuilt, never shared."""
    return _shared(value, seen)[0]


def _shared(value: Any, seen: dict[Any, Any]) -> tuple[Any, bool]:
    """(rebuilt value, whether it may be shared)."""
    if isinstance(value, Enum) or value is None or isinstance(value, bool):
        return value, True
    if isinstance(value, str | bytes | int | float):
        return seen.setdefault((type(value), value), value), True
    if isinstance(value, tuple | frozenset | list):
        items = [_shared(v, seen) for v in value]
        new: Any = type(value)(v for v, _ in items)
        ok = all(k for _, k in items)
        if isinstance(value, list):
            return new, ok
    elif isinstance(value, dict):
        pairs = [(_shared(k, seen), _shared(v, seen)) for k, v in value.items()]
        return {k: v for (k, _), (v, _) in pairs}, all(a and b for (_, a), (_, b) in pairs)
    elif is_dataclass(value) and not isinstance(value, type):
        parts = {f.name: _shared(getattr(value, f.name), seen) for f in fields(value) if f.init}
        new = replace(value, **{name: v for name, (v, _) in parts.items()})
        ok = type(value).__dataclass_params__.frozen and all(k for _, k in parts.values())  # type: ignore[attr-defined]
    else:
        return value, False
    if not ok:
        return new, False
    return seen.setdefault((type(new), _contents(new)), new), True


def _contents(value: Any) -> Any:
    """A hashable stand-in for ``value``'s contents, in order (equal only when equal)."""
    if isinstance(value, dict):
        return (dict, tuple((k, _contents(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value), tuple(_contents(v) for v in value))
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value), tuple(_contents(getattr(value, f.name)) for f in fields(value)))
    return (type(value), value)


def main() -> int:
    for path in prepare():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
