"""Locale tags: which folders a locale's words come from, and which locale answers a request.

Pure string logic with no content and no I/O, so the catalogue, the prompts, the interaction
models and the audio all agree on one rule (docs/localisation.md):

* a locale's words are its language's source folder (``en``, ``de``) overlaid with the
  locale's own folder of overrides (``en-GB``): ``chain("en-GB") == ("en-GB", "en")``;
* a request in a locale we do not support gets the first supported locale of its language,
  else the default: never an error.
"""

from __future__ import annotations

from collections.abc import Sequence

DEFAULT_LOCALE = "en-US"


def language_of(tag: str) -> str:
    """ "en-GB" -> "en"; "de" -> "de"."""
    return tag.split("-", 1)[0].lower()


def chain(tag: str) -> tuple[str, ...]:
    """Folders to read, most specific first: the locale's overrides, then its language's source."""
    language = language_of(tag)
    return (tag,) if tag == language else (tag, language)


def choose(requested: str | None, supported: Sequence[str], default: str = DEFAULT_LOCALE) -> str:
    """The supported locale that answers a request in ``requested``.

    Exact match (case-insensitive, "_" read as "-"), else the first supported locale of the
    same language ("en-NZ" -> "en-US", "de-AT" -> "de-DE"), else ``default``.
    """
    if requested:
        wanted = requested.replace("_", "-").lower()
        for tag in supported:
            if tag.lower() == wanted:
                return tag
        language = language_of(wanted)
        for tag in supported:
            if language_of(tag) == language:
                return tag
    return default


def babel_name(tag: str) -> str:
    """The CLDR name Babel expects: "en-GB" -> "en_GB"."""
    return tag.replace("-", "_")


__all__ = ["DEFAULT_LOCALE", "babel_name", "chain", "choose", "language_of"]
