"""Alexa signing-certificate URL checks, download and a validated-key cache.

Replaces ``ask_sdk_webservice_support.verifier`` (its certvalidator/oscrypto stack cannot be
imported on OpenSSL >= 3.0.10) with ``cryptography.x509.verification``, and validates each
chain once instead of on every request, so a cached request costs one RSA verify.
"""

from __future__ import annotations

import posixpath
import re
import socket
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.verification import PolicyBuilder, Store
from cryptography.x509.verification import VerificationError as ChainError

from heel_coach.errors import VerificationError

if TYPE_CHECKING:  # imported at the first download, not at start-up
    import requests

__all__ = [
    "CERT_URL_HOST",
    "CERT_URL_PATH_PREFIX",
    "SIGNING_CERT_SAN",
    "CertificateFetcher",
    "SigningKeyCache",
    "load_trust_roots",
    "validate_cert_url",
]

CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PATH_PREFIX = "/echo.api/"
SIGNING_CERT_SAN = "echo-api.amazon.com"
_MAX_URL_LENGTH = 2048
_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def validate_cert_url(url: str) -> str:
    """Apply Amazon's SignatureCertChainUrl rules and return the normalised URL.

    Checked before anything is downloaded so a forged header cannot make us fetch from an
    attacker's host. The normalised form is also the cache key, so ``../`` variants share it.
    """
    if not isinstance(url, str) or not url.strip():
        raise VerificationError("bad_cert_url", "The certificate URL is empty.")
    if len(url) > _MAX_URL_LENGTH:
        raise VerificationError("bad_cert_url", "The certificate URL is too long.")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise VerificationError("bad_cert_url", f"The certificate URL is malformed: {exc}.") from None
    if parts.scheme.lower() != "https":
        raise VerificationError("cert_url_scheme", "The certificate URL must use https.")
    if (parts.hostname or "").lower() != CERT_URL_HOST or parts.username or parts.password:
        raise VerificationError("cert_url_host", f"The certificate URL host must be {CERT_URL_HOST}.")
    if port not in (None, 443):
        raise VerificationError("cert_url_port", "The certificate URL port must be 443.")
    path = posixpath.normpath(parts.path) if parts.path else ""
    if not path.startswith(CERT_URL_PATH_PREFIX):
        raise VerificationError(
            "cert_url_path", f"The certificate URL path must start with {CERT_URL_PATH_PREFIX}."
        )
    query = f"?{parts.query}" if parts.query else ""
    return f"https://{CERT_URL_HOST}{path}{query}"


