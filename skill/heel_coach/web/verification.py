"""Checks that an HTTP request really is a fresh Alexa request for this skill.

Our own implementation of Amazon's web-service rules (signature, timestamp, application id)
because ``ask_sdk_webservice_support.verifier`` cannot be imported on current OpenSSL and lets
non-verification exceptions escape (which Flask would turn into 500s instead of 400s).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from ask_sdk_webservice_support import verifier_constants
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from heel_coach.errors import VerificationError
from heel_coach.web.certificates import CertificateFetcher, SigningKeyCache, validate_cert_url
from heel_coach.web.envelope import check_application

__all__ = ["CERT_URL_HEADER", "SIGNATURE_HEADER", "RequestVerifier"]

CERT_URL_HEADER: str = verifier_constants.SIGNATURE_CERT_CHAIN_URL_HEADER
SIGNATURE_HEADER: str = verifier_constants.SIGNATURE_HEADER
_MAX_TOLERANCE_S = verifier_constants.MAX_NORMAL_REQUEST_TOLERANCE_IN_MILLIS // 1000
_SKILL_EVENT_PREFIX = "AlexaSkillEvent."
_MAX_SIGNATURE_CHARS = 4096  # base64 of a 16384-bit RSA signature; anything longer is junk
_URL_MEMO_SIZE = 64
_PADDING = padding.PKCS1v15()
_HASH = hashes.SHA256()


class HeaderLookup(Protocol):
    """A plain dict or Werkzeug's request headers (case-insensitive, read without copying)."""

    def get(self, key: str, /) -> Any: ...

    def items(self) -> Iterable[tuple[Any, Any]]: ...


def _utc_now() -> datetime:
    return datetime.now(UTC)


