"""Where start-up time goes, in a fresh interpreter: ``python -m benchmarks.startup_phases VARIANT WORKDIR``.

Prints one JSON object with these phases, in ms:
- ``common_imports``: Flask and ask-sdk-core, which every variant loads.
- ``app_imports``: the variant's own modules on top of that.
- ``build_app``: the app factory (for Heel Coach: catalogue, prompts, skill, SQLite).
- ``first_request``: one LaunchRequest through the Flask test client.
The harness runs it several times per variant and reports the medians. The phases do not
include interpreter start-up or the server itself: those are the same for every variant.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    variant, workdir = argv[0], Path(argv[1])
    t0 = time.perf_counter()
    import ask_sdk_core.serialize  # noqa: F401 - timed: what every variant loads
    import ask_sdk_core.skill_builder  # noqa: F401
    import flask  # noqa: F401

    t1 = time.perf_counter()
    if variant in ("heel", "heel_verified"):
        import heel_coach.web.app  # noqa: F401
    else:
        import benchmarks.baselines  # noqa: F401
    t2 = time.perf_counter()
    from benchmarks.apps import Material, build_app

    material = Material(workdir)
    app = build_app(variant, material, "-phases")
    t3 = time.perf_counter()
    from benchmarks.variants import Bodies  # the body is built (and signed) outside the timing

    body, headers = Bodies(material, 0).make(variant, "launch", 1)[0]
    t4 = time.perf_counter()
    status = app.test_client().post("/alexa", data=body, headers=headers).status_code
    t5 = time.perf_counter()
    phases = {
        "common_imports": t1 - t0,
        "app_imports": t2 - t1,
        "build_app": t3 - t2,
        "first_request": t5 - t4,
    }
    print(json.dumps({"status": status, **{name: s * 1000 for name, s in phases.items()}}))
    return 0 if status == 200 else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
