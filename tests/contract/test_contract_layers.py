"""Imports only point down: no module under heel_coach imports one from a layer above it.

The order is the architecture (README, "Architecture"): pure content and rules at the bottom,
the Alexa voice layer above them, the web edge and the command line on top. Inside voice/,
shared conversation pieces sit below the feature modules, which sit below the handlers, which
sit below the skill factory that lists them. Every import counts, lazy ones inside functions
included: a lazy import that runs up a layer is still a cycle waiting to happen.
"""

from __future__ import annotations

import ast
from pathlib import Path

import heel_coach

PACKAGE = Path(heel_coach.__file__).resolve().parent

LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "errors",
        "json_data",
        "resources",
        "settings",
        "locales",
        "alexa_limits",
        "dataclass_cache",
        "module_bundle",
    ),
    ("catalogue",),
    ("engine",),
    ("simulator", "progress", "reminders", "screens"),  # screens: APL documents and their data
    ("audio",),
    ("persistence", "services"),
    ("voice",),  # turn, speech, ssml, prompts, phrasing, user, tracks, interceptors, alexa_api
    ("voice.features",),
    ("voice.handlers",),
    ("voice.skill_factory",),
    ("assembly",),  # the skill from settings, for every edge
    ("web", "lambda_handler", "lambda_package", "audio_cli", "skill_package", "screens_cli"),
    ("console",),
    ("cli", "__main__"),
)


def layer_of(module: str) -> int:
    """Index in LAYERS of the longest prefix naming ``module`` (``heel_coach.`` stripped)."""
    name = module.removeprefix("heel_coach").removeprefix(".")
    best, best_len = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    if best < 0:
        raise AssertionError(f"{module} is in no layer: add its package to LAYERS")
    return best


def imported_modules(source: str, known: set[str]) -> set[str]:
    """Every ``heel_coach`` module ``source`` imports (``from pkg import mod`` names the module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("heel_coach."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("heel_coach"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in known else node.module)
    return {m for m in found if m != "heel_coach"}


def violations(sources: dict[str, str]) -> list[str]:
    known = set(sources)
    out = []
    for module, source in sorted(sources.items()):
        if module == "heel_coach":
            continue  # the package's own __init__ holds no code
        here = layer_of(module)
        for target in sorted(imported_modules(source, known)):
            if layer_of(target) > here:
                out.append(f"{module} imports {target} (layer {layer_of(target)} > {here})")
    return out


def package_sources() -> dict[str, str]:
    sources = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        sources[name] = path.read_text()
    return sources


def test_no_module_imports_one_from_a_layer_above() -> None:
    sources = package_sources()
    assert len(sources) > 50, "the scan found too few modules"
    assert violations(sources) == []


def test_every_module_has_a_layer() -> None:
    for module in package_sources():
        if module != "heel_coach":
            layer_of(module)


def test_the_check_catches_an_upward_import() -> None:
    """The rule itself: audio importing voice, a feature importing a handler, lazy or not."""
    sources = {
        "heel_coach.audio.tracks": "from heel_coach.voice.speech import Speaker\n",
        "heel_coach.voice.speech": "from heel_coach.catalogue.model import Catalogue\n",
        "heel_coach.voice.features.routine": "def f():\n    from heel_coach.voice.handlers import base\n",
        "heel_coach.voice.handlers.base": "import heel_coach.voice.features.routine\n",
        "heel_coach.catalogue.model": "",
    }
    assert violations(sources) == [
        "heel_coach.audio.tracks imports heel_coach.voice.speech (layer 6 > 4)",
        "heel_coach.voice.features.routine imports heel_coach.voice.handlers.base (layer 8 > 7)",
    ]