class RequestVerifier:
    """Runs signature -> timestamp -> application-id checks; each failure is a VerificationError.

    ``verify_signatures=False`` is for local development only (``make run``); timestamps are
    then still checked unless ``verify_timestamps=False``.
    """

    def __init__(
        self,
        *,
        verify_signatures: bool,
        skill_ids: frozenset[str] = frozenset(),
        trust_roots_file: str | None = None,
        fetcher: CertificateFetcher | None = None,
        clock: Callable[[], datetime] = _utc_now,
        timestamp_tolerance_s: int = 150,
        skill_event_tolerance_s: int = 3600,
        verify_timestamps: bool = True,
        key_cache: SigningKeyCache | None = None,
    ) -> None:
        if not 0 <= timestamp_tolerance_s <= _MAX_TOLERANCE_S:
            raise ValueError(f"timestamp_tolerance_s must be within 0..{_MAX_TOLERANCE_S}")
        if skill_event_tolerance_s < timestamp_tolerance_s:
            raise ValueError("skill_event_tolerance_s must not be below timestamp_tolerance_s")
        self.verify_signatures = verify_signatures
        self.verify_timestamps = verify_signatures or verify_timestamps
        self.skill_ids = frozenset(skill_ids)
        self._clock = clock
        self._tolerance_s = timestamp_tolerance_s
        self._event_tolerance_s = skill_event_tolerance_s
        self._keys = key_cache or SigningKeyCache(fetcher, trust_roots_file=trust_roots_file, clock=clock)
        self._url_memo: dict[str, str] = {}
        if verify_signatures:
            self._keys.load_trust_store()  # a bad trust-roots file should stop startup

    def verify(self, headers: HeaderLookup, body: bytes, envelope: Any) -> None:
        """All checks, in Amazon's order; ``envelope`` must be parsed from ``body`` itself."""
        self.verify_signature(headers, body)
        if self.verify_timestamps:
            self.verify_timestamp(envelope)
        self.verify_application(envelope)

    # -- signature -------------------------------------------------------------------------------
    def verify_signature(self, headers: HeaderLookup, body: bytes) -> None:
        """SHA256withRSA over the exact raw body, with the key from the (cached) Amazon chain."""
        if not self.verify_signatures:
            return
        cert_url = _header(headers, CERT_URL_HEADER)
        signature_b64 = _header(headers, SIGNATURE_HEADER)
        if not cert_url or not signature_b64:
            raise VerificationError(
                "missing_signature_headers",
                f"The request lacks the {CERT_URL_HEADER} or {SIGNATURE_HEADER} header.",
            )
        if not isinstance(body, bytes | bytearray | memoryview):
            raise VerificationError("bad_body", "The request body is not bytes.")
        signature = _decode_signature(signature_b64)
        key = self._keys.public_key(self._normalised_url(cert_url))
        try:
            key.verify(signature, body, _PADDING, _HASH)
        except InvalidSignature:
            raise VerificationError(
                "bad_signature", "The request signature does not match the request body."
            ) from None

    def _normalised_url(self, url: str) -> str:
        """Memoised validate_cert_url: Alexa sends the same few URLs on every request."""
        normalised = self._url_memo.get(url)
        if normalised is None:
            normalised = validate_cert_url(url)
            if len(self._url_memo) >= _URL_MEMO_SIZE:
                self._url_memo.clear()  # crude bound; only valid URLs are ever stored
            self._url_memo[url] = normalised
        return normalised

    # -- timestamp -------------------------------------------------------------------------------
    def verify_timestamp(self, envelope: Any) -> None:
        """request.timestamp within 150 s of now (1 h for AlexaSkillEvent.* requests)."""
        request = _mapping(_mapping(envelope, "bad_envelope").get("request"), "bad_envelope")
        raw = request.get("timestamp")
        if raw is None:
            raise VerificationError("missing_timestamp", "The request has no timestamp.")
        sent = _parse_timestamp(raw)
        request_type = request.get("type")
        tolerance = self._tolerance_s
        if isinstance(request_type, str) and request_type.startswith(_SKILL_EVENT_PREFIX):
            tolerance = self._event_tolerance_s
        skew = (self._clock() - sent).total_seconds()
        if skew > tolerance:
            raise VerificationError(
                "stale_timestamp", f"The request is {skew:.0f} s old (limit {tolerance} s)."
            )
        if -skew > tolerance:
            raise VerificationError(
                "future_timestamp",
                f"The request is {-skew:.0f} s in the future (limit {tolerance} s).",
            )

    # -- application id --------------------------------------------------------------------------
    def verify_application(self, envelope: Any) -> None:
        """Every application id in the envelope must be one of ours (when ids are configured)."""
        check_application(_mapping(envelope, "bad_envelope"), self.skill_ids)


def _header(headers: HeaderLookup, name: str) -> str | None:
    """Case-insensitive lookup that is O(1) for Werkzeug headers and exact-case dicts."""
    try:
        value = headers.get(name)
    except (TypeError, AttributeError):
        value = None
    if value is None:
        lowered = name.lower()
        try:
            value = next((v for k, v in headers.items() if str(k).lower() == lowered), None)
        except (TypeError, AttributeError):
            value = None
    return value if isinstance(value, str) else None


def _decode_signature(value: str) -> bytes:
    if len(value) > _MAX_SIGNATURE_CHARS:
        raise VerificationError("bad_signature_encoding", "The signature header is too long.")
    try:
        signature = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise VerificationError(
            "bad_signature_encoding", "The signature header is not valid base64."
        ) from None
    if not signature:
        raise VerificationError("bad_signature_encoding", "The signature header is empty.")
    return signature


def _parse_timestamp(raw: object) -> datetime:
    """ISO-8601 (Alexa's usual "...Z" form) or integer epoch milliseconds (some events)."""
    try:
        if isinstance(raw, bool):
            raise ValueError("boolean")
        if isinstance(raw, int):
            return datetime.fromtimestamp(raw / 1000, UTC)
        if isinstance(raw, str) and 0 < len(raw) <= 64:
            parsed = datetime.fromisoformat(raw.strip())
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        raise ValueError("not a string or integer")
    except (ValueError, OverflowError, OSError):
        raise VerificationError(
            "bad_timestamp", "The request timestamp is not a valid date and time."
        ) from None


def _mapping(value: object, reason: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise VerificationError(reason, "The request body is not a valid Alexa request envelope.")
    return value