class CertificateFetcher:
    """Downloads a PEM chain within a wall-clock deadline and a size cap; every failure is a
    VerificationError.

    Uses ``requests`` so HTTPS_PROXY / REQUESTS_CA_BUNDLE apply as for any other client.
    Redirects are refused: following one would bypass the URL checks. Socket timeouts bound one
    read each, so a peer (or proxy) answering one byte a second would never trip them: a
    watchdog shuts the connection's socket down when ``timeout_s`` has passed since the start,
    whatever phase the download is in (proxy CONNECT, headers, body).
    """

    def __init__(self, timeout_s: float = 2.0, max_bytes: int = 256 * 1024) -> None:
        if timeout_s <= 0 or max_bytes <= 0:
            raise ValueError("timeout_s and max_bytes must be positive")
        self.timeout_s = timeout_s
        self.max_bytes = max_bytes

    def fetch(self, url: str) -> bytes:
        """Return the body of ``url`` (status 200 only), at most ``max_bytes`` long."""
        import requests

        deadline = time.monotonic() + self.timeout_s
        adapter = _deadline_adapter()
        watchdog = threading.Timer(self.timeout_s, adapter.abort)
        watchdog.daemon = True
        try:
            with requests.Session() as session:
                session.mount("https://", adapter)
                session.mount("http://", adapter)
                watchdog.start()
                return self._download(session, url, deadline)
        except VerificationError:
            raise
        except (requests.RequestException, OSError, ValueError) as exc:
            if adapter.aborted or time.monotonic() >= deadline:
                raise self._too_slow() from None
            raise VerificationError(
                "cert_download_failed",
                f"The certificate could not be downloaded ({type(exc).__name__}).",
            ) from None
        finally:
            watchdog.cancel()

    def _download(self, session: requests.Session, url: str, deadline: float) -> bytes:
        timeout = max(0.001, min(self.timeout_s, deadline - time.monotonic()))
        with session.get(url, timeout=timeout, stream=True, allow_redirects=False) as response:
            if response.status_code != 200:
                raise VerificationError(
                    "cert_download_failed",
                    f"The certificate download answered HTTP {response.status_code}.",
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise self._too_large()
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_content(chunk_size=16 * 1024):
                size += len(chunk)
                if size > self.max_bytes:
                    raise self._too_large()
                if time.monotonic() > deadline:
                    raise self._too_slow()
                chunks.append(chunk)
            return b"".join(chunks)

    def _too_large(self) -> VerificationError:
        return VerificationError(
            "cert_too_large", f"The certificate chain is larger than {self.max_bytes} bytes."
        )

    def _too_slow(self) -> VerificationError:
        return VerificationError(
            "cert_download_failed", f"The certificate download took longer than {self.timeout_s:g} s."
        )


def _deadline_adapter() -> Any:
    """A requests transport adapter that remembers its connections so ``abort()`` can shut their
    sockets down from the watchdog thread (which makes the blocked read return at once)."""
    from requests.adapters import HTTPAdapter
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    connections: list[Any] = []
    lock = threading.Lock()

    def remembering(pool: type[Any]) -> type[Any]:
        class Remembering(pool):
            def _new_conn(self) -> Any:
                conn = super()._new_conn()
                with lock:
                    connections.append(conn)
                return conn

        return Remembering

    pools = {"http": remembering(HTTPConnectionPool), "https": remembering(HTTPSConnectionPool)}

    class DeadlineAdapter(HTTPAdapter):
        aborted = False

        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = pools

        def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
            manager = super().proxy_manager_for(proxy, **proxy_kwargs)
            manager.pool_classes_by_scheme = pools
            return manager

        def abort(self) -> None:
            self.aborted = True
            with lock:
                socks = [getattr(conn, "sock", None) for conn in connections]
            for sock in socks:
                if sock is not None:
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass  # already closed, or not connected yet (connect has its own timeout)

    return DeadlineAdapter(max_retries=0)


def load_trust_roots(pem_file: str | None = None) -> list[x509.Certificate]:
    """Root CAs from ``pem_file``, defaulting to certifi's Mozilla bundle.

    Loaded one by one: Mozilla still ships a few roots with serial 0 (Starfield Services
    Root G2 among them, which Amazon's roots chain to), which cryptography warns about now
    and will refuse later. Those are kept while loadable, and skipped rather than fatal after.
    """
    if pem_file is None:
        import certifi  # local: only needed when no explicit roots are configured

        pem_file = certifi.where()
    try:
        data = Path(pem_file).read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read trust roots from {pem_file}: {exc}") from exc
    roots: list[x509.Certificate] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        for block in _PEM_BLOCK.findall(data):
            try:
                roots.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                continue
    if not roots:
        raise ValueError(f"no usable certificates in {pem_file}")
    return roots


@dataclass(frozen=True, slots=True)
class _Entry:
    key: RSAPublicKey | None
    expires: datetime
    """When to download again."""
    error: tuple[str, str] | None = None
    usable_until: datetime | None = None
    """The chain's own expiry: a key past ``expires`` may still be served until then while a
    refresh runs, never after."""


class _Refresh:
    """One download-and-validate of one URL, on its own thread; requests wait on ``done``."""

    def __init__(self, wait_s: float) -> None:
        self.done = threading.Event()
        self.entry: _Entry | None = None
        self.wait_until = time.monotonic() + wait_s


_VALIDATION_ALLOWANCE_S = 0.25
"""Time past the download deadline a waiting request allows for chain validation."""


class SigningKeyCache:
    """URL -> validated signing public key, until the chain expires or ``ttl`` passes.

    The chain (trusted root, dates, SAN echo-api.amazon.com) is validated once per fill.
    Failures are remembered briefly (``failure_ttl``; download failures ``transient_ttl``)
    so a bad URL cannot force a download per request, yet a blip heals quickly.

    Lookups of a fresh entry take no lock. A miss starts one download per URL on its own thread;
    requests needing that URL wait for it at most until the download's deadline (plus a little
    for validation), never longer, whatever the network does. Once ``ttl`` has passed, the old
    key keeps being served (while its chain is valid) and the refresh runs in the background.
    """

    def __init__(
        self,
        fetcher: CertificateFetcher | None = None,
        *,
        trust_roots: Sequence[x509.Certificate] | None = None,
        trust_roots_file: str | None = None,
        clock: Callable[[], datetime] = _utc_now,
        ttl: timedelta = timedelta(hours=1),
        failure_ttl: timedelta = timedelta(seconds=30),
        transient_ttl: timedelta = timedelta(seconds=5),
        max_entries: int = 32,
        max_refreshes: int = 4,
    ) -> None:
        self._fetcher = fetcher or CertificateFetcher()
        self._roots = list(trust_roots) if trust_roots is not None else None
        self._roots_file = trust_roots_file
        self._store: Store | None = None
        self._clock = clock
        self._ttl = ttl
        self._failure_ttl = failure_ttl
        self._transient_ttl = transient_ttl
        self._max_entries = max_entries
        self._max_refreshes = max_refreshes
        self._wait_s = self._fetcher.timeout_s + _VALIDATION_ALLOWANCE_S
        self._entries: dict[str, _Entry] = {}
        self._refreshes: dict[str, _Refresh] = {}
        self._lock = threading.Lock()

    def public_key(self, url: str) -> RSAPublicKey:
        """The signing key for an already validated, normalised certificate URL."""
        entry = self._entries.get(url)
        now = self._clock()
        if entry is not None and entry.expires > now:
            return _answer(entry)
        if entry is not None and entry.key is not None and entry.usable_until and entry.usable_until > now:
            self._refresh(url)  # in the background; this request goes on with the cached key
            return entry.key
        refresh = self._refresh(url)
        if not refresh.done.wait(max(0.0, refresh.wait_until - time.monotonic())):
            raise VerificationError(
                "cert_download_failed",
                f"The certificate download took longer than {self._fetcher.timeout_s:g} s.",
            )
        assert refresh.entry is not None
        return _answer(refresh.entry)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def wait_for_refreshes(self, timeout_s: float) -> bool:
        """Wait until no refresh is running (tests, shutdown); False if one still is."""
        deadline = time.monotonic() + timeout_s
        while True:
            with self._lock:
                running = list(self._refreshes.values())
            if not running:
                return True
            for refresh in running:
                if not refresh.done.wait(max(0.0, deadline - time.monotonic())):
                    return False

    def _refresh(self, url: str) -> _Refresh:
        """The running refresh of ``url``, or a new one started on its own thread."""
        with self._lock:
            running = self._refreshes.get(url)
            if running is not None:
                return running
            if len(self._refreshes) >= self._max_refreshes:
                raise VerificationError(
                    "cert_download_failed", "Too many certificate downloads are under way."
                )
            refresh = _Refresh(self._wait_s)
            self._refreshes[url] = refresh
        thread = threading.Thread(
            target=self._run_refresh, args=(url, refresh), name="heelcoach-cert-refresh", daemon=True
        )
        thread.start()
        return refresh

    def _run_refresh(self, url: str, refresh: _Refresh) -> None:
        now = self._clock()
        try:
            entry = self._download_and_validate(url, now)
        except Exception as exc:  # never leave waiters hanging: any failure becomes an entry
            entry = _Entry(None, now + self._transient_ttl, ("cert_download_failed", type(exc).__name__))
        with self._lock:
            old = self._entries.get(url)
            if entry.key is None and old is not None and old.key is not None:
                if old.usable_until is not None and old.usable_until > now:
                    # The refresh failed but the cached key is still valid: keep serving it
                    # and try again soon.
                    entry = replace(old, expires=now + self._transient_ttl)
            self._store_entry(url, entry, now)
            del self._refreshes[url]
        refresh.entry = entry
        refresh.done.set()

    def _download_and_validate(self, url: str, now: datetime) -> _Entry:
        try:
            pem = self._fetcher.fetch(url)
        except VerificationError as exc:
            return _Entry(None, now + self._transient_ttl, (exc.reason, exc.detail))
        try:
            key, not_after = self._validate(pem, now)
        except VerificationError as exc:
            return _Entry(None, now + self._failure_ttl, (exc.reason, exc.detail))
        return _Entry(key, min(not_after, now + self._ttl), usable_until=not_after)

    def _store_entry(self, url: str, entry: _Entry, now: datetime) -> None:
        """Called with ``self._lock`` held."""
        self._entries.pop(url, None)
        if len(self._entries) >= self._max_entries:
            for stale in [u for u, e in self._entries.items() if e.expires <= now]:
                del self._entries[stale]
        if len(self._entries) >= self._max_entries:
            # Evict failures first so junk URLs cannot push out the real key.
            victims = [u for u, e in self._entries.items() if e.error is not None]
            victim = victims[0] if victims else next(iter(self._entries))
            del self._entries[victim]
        self._entries[url] = entry

    def load_trust_store(self) -> None:
        """Load the roots now, so a bad trust-roots setting fails at startup, not per request."""
        self._trust_store()

    def _trust_store(self) -> Store:
        with self._lock:
            if self._store is None:
                roots = self._roots if self._roots is not None else load_trust_roots(self._roots_file)
                self._store = Store(roots)
            return self._store

    def _validate(self, pem: bytes, now: datetime) -> tuple[RSAPublicKey, datetime]:
        """Check the chain with web-PKI policy; return the leaf key and the chain's expiry."""
        store = self._trust_store()
        try:
            return self._validate_with(store, pem, now)
        except ValueError:  # malformed PEM/DER or extensions (cryptography parses lazily)
            raise VerificationError(
                "cert_parse_failed", "The certificate chain could not be parsed."
            ) from None

    def _validate_with(self, store: Store, pem: bytes, now: datetime) -> tuple[RSAPublicKey, datetime]:
        certs = x509.load_pem_x509_certificates(pem)
        if not certs:
            raise ValueError("no certificates")
        leaf, intermediates = certs[0], certs[1:]
        if now < leaf.not_valid_before_utc:
            raise VerificationError("cert_not_yet_valid", "The signing certificate is not yet valid.")
        if now > leaf.not_valid_after_utc:
            raise VerificationError("cert_expired", "The signing certificate has expired.")
        if SIGNING_CERT_SAN not in _dns_names(leaf):
            raise VerificationError(
                "cert_san_mismatch", f"The signing certificate is not issued to {SIGNING_CERT_SAN}."
            )
        verifier = (
            PolicyBuilder().store(store).time(now).build_server_verifier(x509.DNSName(SIGNING_CERT_SAN))
        )
        try:
            chain = verifier.verify(leaf, intermediates)
        except ChainError as exc:
            raise VerificationError(
                "cert_chain_untrusted", f"The certificate chain does not validate: {exc}."
            ) from None
        key = leaf.public_key()
        if not isinstance(key, RSAPublicKey):
            raise VerificationError("cert_key_unsupported", "The signing key is not an RSA key.")
        return key, min(c.not_valid_after_utc for c in chain)


def _answer(entry: _Entry) -> RSAPublicKey:
    if entry.error is not None:
        raise VerificationError(*entry.error)
    assert entry.key is not None
    return entry.key


def _dns_names(cert: x509.Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return [name.lower() for name in san.value.get_values_for_type(x509.DNSName)]
