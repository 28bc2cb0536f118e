"""Certificate URL rules, bounded download, and the validate-once key cache."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from cryptography import x509

from heel_coach.errors import VerificationError
from heel_coach.web.certificates import (
    CertificateFetcher,
    SigningKeyCache,
    load_trust_roots,
    validate_cert_url,
)
from tests.fakes.intercepting_proxy import (
    CLEAR_ENV,
    DROP,
    InterceptingProxy,
    ProxyRequest,
    RawResponse,
    Response,
    Trickle,
)
from tests.fakes.pki import IssuedCert, TestPKI

CERT_PATH = "/echo.api/echo-api-cert.pem"
CERT_URL = f"https://s3.amazonaws.com{CERT_PATH}"
NOW = datetime(2026, 11, 21, 18, 0, 0, tzinfo=UTC)


class Clock:
    """Settable clock so expiry and cache lifetimes are tested without sleeping."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class StaticFetcher(CertificateFetcher):
    """Serves fixed bytes (or an error) and counts calls, without any socket."""

    def __init__(self, body: bytes | VerificationError) -> None:
        super().__init__()
        self.body = body
        self.calls = 0
        self._lock = threading.Lock()

    def fetch(self, url: str) -> bytes:
        with self._lock:
            self.calls += 1
        if isinstance(self.body, VerificationError):
            raise self.body
        return self.body


@pytest.fixture(scope="module")
def pki() -> TestPKI:
    return TestPKI(now=NOW)


@pytest.fixture(scope="module")
def signing(pki: TestPKI) -> IssuedCert:
    return pki.issue_alexa_signing_cert()


def make_cache(pki: TestPKI, body: bytes | VerificationError, clock: Clock) -> SigningKeyCache:
    return SigningKeyCache(StaticFetcher(body), trust_roots=[pki.root.cert], clock=clock)


def fetcher_of(cache: SigningKeyCache) -> StaticFetcher:
    fetcher = cache._fetcher
    assert isinstance(fetcher, StaticFetcher)
    return fetcher


def reason_of(excinfo: pytest.ExceptionInfo[VerificationError]) -> str:
    return excinfo.value.reason


# -- URL rules (Amazon's documented examples) -------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (CERT_URL, CERT_URL),
        ("https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem", CERT_URL),
        ("https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem", CERT_URL),
        ("HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem", CERT_URL),
    ],
    ids=["plain", "port-443", "dot-dot", "upper-scheme-and-host"],
)
def test_valid_cert_urls_are_normalised(url: str, expected: str) -> None:
    assert validate_cert_url(url) == expected


def test_http_scheme_is_rejected() -> None:
    with pytest.raises(VerificationError) as excinfo:
        validate_cert_url("http://s3.amazonaws.com/echo.api/echo-api-cert.pem")
    assert reason_of(excinfo) == "cert_url_scheme"


@pytest.mark.parametrize(
    "host",
    [
        "notamazon.com",
        "evil.s3.amazonaws.com",  # a subdomain: any S3 bucket name is one
        "echo.api.s3.amazonaws.com",
        "xs3.amazonaws.com",
        "s3.amazonaws.com.evil.com",
        "s3.amazonaws.com.",
        "amazonaws.com",
    ],
)
def test_any_host_but_s3_amazonaws_com_itself_is_rejected(host: str) -> None:
    with pytest.raises(VerificationError) as excinfo:
        validate_cert_url(f"https://{host}/echo.api/echo-api-cert.pem")
    assert reason_of(excinfo) == "cert_url_host"


def test_path_case_is_significant() -> None:
    with pytest.raises(VerificationError) as excinfo:
        validate_cert_url("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem")
    assert reason_of(excinfo) == "cert_url_path"


def test_wrong_path_is_rejected() -> None:
    with pytest.raises(VerificationError) as excinfo:
        validate_cert_url("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem")
    assert reason_of(excinfo) == "cert_url_path"


