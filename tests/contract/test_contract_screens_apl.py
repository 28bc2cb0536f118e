"""Amazon's own tools on our screens: apl-suggester validates every document with its data
(one Node process for all), and apl-viewhost-web renders one in headless Chromium."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest

from heel_coach.catalogue.model import Catalogue
from heel_coach.screens import tooling
from heel_coach.screens.samples import samples
from heel_coach.screens.viewports import viewport_named
from heel_coach.voice.prompts import load_prompts

KNOWN_WARNINGS: dict[str, str] = {}
"""apl-suggester warnings we accept, with the reason (none today)."""


def test_every_screen_document_and_data_source_passes_apl_suggester(catalogue: Catalogue) -> None:
    results = tooling.validate(samples(catalogue, load_prompts("en-US")))
    assert results
    for result in results:
        for warning in result.warnings:
            print(f"apl-suggester warning: {result.name}: {warning}")
    assert [(r.name, r.errors) for r in results if r.errors] == []
    unexplained = [(r.name, w) for r in results for w in r.warnings if w not in KNOWN_WARNINGS]
    assert unexplained == []


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


@pytest.mark.slow
def test_apl_viewhost_web_renders_the_exercise_screen(catalogue: Catalogue, tmp_path: Path) -> None:
    if not tooling.CHROMIUM.exists() or shutil.which("node") is None:
        pytest.skip(f"no browser: {tooling.CHROMIUM} is not installed (`apt-get install -y chromium`)")
    sample = next(s for s in samples(catalogue, load_prompts("en-US")) if s.name == "exercise-hold")
    viewport = viewport_named("landscape-small")
    [rendered] = tooling.render([sample], [viewport], tmp_path)
    assert rendered.core_errors == ()
    assert _png_size(rendered.file) == (viewport.pixel_width, viewport.pixel_height)
    assert rendered.file.stat().st_size > 10_000  # a drawn screen, not a blank one
