"""A loopback HTTP(S) intercepting proxy so code under test reaches "https://s3.amazonaws.com/..."
exactly as in production (via HTTPS_PROXY + REQUESTS_CA_BUNDLE) while only ever talking to
127.0.0.1.

``CONNECT host:port`` is answered 200, then TLS is terminated here with a leaf for ``host``
issued by a :class:`~tests.fakes.pki.TestPKI`; plain requests inside the tunnel (and plain
absolute-URI proxy requests) go to handlers registered per host. No pytest dependency.

Usage::

    with InterceptingProxy(pki) as proxy:
        proxy.route("s3.amazonaws.com", lambda req: Response(200, {}, b"..."))
        env = proxy.client_env(ca_bundle_path)   # set these, clear CLEAR_ENV
        ...
        assert proxy.count("/echo.api/echo-api-cert.pem") == 1
"""

from __future__ import annotations

import socket
import socketserver
import ssl
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from io import BufferedIOBase
from pathlib import Path
from urllib.parse import urlsplit

from tests.fakes.pki import TestPKI

__all__ = [
    "CLEAR_ENV",
    "DROP",
    "Drop",
    "Handler",
    "InterceptingProxy",
    "ProxyRequest",
    "RawResponse",
    "Reply",
    "Response",
    "Trickle",
]

CLEAR_ENV = ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "CURL_CA_BUNDLE")
"""Environment variables a test should unset so the proxy and its CA bundle are used."""

_MAX_HEADER_BYTES = 64 * 1024


@dataclass(frozen=True)
class ProxyRequest:
    """One request as a handler sees it (``path`` includes any query string)."""

    method: str
    host: str
    path: str
    headers: Mapping[str, str]
    body: bytes
    tls: bool


@dataclass(frozen=True)
class Response:
    """A well-formed HTTP response; Content-Length is added when absent."""

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(frozen=True)
class RawResponse:
    """Bytes written verbatim (for garbage / truncated responses); the connection then closes."""

    data: bytes


@dataclass(frozen=True)
class Trickle:
    """Bytes written one at a time, ``interval_s`` apart (a peer too slow for any deadline,
    yet never silent long enough for a per-read socket timeout); the connection then closes."""

    data: bytes
    interval_s: float = 1.0


class Drop:
    """Returned by a handler to close the connection without answering."""


DROP = Drop()

Reply = Response | RawResponse | Trickle | Drop | tuple[int, Mapping[str, str], bytes]
Handler = Callable[[ProxyRequest], Reply]


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    proxy: InterceptingProxy


class InterceptingProxy:
    """Threaded loopback proxy; use as a context manager (binds 127.0.0.1 on a free port)."""

    def __init__(self, pki: TestPKI | None = None) -> None:
        self.pki = pki or TestPKI("Intercepting Proxy")
        self._routes: dict[str, Handler] = {}
        self._counts: Counter[tuple[str, str]] = Counter()
        self._log: list[ProxyRequest] = []
        self._lock = threading.Lock()
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._stopping = threading.Event()
        self._open: set[socket.socket] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> InterceptingProxy:
        self._tmp = tempfile.TemporaryDirectory(prefix="heelcoach-proxy-")
        self._server = _Server(("127.0.0.1", 0), _ProxyHandler)
        self._server.proxy = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and drop open connections (sleeping handlers are woken via ``wait``)."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        with self._lock:
            for sock in list(self._open):
                _close_quietly(sock)
            self._open.clear()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> InterceptingProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- configuration -----------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("proxy not started")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def route(self, host: str, handler: Handler) -> None:
        """Send every request for ``host`` (any port, any path) to ``handler``."""
        with self._lock:
            self._routes[host.lower()] = handler

    def client_env(self, ca_bundle: str | Path) -> dict[str, str]:
        """Env vars that make ``requests`` use this proxy and trust ``ca_bundle``."""
        return {
            "HTTPS_PROXY": self.url,
            "https_proxy": self.url,
            "HTTP_PROXY": self.url,
            "http_proxy": self.url,
            "REQUESTS_CA_BUNDLE": str(ca_bundle),
        }

    def wait(self, seconds: float) -> None:
        """Sleep inside a handler, returning early when the proxy stops (keeps teardown fast)."""
        self._stopping.wait(seconds)

    # -- observation -------------------------------------------------------------------------
    def count(self, path: str, host: str | None = None) -> int:
        """How many requests reached ``path`` (on ``host``, or any host)."""
        with self._lock:
            if host is not None:
                return self._counts[(host.lower(), path)]
            return sum(n for (_, p), n in self._counts.items() if p == path)

    @property
    def requests(self) -> list[ProxyRequest]:
        with self._lock:
            return list(self._log)

    # -- internals used by the handler -------------------------------------------------------
    def _track(self, sock: socket.socket, add: bool) -> None:
        with self._lock:
            (self._open.add if add else self._open.discard)(sock)

    def _tls_context(self, host: str) -> ssl.SSLContext:
        with self._lock:
            ctx = self._contexts.get(host)
            if ctx is None:
                assert self._tmp is not None
                is_ip = _is_ip(host)
                leaf = self.pki.issue_leaf(
                    dns_names=() if is_ip else (host,), ip_addresses=(host,) if is_ip else ()
                )
                cert_path, key_path = leaf.write(self._tmp.name, f"leaf-{len(self._contexts)}")
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
                ctx.load_cert_chain(cert_path, key_path)
                self._contexts[host] = ctx
            return ctx

    def _dispatch(self, request: ProxyRequest) -> Reply:
        with self._lock:
            self._counts[(request.host, request.path)] += 1
            self._log.append(request)
            handler = self._routes.get(request.host)
        if handler is None:
            return Response(502, {"Content-Type": "text/plain"}, b"no route for host")
        try:
            return handler(request)
        except Exception as exc:  # a broken test handler should show up as a 500, not a hang
            return Response(500, {"Content-Type": "text/plain"}, repr(exc).encode())


