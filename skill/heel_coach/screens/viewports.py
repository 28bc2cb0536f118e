"""The screens Heel Coach is drawn for, one per standard Alexa viewport profile we support.

One table serves the renderer (pixel size, density), the console and tests (the ``Viewport``
object an APL device puts in ``context.Viewport``) and the documents themselves, which pick
their sizes with ``@viewportProfile`` from Amazon's ``alexa-viewport-profiles`` package.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

APL_INTERFACE = "Alexa.Presentation.APL"
APL_RUNTIME_VERSION = "2024.3"
"""The APL version our documents declare and an APL device in the console reports."""


@dataclass(frozen=True)
class Viewport:
    name: str
    """Our short name: file names of screenshots, ``chat --screen NAME``."""
    profile: str
    """The ``alexa-viewport-profiles`` resource this size falls in (``@viewportProfile``)."""
    example: str
    width_dp: int
    height_dp: int
    dpi: int
    shape: str
    """"ROUND" or "RECTANGLE", as in ``context.Viewport.shape``."""
    mode: str
    """"HUB" or "TV", as in ``context.Viewport.mode``."""

    @property
    def pixel_width(self) -> int:
        return self.width_dp * self.dpi // 160

    @property
    def pixel_height(self) -> int:
        return self.height_dp * self.dpi // 160

    def context_viewport(self) -> dict[str, Any]:
        """``context.Viewport`` as an APL device of this size sends it."""
        return {
            "experiences": [{"canRotate": False, "canResize": False}],
            "mode": self.mode,
            "shape": self.shape,
            "pixelWidth": self.pixel_width,
            "pixelHeight": self.pixel_height,
            "currentPixelWidth": self.pixel_width,
            "currentPixelHeight": self.pixel_height,
            "dpi": self.dpi,
            "touch": ["SINGLE"] if self.mode == "HUB" else [],
            "keyboard": ["DIRECTION"] if self.mode == "TV" else [],
            "video": {"codecs": ["H_264_42", "H_264_41"]},
        }


VIEWPORTS: tuple[Viewport, ...] = (
    Viewport("round-small", "hubRoundSmall", "Echo Spot", 480, 480, 160, "ROUND", "HUB"),
    Viewport("landscape-small", "hubLandscapeSmall", "Echo Show 5", 960, 480, 160, "RECTANGLE", "HUB"),
    Viewport("medium", "hubLandscapeMedium", "Echo Show 8", 1024, 600, 160, "RECTANGLE", "HUB"),
    Viewport("large", "hubLandscapeLarge", "Echo Show 10", 1280, 800, 160, "RECTANGLE", "HUB"),
    Viewport("tv", "tvLandscapeXLarge", "Fire TV", 960, 540, 320, "RECTANGLE", "TV"),
)


def viewport_named(name: str) -> Viewport:
    for viewport in VIEWPORTS:
        if viewport.name == name:
            return viewport
    raise KeyError(f"no viewport {name!r}; known: {', '.join(v.name for v in VIEWPORTS)}")
