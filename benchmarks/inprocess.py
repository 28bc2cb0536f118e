"""In-process figures: cost per request through the Flask test client, signature
verification alone, and the SDK's own (de)serialisation cost. Variants interleave per round.
"""

from __future__ import annotations

import cProfile
import gc
import io
import json
import pstats
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from flask import Flask

from benchmarks.variants import CERT_URL, VARIANTS, Bodies, Material, build_app, file_chain_fetcher

KINDS = ("launch", "next", "audio")


def summary(samples: Iterable[float]) -> dict[str, float]:
    """Median / p99 / mean in microseconds from seconds."""
    ordered = sorted(samples)
    if not ordered:
        return {"n": 0}
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return {
        "n": len(ordered),
        "median_us": ordered[len(ordered) // 2] * 1e6,
        "p99_us": p99 * 1e6,
        "mean_us": sum(ordered) / len(ordered) * 1e6,
    }


def _post_all(app: Flask, requests: list[tuple[bytes, dict[str, str]]]) -> list[float]:
    client = app.test_client()
    out: list[float] = []
    for body, headers in requests:
        started = time.perf_counter()
        response = client.post("/alexa", data=body, headers=headers)
        out.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(
                f"benchmark request failed: {response.status_code} {response.get_data()[:300]!r}"
            )
    return out


def per_request_cost(
    material: Material, bodies: Bodies, rounds: int, batch: int, warmup: int
) -> dict[str, dict[str, dict[str, float]]]:
    """Figure 1: for each kind, each variant; rounds rotate the variant order."""
    apps = {v: build_app(v, material, "-inproc") for v in VARIANTS}
    samples: dict[str, dict[str, list[float]]] = {k: {v: [] for v in VARIANTS} for k in KINDS}
    for variant, app in apps.items():  # warm caches, the signing-key cache, lazy imports
        for kind in KINDS:
            _post_all(app, bodies.make(variant, kind, warmup, "-inproc"))
    for round_no in range(rounds):
        order = VARIANTS[round_no % len(VARIANTS) :] + VARIANTS[: round_no % len(VARIANTS)]
        for kind in KINDS:
            prepared = {v: bodies.make(v, kind, batch, "-inproc") for v in order}
            gc.collect()
            for variant in order:
                samples[kind][variant] += _post_all(apps[variant], prepared[variant])
    for app in apps.values():
        services = app.extensions.get("heelcoach")
        if services is not None:
            services.store.close()
    return {k: {v: summary(s) for v, s in per_kind.items()} for k, per_kind in samples.items()}


def profile_heel(
    material: Material, bodies: Bodies, batch: int, top: int = 25, sort: str = "cumulative"
) -> str:
    """cProfile of Heel Coach (verified) over launch+next+audio; the top by cumulative time."""
    app = build_app("heel_verified", material, "-profile")
    for kind in KINDS:
        _post_all(app, bodies.make("heel_verified", kind, 20, "-profile"))
    prepared = [r for kind in KINDS for r in bodies.make("heel_verified", kind, batch, "-profile")]
    profiler = cProfile.Profile()
    profiler.enable()
    _post_all(app, prepared)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(top)
    app.extensions["heelcoach"].store.close()
    return out.getvalue()


def _loop(fn: Any, iterations: int) -> list[float]:
    out = []
    for _ in range(iterations):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def verification_cost(material: Material, bodies: Bodies, iterations: int) -> dict[str, Any]:
    """Figure 4: verify_signature with the key cached, vs validating the chain every time.

    The stock SDK verifier (ask_sdk_webservice_support, certvalidator) downloads-or-caches the
    PEM but re-parses and re-validates the chain on every request; it cannot be imported on
    this OpenSSL, so its per-request work is reproduced with our validator: parse the PEM,
    validate the chain to the trusted root, then the RSA check.
    """
    from heel_coach.web.certificates import SigningKeyCache
    from heel_coach.web.verification import RequestVerifier

    fetcher = file_chain_fetcher(material.chain.read_bytes())
    verifier = RequestVerifier(verify_signatures=True, trust_roots_file=str(material.roots), fetcher=fetcher)
    body, headers = bodies.make("heel_verified", "launch", 1)[0]
    verifier.verify_signature(headers, body)  # the one fetch + chain validation
    cached = _loop(lambda: verifier.verify_signature(headers, body), iterations)

    cache = SigningKeyCache(fetcher, trust_roots_file=str(material.roots))
    cache.load_trust_store()
    pem = material.chain.read_bytes()
    now = datetime.now(UTC)
    signature_b64 = headers["Signature-256"]

    def uncached() -> None:
        import base64

        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        key, _ = cache._validate(pem, now)
        key.verify(base64.b64decode(signature_b64), body, padding.PKCS1v15(), hashes.SHA256())

    chain_each_time = _loop(uncached, max(20, iterations // 20))
    return {
        "cached": summary(cached),
        "chain_each_time": summary(chain_each_time),
        "fetches": fetcher.fetches,
        "cert_url": CERT_URL,
    }


def sdk_serialisation_cost(bodies: Bodies, iterations: int) -> dict[str, Any]:
    """Where the SDK itself is the cost: model deserialise of the envelope, response serialise.

    Both variants (b) and (c) pay these on every request; Heel Coach also json-parses the body
    first to check its shape (``heel_coach.web.envelope``), which is measured here too.
    """
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    from benchmarks.baselines import sdk_skill
    from heel_coach.web.envelope import check_shape, parse_json, to_envelope

    serializer = DefaultSerializer()
    out: dict[str, Any] = {}
    skill = sdk_skill()
    for kind in KINDS:
        body, _ = bodies.make("sdk", kind, 1)[0]
        text = body.decode()
        envelope = serializer.deserialize(text, RequestEnvelope)
        response = skill.invoke(request_envelope=envelope, context=None)

        def heel_parse(body: bytes = body) -> None:
            data = parse_json(body)
            check_shape(data)
            to_envelope(data)

        out[kind] = {
            "sdk_deserialize": summary(
                _loop(lambda t=text: serializer.deserialize(t, RequestEnvelope), iterations)
            ),
            "sdk_serialize_response": summary(_loop(lambda r=response: serializer.serialize(r), iterations)),
            "heel_parse_check_deserialize": summary(_loop(heel_parse, iterations)),
            "json_loads": summary(_loop(lambda b=body: json.loads(b), iterations)),
        }
    return out
