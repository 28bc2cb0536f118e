"""Prompt strings per locale: the language's source files overlaid with the locale's overrides
(``en-GB`` over ``en``, see docs/localisation.md), plural forms by CLDR category, checked
placeholders.

A prompt is text, or a mapping of forms as in ICU MessageFormat:

* plural, where a count changes the words: CLDR plural categories ("one: one exercise",
  "other: {count} exercises"), optionally exact values first ("=2: twice"). ``Prompts.get``
  picks the form with Babel and says the count in words, so no caller writes a plural rule;
* select, where another value changes the words (German says "Linker Fuß" but "Linkes Bein"):
  ``select: side`` names the parameter, the other keys its values ("left", "right").
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from heel_coach import locales
from heel_coach.errors import ContentError
from heel_coach.resources import CONTENT_DIR
from heel_coach.voice import formatting

LOCALES_DIR = CONTENT_DIR / "locales"
_EXACT = r"=\d+"  # compiled by ``re`` on first use, when a locale's prompts are read

Template = str | Mapping[str, str]
"""Text, or "=N" / CLDR plural category -> text (needs an ``int`` ``count`` parameter)."""


@dataclass(frozen=True)
class Prompts:
    """One locale's prompt templates (its files merged); ``get`` fills one in."""

    locale: str
    strings: dict[str, Template]

    def get(self, key: str, **params: object) -> str:
        try:
            template = self.strings[key]
        except KeyError:
            raise KeyError(f"no prompt {key!r} in {self.locale}") from None
        if isinstance(template, str):
            return template.format(**params)
        if "select" in template:
            chosen = str(params.get(template["select"]))
            if chosen not in template:
                raise KeyError(f"prompt {key!r} has no form for {template['select']}={chosen!r}")
            return template[chosen].format(**params)
        count = params.get("count")
        if not isinstance(count, int) or isinstance(count, bool):
            raise TypeError(f"prompt {key!r} has plural forms: pass count as an int, not {count!r}")
        text = template.get(f"={count}") or template.get(
            formatting.plural_category(self.locale, count), template["other"]
        )
        return text.format(**{**params, "count": formatting.number_words(self.locale, count)})

    def plural_forms(self) -> dict[str, set[str]]:
        """Key -> the CLDR categories its plural forms use (exact "=N" forms left out)."""
        return {
            key: {form for form in template if not re.fullmatch(_EXACT, form)}
            for key, template in self.strings.items()
            if not isinstance(template, str) and "select" not in template
        }

    def is_plural(self, key: str) -> bool:
        template = self.strings[key]
        return not isinstance(template, str) and "select" not in template

    def placeholders(self, key: str) -> set[str]:
        template = self.strings[key]
        selector = {template["select"]} if not isinstance(template, str) and "select" in template else set()
        return selector.union(*(_fields(text) for text in _texts(template)))


def load_prompts(locale: str, root: Path = LOCALES_DIR) -> Prompts:
    """Every ``prompts*.yaml`` of the locale's chain, merged; keys are unique across files."""
    from heel_coach.catalogue.locale_files import locale_file_names, read_locale_file

    merged: dict[str, Template] = {}
    content_root = root.parent
    names = locale_file_names(content_root, locale, "prompts*.yaml")
    if not names:
        raise ContentError(f"{root.name}/{locales.language_of(locale)}/prompts.yaml", "<file>", "missing")
    for name in names:
        data, at = read_locale_file(content_root, locale, name)
        if not isinstance(data, dict):
            raise at.error("must be a mapping of key: text")
        for key, value in data.items():
            if key in merged:
                raise at.key(str(key)).error("defined in more than one prompts file")
            merged[str(key)] = _template(value, at.file, str(key))
    return Prompts(locale, merged)


def _template(value: object, file: str, key: str) -> Template:
    if isinstance(value, dict) and "select" in value:
        selector = value["select"]
        if not isinstance(selector, str) or not selector.isidentifier() or len(value) < 3:
            raise ContentError(file, key, "select names a parameter and gives at least two forms")
        return {"select": selector} | {
            str(k): _text(v, file, f"{key}.{k}") for k, v in value.items() if k != "select"
        }
    if isinstance(value, dict):
        # CLDR's category names, not yet this language's own: checking those needs Babel, which
        # start-up does not import (a contract test checks them per language).
        categories = formatting.PLURAL_CATEGORIES
        unknown = sorted(k for k in map(str, value) if k not in categories and not re.fullmatch(_EXACT, k))
        if unknown or "other" not in value:
            allowed = ", ".join(categories)
            raise ContentError(file, key, f"plural forms are =N or CLDR categories ({allowed}), with other")
        forms = {str(k): _text(v, file, f"{key}.{k}") for k, v in value.items()}
        if "count" not in _fields(forms["other"]):
            raise ContentError(file, key, "the 'other' form must say {count}")
        return forms
    return _text(value, file, key)


def _text(value: object, file: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(file, key, "must be a non-empty string")
    try:
        _fields(value)
    except ValueError as exc:
        raise ContentError(file, key, f"bad placeholder: {exc}") from exc
    return value


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _texts(template: Template) -> Iterable[str]:
    return (template,) if isinstance(template, str) else (v for k, v in template.items() if k != "select")


def available_locales(root: Path = LOCALES_DIR) -> tuple[str, ...]:
    """The supported locales (``locales/locales.yaml``), the default first."""
    from heel_coach.catalogue.locale_files import load_manifest

    return load_manifest(root.parent).locales


def locale_candidates(locale: str | None, default: str, available: Iterable[str]) -> str:
    """The locale that answers a request (see ``heel_coach.locales.choose``)."""
    return locales.choose(locale, tuple(available), default)
