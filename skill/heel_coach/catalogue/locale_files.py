"""A locale's words: its language's source files overlaid with the locale's own overrides.

``locales/locales.yaml`` lists the supported locales (the first is the default). For each,
``heel_coach.locales.chain`` names the folders to read, most specific first ("en-GB", "en").
The language folder holds every file; a locale folder holds only what differs there:

* a file of the same name whose values replace the source's (mappings merge key by key, so
  an override can change one exercise's ``name`` and keep its ``steps``; lists and text are
  replaced whole), and
* ``spelling.yaml``: whole words swapped in every text of that locale ("tumours: tumors"), so
  a spelling difference is written once instead of copying every sentence that contains it.

Everything here is data in, data out; the loader validates the merged result exactly as it
validates a single file, so an override can never smuggle in an unchecked value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from heel_coach.catalogue import _fields as f
from heel_coach.catalogue._fields import At
from heel_coach.locales import chain, language_of

LOCALES_DIR = "locales"
MANIFEST = f"{LOCALES_DIR}/locales.yaml"
SPELLING_FILE = "spelling.yaml"


@dataclass(frozen=True)
class LocaleManifest:
    """The supported locales, in order; ``locales[0]`` is the default."""

    locales: tuple[str, ...]

    @property
    def default(self) -> str:
        return self.locales[0]


def load_manifest(root: Path) -> LocaleManifest:
    at = At(MANIFEST)
    data = f.mapping(f.read_yaml(root, MANIFEST), at, ("locales",))
    locales = f.texts(data["locales"], at.key("locales"), allow_empty=False)
    for i, tag in enumerate(locales):
        if not re.fullmatch(r"[a-z]{2}-[A-Z]{2}", tag):
            raise at.key("locales").index(i).error(f"{tag!r} is not a locale like en-US")
        if not (root / LOCALES_DIR / language_of(tag)).is_dir():
            raise at.key("locales").index(i).error(f"no source folder {LOCALES_DIR}/{language_of(tag)}")
    return LocaleManifest(locales)


def read_locale_file(root: Path, locale: str, name: str) -> tuple[object, At]:
    """The merged content of ``name`` for ``locale``, and where to point errors at.

    The language's source file must exist; override files are optional. Errors name the
    override file when there is one (what a translator edits), else the source file.
    """
    folders = chain(locale)
    source = f"{LOCALES_DIR}/{folders[-1]}/{name}"
    data = f.read_yaml(root, source)
    where = source
    for folder in reversed(folders[:-1]):
        relative = f"{LOCALES_DIR}/{folder}/{name}"
        if (root / relative).is_file():
            data = overlay(data, f.read_yaml(root, relative), At(relative))
            where = relative
    return respell(data, spelling(root, locale)), At(where)


def locale_file_names(root: Path, locale: str, pattern: str) -> list[str]:
    """File names matching ``pattern`` in any folder of the locale's chain (e.g. prompts*.yaml)."""
    names: set[str] = set()
    for folder in chain(locale):
        names.update(p.name for p in (root / LOCALES_DIR / folder).glob(pattern))
    return sorted(names)


def overlay(base: object, override: object, at: At) -> object:
    """``override`` on top of ``base``: mappings merge key by key, anything else is replaced.

    A key the source does not have is refused: in an override file it can only be a typo.
    """
    if not isinstance(base, dict) or not isinstance(override, dict):
        return override
    merged = dict(base)
    for key, value in override.items():
        if key not in base:
            raise at.key(str(key)).error("not in the source file, so it cannot be overridden")
        merged[key] = overlay(base[key], value, at.key(str(key)))
    return merged


def spelling(root: Path, locale: str) -> dict[str, str]:
    """``locales/<locale>/spelling.yaml``: source word -> this locale's word ({} if none)."""
    relative = f"{LOCALES_DIR}/{locale}/{SPELLING_FILE}"
    if locale == language_of(locale) or not (root / relative).is_file():
        return {}
    at = At(relative)
    data = f.read_yaml(root, relative)
    if not isinstance(data, dict):
        raise at.error("must be a mapping of word: word")
    words: dict[str, str] = {}
    for key, value in data.items():
        if not isinstance(key, str) or not re.fullmatch(r"[a-z]+", key):
            raise at.key(key).error("must be one lower-case word")
        words[key] = f.text(value, at.key(key))
    return words


def respell(data: Any, words: dict[str, str]) -> Any:
    """Every string in ``data`` with whole words swapped (keys and ids are never touched).

    "Tumours" becomes "Tumors": a capitalised word keeps its capital."""
    if not words:
        return data
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)

    def swap(match: re.Match[str]) -> str:
        return _same_case(match.group(0), words[match.group(0).lower()])

    return _map_strings(data, lambda text: pattern.sub(swap, text))


def _same_case(said: str, word: str) -> str:
    if said.isupper() and len(said) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if said[:1].isupper() else word


def _map_strings(data: Any, change: Callable[[str], str]) -> Any:
    if isinstance(data, str):
        return change(data)
    if isinstance(data, dict):
        return {key: _map_strings(value, change) for key, value in data.items()}
    if isinstance(data, list):
        return [_map_strings(item, change) for item in data]
    return data


__all__ = [
    "LOCALES_DIR",
    "MANIFEST",
    "LocaleManifest",
    "load_manifest",
    "locale_file_names",
    "overlay",
    "read_locale_file",
    "respell",
    "spelling",
]