def test_port_563_is_rejected() -> None:
    with pytest.raises(VerificationError) as excinfo:
        validate_cert_url("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem")
    assert reason_of(excinfo) == "cert_url_port"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "bad_cert_url"),
        ("https://s3.amazonaws.com/echo.api/../evil/cert.pem", "cert_url_path"),
        ("https://s3.amazonaws.com/echo.api", "cert_url_path"),
        ("https://user@s3.amazonaws.com/echo.api/cert.pem", "cert_url_host"),
        ("https://s3.amazonaws.com:99999/echo.api/cert.pem", "bad_cert_url"),
        ("https://[::1/echo.api/cert.pem", "bad_cert_url"),
        ("https://s3.amazonaws.com/" + "echo.api/" * 300, "bad_cert_url"),
    ],
    ids=["empty", "dot-dot-escape", "no-trailing-slash", "userinfo", "bad-port", "bad-ipv6", "too-long"],
)
def test_other_malformed_urls_are_rejected(url: str, reason: str) -> None:
    with pytest.raises(VerificationError) as excinfo:
        validate_cert_url(url)
    assert reason_of(excinfo) == reason


# -- chain validation and caching -------------------------------------------------------------


def test_valid_chain_yields_leaf_key(pki: TestPKI, signing: IssuedCert) -> None:
    cache = make_cache(pki, signing.chain_pem, Clock())
    assert cache.public_key(CERT_URL).public_numbers() == signing.key.public_key().public_numbers()


