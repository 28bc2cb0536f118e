"""Run every figure in one process run, compute ratios against (b) and (a), check targets.

Targets (Heel Coach vs the ask-sdk hello world (b), same machine, same run):
in-process cost per request and server CPU per request <= 1.5x (b); p99 under load <= 1.5x
(b); start-up to first response <= 1.3x (b); cached signature verification <= 50 us.
Targets are checked for Heel Coach with full verification (what production runs); the
verification-off figures are shown alongside so the verifier's share is visible.
"""

from __future__ import annotations

import compileall
import json
import logging
import os
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import http_load, inprocess, lambda_cold
from benchmarks.variants import VARIANTS, Bodies, Material, mid_position


@dataclass(frozen=True)
class Plan:
    rounds: int
    batch: int
    warmup: int
    verify_iterations: int
    serializer_iterations: int
    load_rounds: int
    load_per_round: int
    threads: int
    startup_repeats: int
    dynamodb_conversations: int


QUICK = Plan(
    rounds=4,
    batch=40,
    warmup=20,
    verify_iterations=2000,
    serializer_iterations=300,
    load_rounds=2,
    load_per_round=160,
    threads=8,
    startup_repeats=3,
    dynamodb_conversations=5,
)
FULL = Plan(
    rounds=10,
    batch=150,
    warmup=50,
    verify_iterations=20000,
    serializer_iterations=2000,
    load_rounds=6,
    load_per_round=600,
    threads=8,
    startup_repeats=7,
    dynamodb_conversations=20,
)

TARGET_RATIO = 1.5
STARTUP_RATIO = 1.3
LAMBDA_COLD_RATIO = 1.2
VERIFY_US = 50.0
CHECKED = "heel_verified"


def compile_sources() -> None:
    """Byte-compile the repository's code as a deployment does (``pip install`` compiles, the
    README's deploy steps run compileall): otherwise, where PYTHONDONTWRITEBYTECODE is set
    (as on this machine) every spawned Heel Coach process would compile ~60 modules from
    source, ~100 ms that the SDK baseline, all in precompiled site-packages, never pays."""
    repo = Path(__file__).resolve().parents[1]
    for package in ("skill", "benchmarks"):
        compileall.compile_dir(str(repo / package), quiet=1)


