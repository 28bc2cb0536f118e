"""Prompt strings per locale, with fallback (en-GB -> en-US default) and checked placeholders."""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from heel_coach.catalogue._fields import read_yaml
from heel_coach.errors import ContentError
from heel_coach.resources import CONTENT_DIR

LOCALES_DIR = CONTENT_DIR / "locales"


@dataclass(frozen=True)
class Prompts:
    locale: str
    strings: dict[str, str]

    def get(self, key: str, **params: object) -> str:
        try:
            template = self.strings[key]
        except KeyError:
            raise KeyError(f"no prompt {key!r} in {self.locale}") from None
        return template.format(**params)

    def placeholders(self, key: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(self.strings[key]) if name}


def load_prompts(locale: str, root: Path = LOCALES_DIR) -> Prompts:
    """Merge ``prompts.yaml`` and any ``prompts_<feature>.yaml`` of a locale; keys must be unique."""
    merged: dict[str, str] = {}
    files = sorted((root / locale).glob("prompts*.yaml"))
    if not files:
        raise ContentError(f"locales/{locale}/prompts.yaml", "<file>", "missing")
    for path in files:
        rel = f"locales/{locale}/{path.name}"
        try:
            # Relative to the content root, where compiled.json lives; duplicate keys refused.
            data = read_yaml(root.parent, f"{root.name}/{locale}/{path.name}")
        except OSError as exc:
            raise ContentError(rel, "<file>", str(exc)) from exc
        if not isinstance(data, dict):
            raise ContentError(rel, "<root>", "must be a mapping of key: text")
        for key, value in data.items():
            if not isinstance(key, str) or not isinstance(value, str) or not value.strip():
                raise ContentError(rel, str(key), "must be a non-empty string")
            if key in merged:
                raise ContentError(rel, key, "defined in more than one prompts file")
            try:
                list(string.Formatter().parse(value))
            except ValueError as exc:
                raise ContentError(rel, key, f"bad placeholder: {exc}") from exc
            merged[key] = value
    return Prompts(locale, merged)


def available_locales(root: Path = LOCALES_DIR) -> tuple[str, ...]:
    return tuple(sorted(p.name for p in root.iterdir() if (p / "prompts.yaml").is_file()))


def locale_candidates(locale: str | None, default: str, available: Iterable[str]) -> str:
    """Pick the best available locale: exact, then same language, then the default."""
    have = list(available)
    if locale in have:
        return locale
    if locale:
        language = locale.split("-")[0]
        for candidate in have:
            if candidate.split("-")[0] == language:
                return candidate
    return default