def test_chain_is_fetched_and_validated_once(
    pki: TestPKI, signing: IssuedCert, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = make_cache(pki, signing.chain_pem, Clock())
    first = cache.public_key(CERT_URL)

    def no_parsing(*_: object) -> object:
        raise AssertionError("cached lookups must not parse PEM again")

    monkeypatch.setattr(x509, "load_pem_x509_certificates", no_parsing)
    assert cache.public_key(CERT_URL) is first
    assert fetcher_of(cache).calls == 1


def test_cache_refetches_after_ttl(pki: TestPKI, signing: IssuedCert) -> None:
    clock = Clock()
    cache = make_cache(pki, signing.chain_pem, clock)
    cache.public_key(CERT_URL)
    clock.now += timedelta(hours=1, seconds=1)
    cache.public_key(CERT_URL)
    assert cache.wait_for_refreshes(10)
    assert fetcher_of(cache).calls == 2


def test_cache_never_outlives_leaf(pki: TestPKI) -> None:
    short = pki.issue_alexa_signing_cert(
        not_before=NOW - timedelta(hours=1), not_after=NOW + timedelta(minutes=10)
    )
    clock = Clock()
    cache = make_cache(pki, short.chain_pem, clock)
    cache.public_key(CERT_URL)
    clock.now += timedelta(minutes=11)
    with pytest.raises(VerificationError) as excinfo:
        cache.public_key(CERT_URL)
    assert reason_of(excinfo) == "cert_expired"


def test_expired_leaf_is_rejected(pki: TestPKI) -> None:
    leaf = pki.issue_alexa_signing_cert(
        not_before=NOW - timedelta(days=30), not_after=NOW - timedelta(seconds=1)
    )
    with pytest.raises(VerificationError) as excinfo:
        make_cache(pki, leaf.chain_pem, Clock()).public_key(CERT_URL)
    assert reason_of(excinfo) == "cert_expired"


def test_not_yet_valid_leaf_is_rejected(pki: TestPKI) -> None:
    leaf = pki.issue_alexa_signing_cert(not_before=NOW + timedelta(minutes=5))
    with pytest.raises(VerificationError) as excinfo:
        make_cache(pki, leaf.chain_pem, Clock()).public_key(CERT_URL)
    assert reason_of(excinfo) == "cert_not_yet_valid"


def test_wrong_san_is_rejected(pki: TestPKI) -> None:
    leaf = pki.issue_leaf(["echo-api.example.com"])
    with pytest.raises(VerificationError) as excinfo:
        make_cache(pki, leaf.chain_pem, Clock()).public_key(CERT_URL)
    assert reason_of(excinfo) == "cert_san_mismatch"


def test_chain_to_untrusted_root_is_rejected(pki: TestPKI) -> None:
    forged = TestPKI("Forger", now=NOW).issue_alexa_signing_cert()
    with pytest.raises(VerificationError) as excinfo:
        make_cache(pki, forged.chain_pem, Clock()).public_key(CERT_URL)
    assert reason_of(excinfo) == "cert_chain_untrusted"


def test_leaf_without_intermediate_is_rejected(pki: TestPKI, signing: IssuedCert) -> None:
    with pytest.raises(VerificationError) as excinfo:
        make_cache(pki, signing.cert_pem, Clock()).public_key(CERT_URL)
    assert reason_of(excinfo) == "cert_chain_untrusted"


@pytest.mark.parametrize(
    "body",
    [b"", b"garbage", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"],
    ids=["empty", "text", "bad-der"],
)
def test_unparseable_chain_is_rejected(pki: TestPKI, body: bytes) -> None:
    with pytest.raises(VerificationError) as excinfo:
        make_cache(pki, body, Clock()).public_key(CERT_URL)
    assert reason_of(excinfo) == "cert_parse_failed"


def test_failures_are_cached_briefly(pki: TestPKI) -> None:
    clock = Clock()
    cache = make_cache(pki, b"garbage", clock)
    for _ in range(3):
        with pytest.raises(VerificationError, match="^cert_parse_failed:"):
            cache.public_key(CERT_URL)
    assert fetcher_of(cache).calls == 1
    clock.now += timedelta(seconds=31)
    with pytest.raises(VerificationError, match="^cert_parse_failed:"):
        cache.public_key(CERT_URL)
    assert fetcher_of(cache).calls == 2


def test_download_failures_heal_quickly(pki: TestPKI, signing: IssuedCert) -> None:
    clock = Clock()
    cache = make_cache(pki, VerificationError("cert_download_failed", "down"), clock)
    with pytest.raises(VerificationError, match="^cert_download_failed:"):
        cache.public_key(CERT_URL)
    fetcher_of(cache).body = signing.chain_pem
    clock.now += timedelta(seconds=6)
    cache.public_key(CERT_URL)
    assert fetcher_of(cache).calls == 2


def test_junk_urls_do_not_evict_the_real_key(pki: TestPKI, signing: IssuedCert) -> None:
    cache = SigningKeyCache(
        StaticFetcher(signing.chain_pem), trust_roots=[pki.root.cert], clock=Clock(), max_entries=4
    )
    cache.public_key(CERT_URL)
    fetcher_of(cache).body = b"junk"
    for i in range(10):
        with pytest.raises(VerificationError, match="^cert_parse_failed:"):
            cache.public_key(f"https://s3.amazonaws.com/echo.api/junk-{i}.pem")
    calls = fetcher_of(cache).calls
    cache.public_key(CERT_URL)
    assert fetcher_of(cache).calls == calls


def test_concurrent_misses_fetch_once(pki: TestPKI, signing: IssuedCert) -> None:
    cache = make_cache(pki, signing.chain_pem, Clock())
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            cache.public_key(CERT_URL)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert not errors
    assert fetcher_of(cache).calls == 1


class GatedFetcher(StaticFetcher):
    """Blocks every download until ``gate`` is set (a download that is under way)."""

    def __init__(self, body: bytes | VerificationError, timeout_s: float = 2.0) -> None:
        super().__init__(body)
        self.timeout_s = timeout_s
        self.gate = threading.Event()
        self.gate.set()

    def fetch(self, url: str) -> bytes:
        with self._lock:
            self.calls += 1  # counted on arrival, before the wait
        self.gate.wait(30)
        if isinstance(self.body, VerificationError):
            raise self.body
        return self.body


def gated_cache(pki: TestPKI, signing: IssuedCert, clock: Clock, timeout_s: float = 2.0) -> SigningKeyCache:
    return SigningKeyCache(
        GatedFetcher(signing.chain_pem, timeout_s), trust_roots=[pki.root.cert], clock=clock
    )


def gate_of(cache: SigningKeyCache) -> threading.Event:
    fetcher = cache._fetcher
    assert isinstance(fetcher, GatedFetcher)
    return fetcher.gate


def test_the_cached_key_is_served_while_a_refresh_is_under_way(pki: TestPKI, signing: IssuedCert) -> None:
    clock = Clock()
    cache = gated_cache(pki, signing, clock)
    key = cache.public_key(CERT_URL)
    gate_of(cache).clear()  # the next download hangs
    clock.now += timedelta(hours=1, seconds=1)  # past the ttl; the chain itself is still valid
    try:
        for _ in range(5):
            assert cache.public_key(CERT_URL) is key  # at once, not after the download
        assert not cache.wait_for_refreshes(0.2)  # the refresh is under way meanwhile
    finally:
        gate_of(cache).set()
    assert cache.wait_for_refreshes(10)
    assert fetcher_of(cache).calls == 2  # one refresh for the five lookups
    assert cache.public_key(CERT_URL).public_numbers() == key.public_numbers()


def test_a_failed_refresh_keeps_the_valid_cached_key(pki: TestPKI, signing: IssuedCert) -> None:
    clock = Clock()
    cache = make_cache(pki, signing.chain_pem, clock)
    key = cache.public_key(CERT_URL)
    fetcher_of(cache).body = VerificationError("cert_download_failed", "S3 is down")
    clock.now += timedelta(hours=1, seconds=1)
    assert cache.public_key(CERT_URL) is key
    assert cache.wait_for_refreshes(10)
    assert cache.public_key(CERT_URL) is key
    assert fetcher_of(cache).calls == 2


def test_waiting_requests_give_up_at_the_download_deadline(pki: TestPKI, signing: IssuedCert) -> None:
    """Every request needing a URL whose download hangs is answered by the deadline (the
    download's timeout plus a little for validation), none queues behind another."""
    timeout_s = 0.5
    cache = gated_cache(pki, signing, Clock(), timeout_s=timeout_s)
    gate_of(cache).clear()
    barrier = threading.Barrier(8)
    outcomes: list[tuple[str, float]] = []

    def request() -> None:
        barrier.wait(timeout=10)
        started = time.monotonic()
        try:
            cache.public_key(CERT_URL)
            outcomes.append(("ok", time.monotonic() - started))
        except VerificationError as exc:
            outcomes.append((exc.reason, time.monotonic() - started))

    threads = [threading.Thread(target=request) for _ in range(8)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=20)
    finally:
        gate_of(cache).set()
    assert [reason for reason, _ in outcomes] == ["cert_download_failed"] * 8
    slowest = max(elapsed for _, elapsed in outcomes)
    print(f"8 waiters on a hung download (deadline {timeout_s} s): slowest answered in {slowest:.2f} s")
    assert slowest < timeout_s + 2.0  # generous: the machine is shared; without a bound it is 30 s
    assert fetcher_of(cache).calls == 1
    assert cache.wait_for_refreshes(10)


def test_trust_roots_file_replaces_certifi(pki: TestPKI, signing: IssuedCert, tmp_path: Path) -> None:
    bundle = pki.write_ca_bundle(tmp_path / "roots.pem")
    cache = SigningKeyCache(StaticFetcher(signing.chain_pem), trust_roots_file=str(bundle), clock=Clock())
    cache.public_key(CERT_URL)


def test_default_trust_roots_are_certifi_and_reject_test_root(pki: TestPKI, signing: IssuedCert) -> None:
    assert len(load_trust_roots()) > 50
    cache = SigningKeyCache(StaticFetcher(signing.chain_pem), clock=Clock())
    with pytest.raises(VerificationError) as excinfo:
        cache.public_key(CERT_URL)
    assert reason_of(excinfo) == "cert_chain_untrusted"


def test_unreadable_trust_roots_file_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "empty.pem").write_bytes(b"no certificates here")
    for name in ("missing.pem", "empty.pem"):
        with pytest.raises(ValueError):
            load_trust_roots(str(tmp_path / name))


# -- download through the intercepting proxy --------------------------------------------------


@pytest.fixture()
def proxy(pki: TestPKI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[InterceptingProxy]:
    bundle = pki.write_ca_bundle(tmp_path / "tls-roots.pem")
    with InterceptingProxy(pki) as running:
        for name in CLEAR_ENV:
            monkeypatch.delenv(name, raising=False)
        for name, value in running.client_env(bundle).items():
            monkeypatch.setenv(name, value)
        yield running


def test_fetch_goes_through_proxy_with_tls(proxy: InterceptingProxy, signing: IssuedCert) -> None:
    proxy.route("s3.amazonaws.com", lambda req: Response(200, {}, signing.chain_pem))
    assert CertificateFetcher().fetch(CERT_URL) == signing.chain_pem
    assert proxy.count(CERT_PATH, host="s3.amazonaws.com") == 1
    assert proxy.requests[0].tls


def test_plain_http_proxy_requests_are_routed(proxy: InterceptingProxy) -> None:
    proxy.route("example.test", lambda req: (200, {"X-Path": req.path}, req.method.encode()))
    with requests.Session() as session:
        response = session.get("http://example.test/a?b=1", timeout=5)
    assert (response.status_code, response.text) == (200, "GET")
    assert response.headers["X-Path"] == "/a?b=1"
    assert proxy.count("/a?b=1") == 1


def test_fetch_rejects_untrusted_tls(
    proxy: InterceptingProxy, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = TestPKI("Other TLS").write_ca_bundle(tmp_path / "other.pem")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(other))
    proxy.route("s3.amazonaws.com", lambda req: Response(200, {}, b"x"))
    with pytest.raises(VerificationError) as excinfo:
        CertificateFetcher().fetch(CERT_URL)
    assert reason_of(excinfo) == "cert_download_failed"


@pytest.mark.parametrize(
    "reply",
    [
        Trickle(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"z" * 40, interval_s=0.25),
        Trickle(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"A" * 100, interval_s=0.25),
    ],
    ids=["headers", "body"],
)
def test_a_trickling_peer_cannot_stretch_the_download_past_its_deadline(
    proxy: InterceptingProxy, reply: Trickle
) -> None:
    """One byte every 0.25 s never trips a per-read timeout; the wall-clock deadline still holds."""
    proxy.route("s3.amazonaws.com", lambda req: reply)
    started = time.monotonic()
    with pytest.raises(VerificationError) as excinfo:
        CertificateFetcher(timeout_s=1.0).fetch(CERT_URL)
    elapsed = time.monotonic() - started
    print(f"trickling {reply.data[:16]!r}...: refused after {elapsed:.2f} s (deadline 1.0 s)")
    assert reason_of(excinfo) == "cert_download_failed"
    assert "took longer than 1 s" in excinfo.value.detail
    assert elapsed < 3.0  # generous for a shared machine; without the deadline it takes 10 s or more


def test_fetch_timeout_is_a_verification_error(proxy: InterceptingProxy) -> None:
    def stall(req: ProxyRequest) -> Response:
        proxy.wait(30)
        return Response(200, {}, b"late")

    proxy.route("s3.amazonaws.com", stall)
    with pytest.raises(VerificationError) as excinfo:
        CertificateFetcher(timeout_s=0.3).fetch(CERT_URL)
    assert reason_of(excinfo) == "cert_download_failed"


@pytest.mark.parametrize(
    "reply",
    [
        RawResponse(b"\x00\x01 not http at all\r\n\r\n"),
        DROP,
        Response(404, {}, b"nope"),
        Response(302, {"Location": "https://evil.example/cert.pem"}, b""),
    ],
    ids=["garbage", "dropped", "not-found", "redirect"],
)
def test_bad_download_replies_are_verification_errors(
    proxy: InterceptingProxy, reply: RawResponse | Response
) -> None:
    proxy.route("s3.amazonaws.com", lambda req: reply)
    with pytest.raises(VerificationError) as excinfo:
        CertificateFetcher().fetch(CERT_URL)
    assert reason_of(excinfo) == "cert_download_failed"


def test_oversize_declared_body_is_rejected(proxy: InterceptingProxy) -> None:
    proxy.route("s3.amazonaws.com", lambda req: Response(200, {}, b"A" * 5000))
    with pytest.raises(VerificationError) as excinfo:
        CertificateFetcher(max_bytes=4096).fetch(CERT_URL)
    assert reason_of(excinfo) == "cert_too_large"


def test_oversize_streamed_body_is_rejected(proxy: InterceptingProxy) -> None:
    unbounded = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + b"B" * 100_000
    proxy.route("s3.amazonaws.com", lambda req: RawResponse(unbounded))
    with pytest.raises(VerificationError) as excinfo:
        CertificateFetcher(max_bytes=4096).fetch(CERT_URL)
    assert reason_of(excinfo) == "cert_too_large"


def test_cache_over_proxy_downloads_once(proxy: InterceptingProxy, pki: TestPKI, signing: IssuedCert) -> None:
    proxy.route("s3.amazonaws.com", lambda req: Response(200, {}, signing.chain_pem))
    cache = SigningKeyCache(
        CertificateFetcher(), trust_roots=[pki.root.cert], clock=lambda: datetime.now(UTC)
    )
    for _ in range(3):
        cache.public_key(CERT_URL)
    assert proxy.count(CERT_PATH) == 1
