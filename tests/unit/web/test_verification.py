"""RequestVerifier: every documented rejection, the happy path, and a never-crash property."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heel_coach.errors import VerificationError
from heel_coach.web.certificates import CertificateFetcher
from heel_coach.web.verification import RequestVerifier
from tests.fakes.intercepting_proxy import CLEAR_ENV, InterceptingProxy, ProxyRequest, Response
from tests.fakes.pki import IssuedCert, TestPKI, sign_alexa_request

CERT_PATH = "/echo.api/echo-api-cert.pem"
CERT_URL = f"https://s3.amazonaws.com{CERT_PATH}"
NOW = datetime(2026, 11, 21, 18, 0, 0, tzinfo=UTC)
SKILL_ID = "amzn1.ask.skill.heel-coach"


class ChainFetcher(CertificateFetcher):
    """Serves one chain for any URL and counts downloads, without sockets."""

    def __init__(self, chain_pem: bytes) -> None:
        super().__init__()
        self.chain_pem = chain_pem
        self.calls = 0

    def fetch(self, url: str) -> bytes:
        self.calls += 1
        return self.chain_pem


@pytest.fixture(scope="module")
def pki() -> TestPKI:
    return TestPKI(now=NOW)


@pytest.fixture(scope="module")
def signing(pki: TestPKI) -> IssuedCert:
    return pki.issue_alexa_signing_cert()


@pytest.fixture(scope="module")
def roots_file(pki: TestPKI, tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(pki.write_ca_bundle(tmp_path_factory.mktemp("roots") / "alexa-roots.pem"))


def envelope(
    timestamp: Any = "2026-11-21T18:00:00Z", request_type: str = "LaunchRequest", app_id: str = SKILL_ID
) -> dict[str, Any]:
    return {
        "version": "1.0",
        "session": {"new": True, "application": {"applicationId": app_id}},
        "context": {"System": {"application": {"applicationId": app_id}}},
        "request": {"type": request_type, "requestId": "r1", "timestamp": timestamp},
    }


def signed(body_env: dict[str, Any], key: Any) -> tuple[dict[str, str], bytes]:
    body = json.dumps(body_env).encode("utf-8")
    return {"SignatureCertChainUrl": CERT_URL, "Signature-256": sign_alexa_request(body, key)}, body


def make_verifier(
    signing: IssuedCert, roots_file: str, *, now: datetime = NOW, **kwargs: Any
) -> tuple[RequestVerifier, ChainFetcher]:
    fetcher = ChainFetcher(signing.chain_pem)
    verifier = RequestVerifier(
        verify_signatures=True,
        skill_ids=frozenset({SKILL_ID}),
        trust_roots_file=roots_file,
        fetcher=fetcher,
        clock=lambda: now,
        **kwargs,
    )
    return verifier, fetcher


def rejection(verifier: RequestVerifier, headers: dict[str, str], body: bytes, env: Any) -> str:
    with pytest.raises(VerificationError) as excinfo:
        verifier.verify(headers, body, env)
    assert excinfo.value.detail and "Traceback" not in excinfo.value.detail
    return excinfo.value.reason


# -- happy path and caching -------------------------------------------------------------------


def test_valid_signed_request_passes_and_chain_is_cached(signing: IssuedCert, roots_file: str) -> None:
    verifier, fetcher = make_verifier(signing, roots_file)
    env = envelope()
    headers, body = signed(env, signing.key)
    verifier.verify(headers, body, env)
    verifier.verify({k.lower(): v for k, v in headers.items()}, body, env)
    assert fetcher.calls == 1


def test_signatures_off_skips_signature_but_checks_timestamp(signing: IssuedCert) -> None:
    verifier = RequestVerifier(verify_signatures=False, clock=lambda: NOW)
    verifier.verify({}, b"unsigned", envelope())
    with pytest.raises(VerificationError, match="^stale_timestamp:"):
        verifier.verify({}, b"unsigned", envelope("2026-11-21T17:00:00Z"))
    lax = RequestVerifier(verify_signatures=False, verify_timestamps=False, clock=lambda: NOW)
    lax.verify({}, b"unsigned", envelope("2020-01-01T00:00:00Z"))


# -- signature rejections ---------------------------------------------------------------------


def test_missing_signature_headers(signing: IssuedCert, roots_file: str) -> None:
    verifier, _ = make_verifier(signing, roots_file)
    env = envelope()
    headers, body = signed(env, signing.key)
    for missing in headers:
        partial = {k: v for k, v in headers.items() if k != missing}
        assert rejection(verifier, partial, body, env) == "missing_signature_headers"


def test_empty_cert_url_is_rejected(signing: IssuedCert, roots_file: str) -> None:
    verifier, fetcher = make_verifier(signing, roots_file)
    env = envelope()
    headers, body = signed(env, signing.key)
    headers["SignatureCertChainUrl"] = ""
    assert rejection(verifier, headers, body, env) == "missing_signature_headers"
    assert fetcher.calls == 0


def test_wrong_cert_url_is_rejected_before_download(signing: IssuedCert, roots_file: str) -> None:
    verifier, fetcher = make_verifier(signing, roots_file)
    env = envelope()
    headers, body = signed(env, signing.key)
    headers["SignatureCertChainUrl"] = "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem"
    assert rejection(verifier, headers, body, env) == "cert_url_path"
    assert fetcher.calls == 0


def test_tampered_body_is_rejected(signing: IssuedCert, roots_file: str) -> None:
    verifier, _ = make_verifier(signing, roots_file)
    env = envelope()
    headers, body = signed(env, signing.key)
    assert rejection(verifier, headers, body.replace(b"r1", b"r2"), env) == "bad_signature"


def test_signature_over_other_body_is_rejected(signing: IssuedCert, roots_file: str) -> None:
    verifier, _ = make_verifier(signing, roots_file)
    env = envelope()
    headers, body = signed(env, signing.key)
    headers["Signature-256"] = sign_alexa_request(b"{}", signing.key)
    assert rejection(verifier, headers, body, env) == "bad_signature"


def test_signature_by_other_key_is_rejected(pki: TestPKI, signing: IssuedCert, roots_file: str) -> None:
    verifier, _ = make_verifier(signing, roots_file)
    env = envelope()
    headers, body = signed(env, pki.intermediate.key)
    assert rejection(verifier, headers, body, env) == "bad_signature"


@pytest.mark.parametrize(
    "value", ["abc", "not base64!", "QUJD\n===", "é"], ids=["short", "symbols", "bad-padding", "non-ascii"]
)
def test_bad_base64_is_rejected(signing: IssuedCert, roots_file: str, value: str) -> None:
    verifier, _ = make_verifier(signing, roots_file)
    env = envelope()
    headers, body = signed(env, signing.key)
    headers["Signature-256"] = value
    assert rejection(verifier, headers, body, env) == "bad_signature_encoding"


def test_untrusted_chain_is_rejected(signing: IssuedCert, roots_file: str) -> None:
    forged = TestPKI("Forger", now=NOW).issue_alexa_signing_cert()
    verifier, fetcher = make_verifier(signing, roots_file)
    fetcher.chain_pem = forged.chain_pem
    env = envelope()
    headers, body = signed(env, forged.key)
    assert rejection(verifier, headers, body, env) == "cert_chain_untrusted"


def test_expired_signing_cert_is_rejected(pki: TestPKI, roots_file: str) -> None:
    old = pki.issue_alexa_signing_cert(not_before=NOW - timedelta(days=60), not_after=NOW - timedelta(days=1))
    verifier, _ = make_verifier(old, roots_file)
    env = envelope()
    headers, body = signed(env, old.key)
    assert rejection(verifier, headers, body, env) == "cert_expired"


# -- timestamp --------------------------------------------------------------------------------


def test_timestamp_151_seconds_old_is_rejected(signing: IssuedCert, roots_file: str) -> None:
    verifier, _ = make_verifier(signing, roots_file, now=NOW + timedelta(seconds=151))
    env = envelope()
    headers, body = signed(env, signing.key)
    assert rejection(verifier, headers, body, env) == "stale_timestamp"


def test_timestamp_140_seconds_old_is_accepted(signing: IssuedCert, roots_file: str) -> None:
    verifier, _ = make_verifier(signing, roots_file, now=NOW + timedelta(seconds=140))
    env = envelope()
    verifier.verify(*signed(env, signing.key), env)


def test_future_timestamp_is_rejected(signing: IssuedCert, roots_file: str) -> None:
    verifier, _ = make_verifier(signing, roots_file, now=NOW - timedelta(seconds=151))
    env = envelope()
    headers, body = signed(env, signing.key)
    assert rejection(verifier, headers, body, env) == "future_timestamp"


def test_skill_event_50_minutes_old_is_accepted(signing: IssuedCert, roots_file: str) -> None:
    verifier, _ = make_verifier(signing, roots_file, now=NOW + timedelta(minutes=50))
    env = envelope(request_type="AlexaSkillEvent.SkillDisabled")
    verifier.verify(*signed(env, signing.key), env)


def test_skill_event_61_minutes_old_is_rejected(signing: IssuedCert, roots_file: str) -> None:
    verifier, _ = make_verifier(signing, roots_file, now=NOW + timedelta(minutes=61))
    env = envelope(request_type="AlexaSkillEvent.SkillEnabled")
    headers, body = signed(env, signing.key)
    assert rejection(verifier, headers, body, env) == "stale_timestamp"


def test_epoch_millisecond_timestamp_is_accepted() -> None:
    verifier = RequestVerifier(verify_signatures=False, clock=lambda: NOW)
    verifier.verify_timestamp(envelope(int(NOW.timestamp() * 1000) - 10_000))


@pytest.mark.parametrize(
    "value",
    [None, "", "yesterday", True, 1.5, 10**30, ["x"]],
    ids=["missing", "empty", "words", "bool", "float", "huge", "list"],
)
def test_bad_timestamps_are_rejected(value: Any) -> None:
    verifier = RequestVerifier(verify_signatures=False, clock=lambda: NOW)
    with pytest.raises(VerificationError) as excinfo:
        verifier.verify_timestamp(envelope(value))
    assert excinfo.value.reason in {"missing_timestamp", "bad_timestamp"}


def test_tolerance_above_amazon_limit_is_a_config_error() -> None:
    with pytest.raises(ValueError):
        RequestVerifier(verify_signatures=False, timestamp_tolerance_s=151)


# -- application id ---------------------------------------------------------------------------


def test_wrong_skill_id_is_rejected(signing: IssuedCert, roots_file: str) -> None:
    verifier, _ = make_verifier(signing, roots_file)
    env = envelope(app_id="amzn1.ask.skill.someone-else")
    headers, body = signed(env, signing.key)
    assert rejection(verifier, headers, body, env) == "unknown_skill_id"


def test_missing_skill_id_is_rejected_when_ids_configured() -> None:
    verifier = RequestVerifier(verify_signatures=False, skill_ids=frozenset({SKILL_ID}), clock=lambda: NOW)
    env = envelope()
    del env["context"], env["session"]
    with pytest.raises(VerificationError) as excinfo:
        verifier.verify_application(env)
    assert excinfo.value.reason == "unknown_skill_id"


def test_no_configured_ids_accepts_any_skill() -> None:
    RequestVerifier(verify_signatures=False).verify_application(envelope(app_id="other"))


# -- end to end through the intercepting proxy ------------------------------------------------


@pytest.fixture()
def proxy(
    pki: TestPKI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signing: IssuedCert
) -> Iterator[InterceptingProxy]:
    tls_bundle = pki.write_ca_bundle(tmp_path / "tls-roots.pem")
    with InterceptingProxy(pki) as running:
        for name in CLEAR_ENV:
            monkeypatch.delenv(name, raising=False)
        for name, value in running.client_env(tls_bundle).items():
            monkeypatch.setenv(name, value)
        running.route("s3.amazonaws.com", lambda req: Response(200, {}, signing.chain_pem))
        yield running


def test_end_to_end_through_proxy(proxy: InterceptingProxy, signing: IssuedCert, roots_file: str) -> None:
    verifier = RequestVerifier(
        verify_signatures=True,
        skill_ids=frozenset({SKILL_ID}),
        trust_roots_file=roots_file,
        clock=lambda: NOW,
    )
    env = envelope()
    headers, body = signed(env, signing.key)
    headers["SignatureCertChainUrl"] = "https://s3.amazonaws.com:443/echo.api/../echo.api/echo-api-cert.pem"
    verifier.verify(headers, body, env)
    verifier.verify(headers, body, env)
    assert proxy.count(CERT_PATH, host="s3.amazonaws.com") == 1
    headers["Signature-256"] = sign_alexa_request(b"other", signing.key)
    with pytest.raises(VerificationError, match="^bad_signature:"):
        verifier.verify(headers, body, env)


def test_download_timeout_end_to_end(proxy: InterceptingProxy, signing: IssuedCert, roots_file: str) -> None:
    def stall(req: ProxyRequest) -> Response:
        proxy.wait(30)
        return Response(200)

    proxy.route("s3.amazonaws.com", stall)
    verifier = RequestVerifier(
        verify_signatures=True,
        trust_roots_file=roots_file,
        fetcher=CertificateFetcher(timeout_s=0.3),
        clock=lambda: NOW,
    )
    env = envelope()
    headers, body = signed(env, signing.key)
    with pytest.raises(VerificationError) as excinfo:
        verifier.verify(headers, body, env)
    assert excinfo.value.reason == "cert_download_failed"


# -- property: nothing but VerificationError escapes ------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
_header_names = st.sampled_from(
    ["SignatureCertChainUrl", "signature-256", "SIGNATURE-256", "Signature", "Content-Type"]
) | st.text(max_size=12)
_header_values = (
    st.sampled_from(
        [CERT_URL, "http://s3.amazonaws.com/echo.api/x", "https://s3.amazonaws.com:0/echo.api/x", "AAAA", ""]
    )
    | st.text()
)
_envelopes = _json | st.builds(
    envelope,
    timestamp=st.one_of(st.text(max_size=30), st.integers(), st.datetimes().map(str)),
    request_type=st.text(max_size=30),
    app_id=st.text(max_size=10),
)


@settings(max_examples=150, deadline=None)
@given(
    headers=st.dictionaries(_header_names, _header_values, max_size=4),
    body=st.binary(max_size=200),
    env=_envelopes,
)
def test_random_input_only_raises_verification_error(
    signing: IssuedCert, roots_file: str, headers: dict[str, str], body: bytes, env: Any
) -> None:
    verifier, _ = make_verifier(signing, roots_file)
    try:
        verifier.verify(headers, body, env)
    except VerificationError as exc:
        assert exc.reason.replace("_", "").isalpha() and exc.reason.islower()
