"""An ask-sdk ``ApiClient`` with a hard time budget, plus the small JSON call helper the
Heel Coach service facades share.

Alexa waits about 8 s for the whole skill response and ``DefaultApiClient`` sets no
timeout at all, so one slow Alexa API call could cost the user their answer. This client
bounds connect, each read, and the whole body download, and turns every transport failure
into an ``ApiClientException`` subclass so ask-sdk's generated service clients (which wrap
any ``invoke`` exception in ``ServiceException``) keep working unchanged.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services.api_client import ApiClient
from ask_sdk_model.services.api_client_request import ApiClientRequest
from ask_sdk_model.services.api_client_response import ApiClientResponse

from heel_coach.errors import ServiceError

if TYPE_CHECKING:  # requests is imported on the first call: most requests never make one
    import requests

__all__ = [
    "ApiTimeout",
    "ApiUnreachable",
    "TimeoutApiClient",
    "call_api",
    "error_for_status",
]

_METHODS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"})
_CHUNK = 16 * 1024


class ApiTimeout(ApiClientException, ServiceError):
    """The Alexa API did not answer within the client's time budget.

    An ``ApiClientException`` for the SDK's service clients, a ``ServiceError`` for ours.
    """

    def __init__(self, message: str) -> None:
        ServiceError.__init__(self, message, 0, "timeout")


class ApiUnreachable(ApiClientException, ServiceError):
    """The Alexa API could not be reached (DNS, refused, TLS failure, refused URL)."""

    def __init__(self, message: str) -> None:
        ServiceError.__init__(self, message, 0, "unreachable")


class TimeoutApiClient(ApiClient):
    """``DefaultApiClient`` with a time budget, HTTPS enforcement and a pooled Session.

    ``timeout_s`` bounds the connect, each socket read, and the total body download (the
    worst case is about twice ``timeout_s`` for a server that stalls right at the end).
    Plain HTTP is refused unless the URL host is in ``allow_http_hosts``. TLS trust comes
    from ``ca_bundle`` when given, else ``REQUESTS_CA_BUNDLE``/certifi as ``requests`` does.
    One Session is shared by all threads: urllib3's pool is thread-safe and the Session is
    configured to keep no cookies, the only per-request state it would otherwise mutate.
    """

    def __init__(
        self,
        timeout_s: float = 2.5,
        session: requests.Session | None = None,
        allow_http_hosts: frozenset[str] = frozenset(),
        ca_bundle: str | None = None,
        pool_size: int = 10,
    ) -> None:
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self.timeout_s = float(timeout_s)
        self.allow_http_hosts = frozenset(h.lower() for h in allow_http_hosts)
        self.ca_bundle = ca_bundle
        self.pool_size = pool_size
        self._owns_session = session is None
        if session is not None:
            _refuse_cookies(session)
        self._session = session
        self._session_lock = threading.Lock()
        self._closed = threading.Event()

    def _pooled_session(self) -> requests.Session:
        """The shared Session, made on first use (importing requests costs ~50 ms of start-up)."""
        with self._session_lock:
            if self._session is None:
                import requests
                from requests.adapters import HTTPAdapter

                session = requests.Session()
                adapter = HTTPAdapter(pool_connections=4, pool_maxsize=self.pool_size, max_retries=0)
                session.mount("https://", adapter)
                session.mount("http://", adapter)
                _refuse_cookies(session)
                self._session = session
            return self._session

    def __enter__(self) -> TimeoutApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release pooled connections (only if this client created the Session)."""
        self._closed.set()
        with self._session_lock:
            if self._owns_session and self._session is not None:
                self._session.close()

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        """Send ``request`` and return the response whatever its status (ask-sdk contract).

        Raises ``ApiTimeout`` when the budget is exceeded and ``ApiUnreachable`` for any
        other transport failure or a refused URL/method.
        """
        if self._closed.is_set():
            raise ApiUnreachable("API client is closed")
        method = (request.method or "").upper()
        if method not in _METHODS:
            raise ApiUnreachable(f"Invalid request method: {request.method}")
        url = request.url or ""
        self._check_url(url)
        headers = _headers_to_dict(request.headers)
        data = _encode_body(request.body, headers)
        deadline = time.monotonic() + self.timeout_s
        verify: bool | str = self.ca_bundle if self.ca_bundle else True
        session = self._pooled_session()
        import requests

        try:
            with session.request(
                method,
                url,
                headers=headers,
                data=data,
                timeout=(self.timeout_s, self.timeout_s),
                verify=verify,
                allow_redirects=False,
                stream=True,
            ) as response:
                body = _read_within(response, deadline)
                status = response.status_code
                encoding = response.encoding or "utf-8"
                response_headers = list(response.headers.items())
        except ApiTimeout:
            raise
        except requests.Timeout as exc:
            raise ApiTimeout(f"No answer from {_where(url)} within {self.timeout_s:g} s") from exc
        except requests.RequestException as exc:
            raise ApiUnreachable(f"Could not reach {_where(url)}: {exc}") from exc
        return ApiClientResponse(
            headers=response_headers,
            body=body.decode(encoding, errors="replace"),
            status_code=status,
        )

    def _check_url(self, url: str) -> None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not host:
            raise ApiUnreachable(f"Invalid URL: {url!r}")
        if parts.scheme == "https":
            return
        if parts.scheme == "http" and host in self.allow_http_hosts:
            return
        raise ApiUnreachable("Requests against non-HTTPS endpoints are not allowed.")