class _ProxyHandler(socketserver.StreamRequestHandler):
    """Per-connection loop: CONNECT -> TLS tunnel of requests, or plain absolute-URI requests."""

    server: _Server

    def handle(self) -> None:
        proxy = self.server.proxy
        proxy._track(self.connection, True)
        try:
            self._serve(proxy)
        except (OSError, ValueError, ssl.SSLError):
            pass  # clients hanging up or sending junk is normal in fault tests
        finally:
            proxy._track(self.connection, False)

    def _serve(self, proxy: InterceptingProxy) -> None:
        head = _read_head(self.rfile)
        if head is None:
            return
        method, target, headers = head
        if method == "CONNECT":
            host = target.rsplit(":", 1)[0].strip("[]").lower()
            self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            self.wfile.flush()
            tls = proxy._tls_context(host).wrap_socket(self.connection, server_side=True)
            proxy._track(tls, True)
            try:
                with tls.makefile("rb") as rfile, tls.makefile("wb") as wfile:
                    _serve_requests(proxy, host, True, rfile, wfile, None)
            finally:
                proxy._track(tls, False)
                _close_quietly(tls)
            return
        parts = urlsplit(target)
        host = (parts.hostname or headers.get("host", "")).lower()
        _serve_requests(proxy, host, False, self.rfile, self.wfile, (method, target, headers))


def _serve_requests(
    proxy: InterceptingProxy,
    host: str,
    tls: bool,
    rfile: BufferedIOBase,
    wfile: BufferedIOBase,
    first: tuple[str, str, dict[str, str]] | None,
) -> None:
    """Answer keep-alive requests on one connection until either side closes."""
    while True:
        head = first or _read_head(rfile)
        first = None
        if head is None:
            return
        method, target, headers = head
        path = target
        if not tls and "://" in target:
            parts = urlsplit(target)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        length = int(headers.get("content-length", "0") or "0")
        body = rfile.read(length) if length > 0 else b""
        reply = proxy._dispatch(ProxyRequest(method, host, path, headers, body, tls))
        if isinstance(reply, Drop):
            return
        if isinstance(reply, RawResponse):
            wfile.write(reply.data)
            wfile.flush()
            return
        if isinstance(reply, Trickle):
            for i in range(len(reply.data)):
                wfile.write(reply.data[i : i + 1])
                wfile.flush()
                proxy.wait(reply.interval_s)
            return
        if isinstance(reply, tuple):
            reply = Response(*reply)
        out_headers = {k.title(): v for k, v in reply.headers.items()}
        out_headers.setdefault("Content-Length", str(len(reply.body)))
        status_line = f"HTTP/1.1 {reply.status} {_reason(reply.status)}\r\n"
        head_bytes = status_line + "".join(f"{k}: {v}\r\n" for k, v in out_headers.items())
        wfile.write(head_bytes.encode("latin-1") + b"\r\n" + reply.body)
        wfile.flush()
        if out_headers.get("Connection", "").lower() == "close":
            return


def _read_head(rfile: BufferedIOBase) -> tuple[str, str, dict[str, str]] | None:
    """Parse a request line and headers; ``None`` when the peer closed cleanly."""
    line = rfile.readline(_MAX_HEADER_BYTES)
    if not line:
        return None
    parts = line.decode("latin-1").split()
    if len(parts) != 3:
        raise ValueError(f"bad request line: {line!r}")
    headers: dict[str, str] = {}
    total = 0
    while True:
        raw = rfile.readline(_MAX_HEADER_BYTES)
        total += len(raw)
        if not raw or raw in (b"\r\n", b"\n") or total > _MAX_HEADER_BYTES:
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return parts[0].upper(), parts[1], headers


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _close_quietly(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass
