"""Runs Amazon's APL tools (Node.js, in ``tools/apl/`` of a checkout) on our documents.

``validate`` sends every document and data source to apl-suggester in one Node process;
``render`` draws each with apl-viewhost-web in headless Chromium and writes PNGs. Both need
``make install`` (which runs ``npm ci`` there); rendering also needs ``/usr/bin/chromium``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from heel_coach.errors import HeelCoachError
from heel_coach.screens.documents import document
from heel_coach.screens.samples import Sample
from heel_coach.screens.viewports import Viewport

CHROMIUM = Path("/usr/bin/chromium")


class ToolMissing(HeelCoachError):
    """Node.js, the npm packages or Chromium are not installed here."""


@dataclass(frozen=True)
class Validation:
    name: str
    errors: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Rendered:
    name: str
    file: Path
    core_errors: tuple[str, ...]
    blocked_requests: tuple[str, ...]


def tools_dir(checkout: Path | None = None) -> Path:
    root = checkout if checkout is not None else Path(__file__).resolve().parents[3]
    path = root / "tools" / "apl"
    if not (path / "package.json").is_file():
        raise ToolMissing("tools/apl/ is missing: screens are checked from a source checkout")
    if not (path / "node_modules" / "apl-suggester").is_dir():
        raise ToolMissing("tools/apl/node_modules is missing: run `make install` (npm ci)")
    return path


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise ToolMissing("node is not installed")
    return node


def _run(script: str, jobs: list[dict[str, Any]], timeout_s: float) -> list[dict[str, Any]]:
    where = tools_dir()
    with tempfile.TemporaryDirectory(prefix="heelcoach-apl-") as tmp:
        jobs_path, results_path = Path(tmp) / "jobs.json", Path(tmp) / "results.json"
        jobs_path.write_text(json.dumps(jobs), encoding="utf-8")
        proc = subprocess.run(
            [_node(), str(where / script), str(jobs_path), str(results_path)],
            cwd=where,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
        if proc.returncode != 0 or not results_path.is_file():
            raise HeelCoachError(f"{script} failed ({proc.returncode}): {proc.stderr[-2000:]}")
        return json.loads(results_path.read_text(encoding="utf-8"))


def validate(samples: Sequence[Sample], timeout_s: float = 300) -> list[Validation]:
    """apl-suggester's verdict on each sample's document and data source (one Node process)."""
    jobs = [
        {"name": s.name, "document": document(s.view.screen), "datasources": s.view.datasources()}
        for s in samples
    ]
    return [
        Validation(
            r["name"],
            tuple(f"{e['path']}: {e['message']}" for e in r["errors"]),
            tuple(f"{w['path']}: {w['message']}" for w in r["warnings"]),
        )
        for r in _run("validate.js", jobs, timeout_s)
    ]


def render(
    samples: Sequence[Sample], viewports: Sequence[Viewport], out_dir: Path, timeout_s: float = 900
) -> list[Rendered]:
    """``<out_dir>/<sample>-<viewport>.png`` for every pair, drawn by apl-viewhost-web in Chromium."""
    if not CHROMIUM.exists():
        raise ToolMissing(f"{CHROMIUM} is missing: `apt-get install -y chromium`")
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = []
    for sample in samples:
        data = sample.view.datasources()
        if sample.view.screen.value == "exercise":
            data["payload"]["offsetMs"] = sample.at_ms
        for vp in viewports:
            jobs.append(
                {
                    "name": f"{sample.name}-{vp.name}",
                    "file": str((out_dir / f"{sample.name}-{vp.name}.png").resolve()),
                    "document": document(sample.view.screen),
                    "datasources": data,
                    "viewport": {
                        "pixelWidth": vp.pixel_width,
                        "pixelHeight": vp.pixel_height,
                        "dpi": vp.dpi,
                        "shape": vp.shape,
                        "mode": vp.mode,
                    },
                }
            )
    return [
        Rendered(r["name"], Path(r["file"]), tuple(r["coreErrors"]), tuple(r["blockedRequests"]))
        for r in _run("render.js", jobs, timeout_s)
    ]