def run(*, quick: bool, out: Path, profile: bool = False) -> int:
    plan = QUICK if quick else FULL
    compile_sources()
    logging.disable(logging.WARNING)  # the in-process apps' own warnings/info are not timed output
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="heelcoach-bench-") as tmp:
        material = Material.create(Path(tmp))
        bodies = Bodies(material, mid_position())
        _say("in-process cost per request (Flask test client) ...")
        per_request = inprocess.per_request_cost(material, bodies, plan.rounds, plan.batch, plan.warmup)
        _say("signature verification ...")
        verification = inprocess.verification_cost(material, bodies, plan.verify_iterations)
        _say("SDK (de)serialisation ...")
        serialisation = inprocess.sdk_serialisation_cost(bodies, plan.serializer_iterations)
        _say(f"HTTP load: {plan.threads} client threads, {plan.load_rounds} rounds ...")
        load = http_load.load(material, bodies, VARIANTS, plan.load_rounds, plan.load_per_round, plan.threads)
        _say("start-up to first response ...")
        startup = http_load.startup_times(
            material, bodies, ("sdk", "heel", "heel_verified"), plan.startup_repeats
        )
        phases = http_load.startup_phases(material, ("sdk", "heel_verified"), plan.startup_repeats)
        _say("AWS Lambda: cold start and DynamoDB (moto server) per request ...")
        cold = lambda_cold.cold_start(Path(tmp), plan.startup_repeats)
        dynamodb = lambda_cold.dynamodb_per_request(Path(tmp), plan.dynamodb_conversations)
        profile_text = inprocess.profile_heel(material, bodies, plan.batch) if profile else ""
    results: dict[str, Any] = {
        "mode": "quick" if quick else "default",
        "machine": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "plan": plan.__dict__,
        "per_request": per_request,
        "verification": verification,
        "sdk_serialisation": serialisation,
        "load": load,
        "startup": startup,
        "startup_phases": phases,
        "lambda_cold_start": cold,
        "dynamodb_per_request": dynamodb,
        "server": os.environ.get("HEELCOACH_BENCH_SERVER", "gunicorn"),
        "elapsed_s": round(time.perf_counter() - started, 1),
    }
    results["targets"] = check_targets(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(render(results))
    if profile_text:
        print("\n== cProfile: Heel Coach (verified), launch+next+audio, by cumulative time ==")
        print(profile_text)
    print(f"results written to {out}")
    return 0 if all(t["pass"] for t in results["targets"]) else 1


def _say(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def check_targets(r: dict[str, Any]) -> list[dict[str, Any]]:
    targets: list[dict[str, Any]] = []

    def add(name: str, value: float, limit: float, unit: str, why: str = "") -> None:
        targets.append(
            {
                "target": name,
                "value": round(value, 3),
                "limit": limit,
                "unit": unit,
                "pass": value <= limit,
                "note": why,
            }
        )

    for kind, per_variant in r["per_request"].items():
        add(
            f"in-process median cost, {kind} (x sdk)",
            _ratio(per_variant[CHECKED]["median_us"], per_variant["sdk"]["median_us"]),
            TARGET_RATIO,
            "ratio",
        )
    load = r["load"]
    add(
        "server CPU per request under load (x sdk)",
        _ratio(load[CHECKED]["server_cpu_us_per_request"], load["sdk"]["server_cpu_us_per_request"]),
        TARGET_RATIO,
        "ratio",
    )
    add(
        "p99 latency under load (x sdk)",
        _ratio(load[CHECKED]["p99_ms"], load["sdk"]["p99_ms"]),
        TARGET_RATIO,
        "ratio",
    )
    add(
        "signature verification, key cached (median)",
        r["verification"]["cached"]["median_us"],
        VERIFY_US,
        "us",
    )
    add(
        "start-up to first response (x sdk)",
        _ratio(r["startup"][CHECKED]["median_ms"], r["startup"]["sdk"]["median_ms"]),
        STARTUP_RATIO,
        "ratio",
    )
    cold = r["lambda_cold_start"]
    add(
        "Lambda cold start (x SDK hello-world handler)",
        _ratio(cold["heel"]["total"], cold["sdk"]["total"]),
        LAMBDA_COLD_RATIO,
        "ratio",
    )
    return targets


def render(r: dict[str, Any]) -> str:
    lines = [
        f"Heel Coach benchmark ({r['mode']} mode, {r['machine']['cpus']} CPUs, "
        f"Python {r['machine']['python']}, {r['elapsed_s']} s)",
        "",
    ]
    head = f"{'figure':<34}" + "".join(f"{v:>15}" for v in VARIANTS) + f"{'x sdk':>8}{'x floor':>9}"
    lines += ["(1) in-process cost per request, median / p99 (us)", head]
    for kind, pv in r["per_request"].items():
        lines.append(_row(f"  {kind} median", {v: pv[v]["median_us"] for v in VARIANTS}))
        lines.append(_row(f"  {kind} p99", {v: pv[v]["p99_us"] for v in VARIANTS}))
    load = r["load"]
    threads = load["sdk"]["threads"]
    server = os.environ.get("HEELCOACH_BENCH_SERVER", "gunicorn")
    model = "Werkzeug threaded" if server == "werkzeug" else "gunicorn 1 gthread worker x 4"
    lines += ["", f"(2,3,6) HTTP on loopback, {threads} client threads, {model}", head]
    for key, label in (
        ("rps", "requests/s"),
        ("p50_ms", "p50 latency (ms)"),
        ("p99_ms", "p99 latency (ms)"),
        ("server_cpu_us_per_request", "server CPU per request (us)"),
        ("peak_rss_mb", "peak RSS per process (MB)"),
    ):
        lines.append(_row(f"  {label}", {v: load[v][key] for v in VARIANTS}))
    errors = {v: load[v]["errors"] for v in VARIANTS}
    if any(errors.values()):
        lines.append(f"  non-200 responses: {errors}")
    ver = r["verification"]
    lines += [
        "",
        "(4) signature verification",
        f"  cached key (RequestVerifier.verify_signature): median "
        f"{ver['cached']['median_us']:.1f} us, p99 {ver['cached']['p99_us']:.1f} us",
        f"  chain validated every request (stock-SDK style): median "
        f"{ver['chain_each_time']['median_us']:.1f} us "
        f"({_ratio(ver['chain_each_time']['median_us'], ver['cached']['median_us']):.0f}x)",
        "",
        "(5) start-up to first response (fresh process, median ms)",
    ]
    st = r["startup"]
    for v in st:
        lines.append(
            f"  {v:<14} {st[v]['median_ms']:8.1f}   x sdk "
            f"{_ratio(st[v]['median_ms'], st['sdk']['median_ms']):.2f}"
            f"   (best of {len(st[v]['samples_ms'])}: {st[v]['min_ms']:.1f} ms, x sdk "
            f"{_ratio(st[v]['min_ms'], st['sdk']['min_ms']):.2f})"
        )
    phases = r.get("startup_phases") or {}
    if phases:
        lines.append("  where it goes (median ms, in-process phases after interpreter start):")
        for v, p in phases.items():
            lines.append(f"  {v:<14} " + "  ".join(f"{k} {ms:.0f}" for k, ms in p.items()))
    cold = r["lambda_cold_start"]
    lines += ["", "(7) AWS Lambda cold start: import + build + first invocation (fresh process, median ms)"]
    for v, c in cold.items():
        lines.append(
            f"  {v:<14} {c['total']:8.1f}   x sdk {_ratio(c['total'], cold['sdk']['total']):.2f}"
            f"   (import {c['import']:.0f}, build {c['build']:.0f}, first {c['first']:.0f};"
            f" whole process {c['process_ms']:.0f})"
        )
    dyn = r["dynamodb_per_request"]
    lines += [
        "",
        "(8) DynamoDB per request, warm Lambda edge, moto server on loopback (reported, not a target)",
        f"  sqlite    median {dyn['sqlite']['median_ms']:.2f} ms, p90 {dyn['sqlite']['p90_ms']:.2f} ms",
        f"  dynamodb  median {dyn['dynamodb']['median_ms']:.2f} ms, p90 {dyn['dynamodb']['p90_ms']:.2f} ms,"
        f" {dyn['dynamodb']['calls_per_request']:.1f} DynamoDB calls per request",
    ]
    lines += [
        "",
        "SDK's own cost per request (median us): deserialize envelope / serialize "
        "response / Heel parse+check+deserialize / json.loads",
    ]
    for kind, s in r["sdk_serialisation"].items():
        lines.append(
            f"  {kind:<8} {s['sdk_deserialize']['median_us']:8.1f} "
            f"{s['sdk_serialize_response']['median_us']:8.1f} "
            f"{s['heel_parse_check_deserialize']['median_us']:8.1f} "
            f"{s['json_loads']['median_us']:8.1f}"
        )
    lines += ["", f"Targets (checked for {CHECKED}: Heel Coach with full verification)"]
    for t in r["targets"]:
        verdict = "PASS" if t["pass"] else "FAIL"
        unit = "x" if t["unit"] == "ratio" else f" {t['unit']}"
        lines.append(f"  {verdict}  {t['target']:<46} {t['value']:.2f}{unit} (limit {t['limit']}{unit})")
    return "\n".join(lines)


def _row(label: str, values: dict[str, float]) -> str:
    cells = "".join(f"{values[v]:>15.1f}" for v in VARIANTS)
    return (
        f"{label:<34}{cells}{_ratio(values[CHECKED], values['sdk']):>8.2f}"
        f"{_ratio(values[CHECKED], values['floor']):>9.2f}"
    )
