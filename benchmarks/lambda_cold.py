"""AWS Lambda figures: cold start against the SDK's own hello-world Lambda handler, and the
cost of DynamoDB per request (moto server on loopback; reported, not a target).

Cold start, in a fresh interpreter per sample (``python -m benchmarks.lambda_cold VARIANT
WORKDIR``), variants interleaved: ``import`` (the handler module), ``build`` (the skill: for
the SDK template it happens inside the import, for Heel Coach on the first invocation) and
``first`` (the first invocation with a LaunchRequest event prepared by the parent, so no
Heel Coach module is loaded before the timing starts). Variants:

- ``sdk``: ``benchmarks.lambda_hello_world.lambda_handler`` (``SkillBuilder().lambda_handler()``);
- ``heel``: ``heel_coach.lambda_handler.handler`` with the SQLite store (a temp file);
- ``heel_dynamodb``: the same with ``HEELCOACH_STORE=dynamodb`` against moto's server, so
  boto3's import, client creation and the first round trip are in the figure (as on Lambda,
  where the tables are DynamoDB).

Both variants run byte-compiled code after the modules the Lambda Python runtime has imported
before any handler (``RUNTIME_MODULES``). Heel Coach runs from a Lambda package built as
``make build-SkillFunction`` builds it (``lambda_package``: the package copied, compiled and
prepared by ``heel_coach.lambda_package``; its dependencies are this virtualenv's, compiled
by pip as Lambda's are). The target (<= 1.2x the SDK) is checked on ``heel``: the skill's own
cold start. The DynamoDB variant is reported beside it with the part boto3 adds.

Wall-clock times on a shared machine swing by 2x between runs; ``instructions`` counts what
each variant executes (valgrind's callgrind, one run each, net of a child that stops where
the clock would start), which repeats to within a fraction of a percent.
``python -m benchmarks.lambda_cold [--repeats N] [--instructions]`` runs only these figures.
"""

from __future__ import annotations

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
VARIANTS = ("sdk", "heel", "heel_dynamodb")
EVENT_FILE = "lambda-launch.json"


RUNTIME_MODULES = ("importlib", "json", "logging", "os", "sys", "time", "traceback")
"""What the Python runtime of AWS Lambda has imported before it imports the handler module
(``awslambdaric/bootstrap.py``, aws-lambda-python-runtime-interface-client): neither variant
pays for them on Lambda, so neither does here."""


def main(argv: list[str]) -> int:
    """Child: time import, build and first invocation of one variant; print JSON. Variant
    ``none`` stops where the clock would start (the base that ``instructions`` subtracts)."""
    for name in RUNTIME_MODULES:
        __import__(name)
    variant, workdir = argv[0], Path(argv[1])
    event = json.loads((workdir / EVENT_FILE).read_text())
    if variant == "none":
        return 0
    t0 = time.perf_counter()
    if variant == "sdk":
        from benchmarks.lambda_hello_world import lambda_handler as handler

        t1 = t2 = time.perf_counter()
    else:
        from heel_coach import lambda_handler

        t1 = time.perf_counter()
        lambda_handler.edge()
        t2 = time.perf_counter()
        handler = lambda_handler.handler
    answer = handler(event, None)
    t3 = time.perf_counter()
    ok = isinstance(answer, dict) and "response" in answer
    phases = {"import": t1 - t0, "build": t2 - t1, "first": t3 - t2, "total": t3 - t0}
    print(json.dumps({"ok": ok, **{k: v * 1000 for k, v in phases.items()}, **_packaged(variant)}))
    return 0 if ok else 1