def _refuse_cookies(session: requests.Session) -> None:
    from http.cookiejar import DefaultCookiePolicy

    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))


def _is_requests_error(exc: BaseException) -> bool:
    """A requests transport error, from an ApiClient other than ours (DefaultApiClient)."""
    module = sys.modules.get("requests")
    return module is not None and isinstance(exc, module.RequestException)


def _where(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _read_within(response: requests.Response, deadline: float) -> bytes:
    """Read the body in chunks, giving up once the overall deadline has passed."""
    chunks: list[bytes] = []
    for chunk in response.iter_content(_CHUNK):
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise ApiTimeout("Response body not received within the time budget")
    return b"".join(chunks)


def _headers_to_dict(headers: list[tuple[str, str]] | None) -> dict[str, str]:
    """Join repeated header names with ", " as DefaultApiClient does."""
    result: dict[str, str] = {}
    for key, value in headers or []:
        result[key] = f"{result[key]}, {value}" if key in result else value
    return result


def _encode_body(body: Any, headers: Mapping[str, str]) -> bytes | str | None:
    """JSON-encode serializer output (dicts/lists) when the content type says JSON."""
    if body is None or body == "" or body == {}:
        return None
    if isinstance(body, bytes | str):
        return body
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    if "json" not in content_type.lower():
        raise ApiUnreachable("A non-text request body needs a JSON content type")
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# --- shared JSON call helper for the Heel Coach facades --------------------------------

_STATUS_CODES: dict[int, str] = {
    400: "invalid",
    401: "permission_missing",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    429: "rate_limited",
}


def error_for_status(status: int, body: str | None, what: str) -> ServiceError:
    """Map an Alexa API error answer to a ServiceError with a stable snake ``code``.

    The API's own ``code`` (e.g. ``INVALID_...``) is kept in the message for logs; a 403
    whose API code mentions a permission is a missing permission, not a hard refusal.
    """
    api_code, api_message = _error_fields(body)
    if status in _STATUS_CODES:
        code = _STATUS_CODES[status]
        if status == 403 and "PERMISSION" in api_code.upper():
            code = "permission_missing"
    elif 500 <= status <= 599:
        code = "server_error"
    else:
        code = "unexpected"
    detail = ": ".join(p for p in (api_code, api_message) if p)
    message = f"{what} failed with HTTP {status}" + (f" ({detail})" if detail else "")
    return ServiceError(message, status, code)


def _error_fields(body: str | None) -> tuple[str, str]:
    if not body:
        return "", ""
    try:
        parsed = json.loads(body)
    except ValueError:
        return "", body[:200]
    if not isinstance(parsed, dict):
        return "", ""
    return str(parsed.get("code") or ""), str(parsed.get("message") or "")


def call_api(
    api_client: ApiClient,
    method: str,
    url: str,
    access_token: str,
    what: str,
    body: Mapping[str, Any] | None = None,
) -> ApiClientResponse:
    """Invoke one Alexa API call and return the 2xx response, else raise ServiceError.

    Transport failures become code ``timeout`` or ``unreachable`` (status 0). The header
    is spelled ``Content-type`` because DefaultApiClient only looks up that spelling.
    """
    headers = [("Authorization", f"Bearer {access_token}"), ("Accept", "application/json")]
    if body is not None:
        headers.append(("Content-type", "application/json"))
    # ask-sdk types ``body`` as str but its own clients pass serializer dicts; so do we.
    payload: Any = body
    request = ApiClientRequest(headers=headers, body=payload, url=url, method=method)
    try:
        response = api_client.invoke(request)
    except ApiTimeout as exc:
        raise ServiceError(f"{what} timed out: {exc}", 0, "timeout") from exc
    except Exception as exc:
        if not isinstance(exc, ApiClientException) and not _is_requests_error(exc):
            raise
        message = f"{what} could not reach the Alexa API: {exc}"
        raise ServiceError(message, 0, "unreachable") from exc
    status = response.status_code
    if status is None:
        raise ServiceError(f"{what} got a response without a status", 0, "unexpected")
    if not 200 <= status <= 299:
        raise error_for_status(status, response.body, what)
    return response
