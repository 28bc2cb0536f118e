"""Where the files Heel Coach reads at run time live: inside the installed package, always.

The top-level ``interaction_models/`` of a checkout is the copy uploaded to Alexa; it is
written from the packaged model by ``heel-coach model sync`` and checked against it, so the
package never reads anything outside itself (a wheel installed anywhere works).
"""

from __future__ import annotations

from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"
MODELS_DIR = CONTENT_DIR / "models"


def model_path(locale: str) -> Path:
    """The packaged interaction model of ``locale`` (the one source of truth)."""
    return MODELS_DIR / f"{locale}.json"


def model_locales() -> tuple[str, ...]:
    """Locales that ship an interaction model."""
    return tuple(sorted(p.stem for p in MODELS_DIR.glob("*.json")))


def upload_model_path(locale: str, checkout: Path | None = None) -> Path | None:
    """The checkout's ``interaction_models/<locale>.json`` (None when installed from a wheel).

    A source checkout is recognised by its ``pyproject.toml`` two folders above the package
    (``<checkout>/skill/heel_coach``); an installed wheel has no such folder.
    """
    root = checkout if checkout is not None else Path(__file__).resolve().parents[2]
    if not (root / "pyproject.toml").is_file():
        return None
    return root / "interaction_models" / f"{locale}.json"
