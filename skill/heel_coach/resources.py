"""Where the files Heel Coach reads at run time live: inside the installed package, always.

The top-level ``interaction_models/`` of a checkout is the copy uploaded to Alexa; it is
written from the packaged model by ``heel-coach model sync`` and checked against it, so the
package never reads anything outside itself (a wheel installed anywhere works).
"""

from __future__ import annotations

from importlib.util import MAGIC_NUMBER
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CONTENT_DIR = PACKAGE_DIR / "content"
MODELS_DIR = CONTENT_DIR / "models"


def write_for_this_python(path: Path, data: bytes) -> Path:
    """Write what the package build prepares for this Python (the dataclass cache, the module
    bundle): its magic number first, as in a .pyc."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(MAGIC_NUMBER + data)
    return path


def read_for_this_python(path: Path) -> memoryview | None:
    """What ``write_for_this_python`` wrote, without the magic number; None when the file is
    missing or was written by another Python (its marshalled code would not load here)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    return memoryview(raw)[len(MAGIC_NUMBER) :] if raw.startswith(MAGIC_NUMBER) else None


def model_path(locale: str) -> Path:
    """The packaged interaction model of ``locale`` (the one source of truth)."""
    return MODELS_DIR / f"{locale}.json"


def model_locales() -> tuple[str, ...]:
    """Locales that ship an interaction model."""
    return tuple(sorted(p.stem for p in MODELS_DIR.glob("*.json")))


def source_checkout(package_dir: Path = PACKAGE_DIR) -> Path | None:
    """The checkout the package is imported from, or None for an installed or built package.

    A source checkout is recognised by its ``pyproject.toml`` two folders above the package
    (``<checkout>/skill/heel_coach``); an installed wheel or a Lambda package has no such folder.
    """
    root = package_dir.parents[1]
    return root if (root / "pyproject.toml").is_file() else None


def upload_model_path(locale: str, checkout: Path | None = None) -> Path | None:
    """The checkout's ``interaction_models/<locale>.json`` (None when installed from a wheel)."""
    root = checkout if checkout is not None else source_checkout()
    if root is None or not (root / "pyproject.toml").is_file():
        return None
    return root / "interaction_models" / f"{locale}.json"