def _packaged(variant: str) -> dict[str, bool]:
    """Whether the child used what the package build prepared (checked after the clock)."""
    if variant == "sdk":
        return {}
    import dataclasses

    from heel_coach.lambda_package import snapshot_path
    from heel_coach.module_bundle import installed_finder

    return {
        "code_cache": "exec" in vars(dataclasses),
        "snapshot": snapshot_path().is_file(),
        "bundle": installed_finder() is not None,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def moto_server() -> Iterator[str]:
    """moto's DynamoDB in its own process (so its CPU is not the skill's), on loopback."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _aws_env() -> dict[str, str]:
    return {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "eu-west-1",
    }


def _tables(endpoint: str, tag: str) -> dict[str, str]:
    """Create a pair of tables; the HEELCOACH_* variables that point the skill at them."""
    os.environ.update(_aws_env())
    from heel_coach.persistence.dynamodb_store import DynamoStore

    users, history = f"bench-users-{tag}", f"bench-history-{tag}"
    store = DynamoStore(users, history, endpoint_url=endpoint, region="eu-west-1", timeout_s=10)
    store.create_tables()
    store.close()
    return {
        "HEELCOACH_STORE": "dynamodb",
        "HEELCOACH_DYNAMODB_TABLE": users,
        "HEELCOACH_DYNAMODB_HISTORY_TABLE": history,
        "HEELCOACH_DYNAMODB_ENDPOINT": endpoint,
        "HEELCOACH_DYNAMODB_REGION": "eu-west-1",
    }


def lambda_package(workdir: Path) -> Path:
    """The Lambda package as ``make build-SkillFunction`` builds it, minus installing the
    dependencies (they come from this virtualenv): ``heel_coach`` copied from the checkout,
    byte-compiled, then prepared by ``python -m heel_coach.lambda_package`` in it."""
    import compileall
    import shutil

    package = workdir / "lambda-package"
    shutil.rmtree(package, ignore_errors=True)
    shutil.copytree(
        REPO / "skill" / "heel_coach", package / "heel_coach", ignore=shutil.ignore_patterns("__pycache__")
    )
    compileall.compile_dir(str(package), quiet=1)
    subprocess.run(
        [sys.executable, "-m", "heel_coach.lambda_package"],
        cwd=package,
        env={**os.environ, "PYTHONPATH": str(package)},
        check=True,
        capture_output=True,
        timeout=300,
    )
    return package


def _child_env(workdir: Path, extra: dict[str, str], package: Path) -> dict[str, str]:
    """The child's environment: ``heel_coach`` is imported from ``package``; every variant has
    the same import path, as both handlers would share Lambda's task root."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEELCOACH_", "AWS_"))}
    env.update(
        {
            "PYTHONPATH": os.pathsep.join([str(package), str(REPO)]),
            "HEELCOACH_DB_PATH": str(workdir / "lambda-cold.sqlite3"),
            "HEELCOACH_LOG_LEVEL": "WARNING",
            **_aws_env(),
            **extra,
        }
    )
    return env


def _prepare(workdir: Path) -> Path:
    """Compile the checkout (the SDK template's side), build the Lambda package, write the event."""
    from benchmarks.harness import compile_sources
    from heel_coach.console.envelopes import Device

    compile_sources()
    (workdir / EVENT_FILE).write_text(json.dumps(Device().launch()))
    return lambda_package(workdir)


def cold_start(workdir: Path, repeats: int) -> dict[str, Any]:
    """Median phases per variant over ``repeats`` fresh processes each, interleaved."""
    package = _prepare(workdir)
    samples: dict[str, list[dict[str, float]]] = {v: [] for v in VARIANTS}
    walls: dict[str, list[float]] = {v: [] for v in VARIANTS}
    with moto_server() as endpoint:
        dynamo_env = _tables(endpoint, "cold")
        for i in range(repeats):
            for variant in VARIANTS[i % 3 :] + VARIANTS[: i % 3]:
                extra = dynamo_env if variant == "heel_dynamodb" else {}
                started = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-m", "benchmarks.lambda_cold", variant, str(workdir)],
                    cwd=REPO,
                    env=_child_env(workdir, extra, package),
                    capture_output=True,
                    text=True,
                    timeout=120,
                    check=True,
                )
                walls[variant].append((time.perf_counter() - started) * 1000)
                samples[variant].append(json.loads(done.stdout.strip().splitlines()[-1]))
    out: dict[str, Any] = {}
    for variant, runs in samples.items():
        out[variant] = {
            k: statistics.median(r[k] for r in runs) for k in ("import", "build", "first", "total")
        }
        out[variant]["process_ms"] = statistics.median(walls[variant])
        out[variant]["samples_total_ms"] = [r["total"] for r in runs]
        out[variant]["prepared"] = all(
            r.get("code_cache", True) and r.get("snapshot", True) and r.get("bundle", True) for r in runs
        )
    return out


