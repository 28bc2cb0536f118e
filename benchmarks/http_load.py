"""Figures over real HTTP on loopback: throughput and latency under fixed concurrency,
server CPU per request, peak RSS per server process, and start-up to first response.

All variants run in identical spawned processes (``benchmarks.serve_variant``: gunicorn,
one gthread worker x 4 threads, or Werkzeug threaded) and are loaded in interleaved rounds.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from benchmarks.inprocess import summary
from benchmarks.variants import Bodies, Material, Request

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # loopback only, never a proxy
    return session


@dataclass
class Server:
    variant: str
    port: int
    process: subprocess.Popen[bytes]
    started: float
    first_response_s: float = 0.0
    cpu: list[float] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stats(self) -> dict[str, Any]:
        with _session() as s:
            data: dict[str, Any] = s.get(f"{self.url}/__stats", timeout=10).json()
            return data

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def spawn(variant: str, material: Material, first: Request, tag: str, timeout_s: float = 60.0) -> Server:
    """Start a server and time process start -> first 200 to ``first`` (figure 5)."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env = {k: v for k, v in env.items() if not k.startswith("HEELCOACH_") or k == "HEELCOACH_BENCH_SERVER"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.serve_variant", variant, str(port), str(material.workdir), tag],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Server(variant, port, process, started)
    body, headers = first
    deadline = started + timeout_s
    with _session() as session:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{variant} server exited with {process.returncode}")
            try:
                response = session.post(f"{server.url}/alexa", data=body, headers=headers, timeout=10)
                if response.status_code != 200:
                    raise RuntimeError(f"{variant}: first request {response.status_code}")
                break
            except requests.ConnectionError:
                if time.perf_counter() > deadline:
                    server.stop()
                    raise RuntimeError(f"{variant} server did not start") from None
                time.sleep(0.005)
    server.first_response_s = time.perf_counter() - started
    return server


def startup_times(
    material: Material, bodies: Bodies, variants: tuple[str, ...], repeats: int
) -> dict[str, Any]:
    """Figure 5, interleaved: fresh interpreter, create the app, serve one LaunchRequest."""
    samples: dict[str, list[float]] = {v: [] for v in variants}
    for i in range(repeats):
        for variant in variants[i % 2 :] + variants[: i % 2]:
            first = bodies.make(variant, "launch", 1)[0]
            server = spawn(variant, material, first, f"-start{i}")
            samples[variant].append(server.first_response_s)
            server.stop()
    return {
        v: {
            "median_ms": sorted(s)[len(s) // 2] * 1000,
            "min_ms": min(s) * 1000,
            "samples_ms": [x * 1000 for x in s],
        }
        for v, s in samples.items()
    }


def startup_phases(material: Material, variants: tuple[str, ...], repeats: int) -> dict[str, Any]:
    """Where start-up goes (``benchmarks.startup_phases``), median ms per phase, interleaved."""
    samples: dict[str, list[dict[str, float]]] = {v: [] for v in variants}
    for i in range(repeats):
        for variant in variants[i % 2 :] + variants[: i % 2]:
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks.startup_phases", variant, str(material.workdir)],
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            )
            samples[variant].append(json.loads(done.stdout))
    out: dict[str, Any] = {}
    for variant, runs in samples.items():
        phases = [k for k in runs[0] if k != "status"]
        out[variant] = {k: sorted(r[k] for r in runs)[len(runs) // 2] for k in phases}
    return out


def _drive(url: str, requests_: list[Request], threads: int) -> tuple[list[float], float, int]:
    """Send everything with ``threads`` workers; returns latencies, wall time, errors."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    chunks = [requests_[i::threads] for i in range(threads)]
    barrier = threading.Barrier(threads + 1)

    def worker(chunk: list[Request]) -> None:
        nonlocal errors
        mine: list[float] = []
        bad = 0
        with _session() as session:
            barrier.wait()
            for body, headers in chunk:
                started = time.perf_counter()
                try:
                    status = session.post(url, data=body, headers=headers, timeout=30).status_code
                except requests.RequestException:
                    status = 0
                mine.append(time.perf_counter() - started)
                bad += status != 200
        with lock:
            latencies.extend(mine)
            errors += bad

    pool = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    for t in pool:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in pool:
        t.join()
    return latencies, time.perf_counter() - started, errors


def load(
    material: Material, bodies: Bodies, variants: tuple[str, ...], rounds: int, per_round: int, threads: int
) -> dict[str, Any]:
    """Figures 2, 3, 6: a launch/next mix, ``threads`` concurrent clients, rounds rotated."""
    servers = {v: spawn(v, material, bodies.make(v, "launch", 1, "-load")[0], "-load") for v in variants}
    latencies: dict[str, list[float]] = {v: [] for v in variants}
    wall = dict.fromkeys(variants, 0.0)
    cpu = dict.fromkeys(variants, 0.0)
    count = dict.fromkeys(variants, 0)
    errors = dict.fromkeys(variants, 0)
    try:
        for variant, server in servers.items():  # warm-up round, not counted
            _drive(f"{server.url}/alexa", _mix(bodies, variant, per_round // 4), threads)
        for round_no in range(rounds):
            order = variants[round_no % len(variants) :] + variants[: round_no % len(variants)]
            prepared = {v: _mix(bodies, v, per_round) for v in order}
            for variant in order:
                server = servers[variant]
                before = server.stats()["cpu_s"]
                lat, seconds, bad = _drive(f"{server.url}/alexa", prepared[variant], threads)
                cpu[variant] += server.stats()["cpu_s"] - before
                latencies[variant] += lat
                wall[variant] += seconds
                count[variant] += len(lat)
                errors[variant] += bad
        memory = {v: s.stats()["maxrss_kb"] for v, s in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
    out: dict[str, Any] = {}
    for v in variants:
        stats = summary(latencies[v])
        out[v] = {
            "requests": count[v],
            "errors": errors[v],
            "threads": threads,
            "rps": count[v] / wall[v] if wall[v] else 0.0,
            "p50_ms": stats["median_us"] / 1000,
            "p99_ms": stats["p99_us"] / 1000,
            "server_cpu_us_per_request": cpu[v] / count[v] * 1e6 if count[v] else 0.0,
            "peak_rss_mb": memory[v] / 1024,
        }
    return out


def _mix(bodies: Bodies, variant: str, n: int) -> list[Request]:
    """Half LaunchRequests from new users, half mid-routine NextIntents, interleaved."""
    launches = bodies.make(variant, "launch", n - n // 2, "-load")
    nexts = bodies.make(variant, "next", n // 2, "-load")
    mixed: list[Request] = []
    for i in range(n - n // 2):
        mixed.append(launches[i])
        if i < len(nexts):
            mixed.append(nexts[i])
    return mixed