def instructions(workdir: Path) -> dict[str, float] | None:
    """Millions of instructions from the first import to the first answer, per variant (SQLite
    for Heel Coach): callgrind counts each child once (a fixed hash seed, so a rerun gives the
    same count), minus the ``none`` child. None when valgrind is not installed."""
    import shutil

    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    package = _prepare(workdir)
    counts: dict[str, int] = {}
    for variant in ("none", "sdk", "heel"):
        done = subprocess.run(
            [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null"]
            + [sys.executable, "-m", "benchmarks.lambda_cold", variant, str(workdir)],
            cwd=REPO,
            env=_child_env(workdir, {}, package) | {"PYTHONHASHSEED": "0"},
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
        match = re.search(r"Collected : (\d+)", done.stderr)
        if match is None:
            raise RuntimeError(f"no instruction count from callgrind: {done.stderr[-500:]}")
        counts[variant] = int(match.group(1))
    return {v: (counts[v] - counts["none"]) / 1e6 for v in ("sdk", "heel")}


def dynamodb_per_request(workdir: Path, requests: int) -> dict[str, Any]:
    """Warm Lambda edge, the same conversation turns on SQLite and on DynamoDB (moto server):
    median ms per request and DynamoDB calls per request. Reported, not a target: moto is
    neither DynamoDB's latency nor its cost."""
    from heel_coach.console.client import VoiceClient
    from heel_coach.lambda_handler import LambdaEdge
    from heel_coach.settings import Settings

    def turns(edge: LambdaEdge) -> list[float]:
        """New users: launch, start the quick routine, pick a foot, two steps (reads, writes)."""
        timings: list[float] = []

        def send(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
            event = json.loads(body)
            started = time.perf_counter()
            answer = edge.handle(event, None)
            timings.append((time.perf_counter() - started) * 1000)
            return 200, json.dumps(answer).encode()

        for _ in range(requests):
            alexa = VoiceClient.for_locale(send)
            alexa.launch()
            for text in ("start the quick routine", "both", "next", "next"):
                alexa.say(text)
        return timings

    result: dict[str, Any] = {}
    with moto_server() as endpoint:
        env = _tables(endpoint, "per-request")
        dynamo = Settings.from_env(env)
        sqlite = Settings(db_path=workdir / "per-request.sqlite3")
        for name, settings in (("sqlite", sqlite), ("dynamodb", dynamo)):
            edge = LambdaEdge.build(settings)
            calls = 0
            if name == "dynamodb":
                client: Any = edge.assembled.store.client  # type: ignore[attr-defined]

                def count(**_: Any) -> None:
                    nonlocal calls
                    calls += 1

                client.meta.events.register("before-call.dynamodb", count)
            turns(edge)  # warm: caches, connections
            calls = 0
            timings = turns(edge)
            result[name] = {
                "median_ms": statistics.median(timings),
                "p90_ms": sorted(timings)[int(len(timings) * 0.9)],
                "calls_per_request": calls / len(timings),
            }
    result["dynamodb_extra_ms"] = result["dynamodb"]["median_ms"] - result["sqlite"]["median_ms"]
    return result


def run(argv: list[str]) -> int:
    """``python -m benchmarks.lambda_cold [--repeats N] [--instructions]``: figure (7) alone."""
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(prog="python -m benchmarks.lambda_cold", description=run.__doc__)
    parser.add_argument("--repeats", type=int, default=7, help="fresh processes per variant")
    parser.add_argument("--instructions", action="store_true", help="also count instructions (valgrind)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="heelcoach-cold-") as tmp:
        cold = cold_start(Path(tmp), args.repeats)
        counted = instructions(Path(tmp)) if args.instructions else None
    for variant, c in cold.items():
        print(
            f"{variant:<14} median {c['total']:7.1f} ms   x sdk {c['total'] / cold['sdk']['total']:.2f}"
            f"   (import {c['import']:.0f}, build {c['build']:.0f}, first {c['first']:.0f};"
            f" samples {', '.join(f'{t:.0f}' for t in c['samples_total_ms'])})"
        )
    if counted is not None:
        print(
            f"instructions (M): sdk {counted['sdk']:.1f}, heel {counted['heel']:.1f},"
            f" x sdk {counted['heel'] / counted['sdk']:.2f}"
        )
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and not args[0].startswith("-"):
        code = main(args)
        sys.stdout.flush()
        os._exit(code)  # a Lambda environment is not torn down after its first answer
    raise SystemExit(run(args))
