"""The one HTTP layer every source uses: timeouts, retries with back-off, error detection, redaction.

Sources never call ``requests`` directly. They call ``HttpClient.get_json`` (or ``get_text``) and
receive either a parsed body or a ``SourceError`` whose message, ``url`` and ``status`` say what went
wrong. URLs are redacted before they reach an exception, a log line or a sidecar; API keys travel in
headers, read from environment variables by the source that needs them.

Every value sent in a header other than the plain ones (``SAFE_HEADERS``), or in a secret query
parameter, is remembered as a secret for the life of the process: ``redact_text`` blanks it from any
error text, whatever part of a response echoed it back. Such headers are never forwarded when a
redirect leads to another host (requests itself strips only ``Authorization``).

A redirect is followed only within the host asked (``http`` to ``https`` on it included) or to a
host the caller allows (``HttpClient.allowed_hosts``: a catalogue source's ``hosts:``); any other
(a cloud metadata address, a ``file:`` URL) fails the request before it is sent. An error quotes at
most a short excerpt of a body, with anything shaped like a credential blanked.

Every attempt runs under a watchdog (``_Deadline``) that shuts its sockets down at the total deadline:
urllib3's ``Timeout(total=...)`` does not bound a server that trickles its status line and headers,
since each byte resets the socket timeout (urllib3 2.8: a 1 s total took 13 s).
"""

from __future__ import annotations

import email.utils
import html
import json
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from claimcheck import __version__

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)

USER_AGENT = f"claimcheck/{__version__} (+https://github.com/claimcheck; claim verification)"

# Query parameters whose values are credentials; compared case-insensitively.
SECRET_PARAMS = frozenset(
    {"subscription-key", "key", "token", "apikey", "api_key", "api-key", "access_token", "secret", "password"}
)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

# Request headers that carry nothing secret; any other header a caller sends is treated as a credential.
SAFE_HEADERS = frozenset({"user-agent", "accept", "accept-encoding", "accept-language", "connection", "content-type"})
REDACTED = "[redacted]"
_MIN_SECRET = 4  # shorter values (a flag, a digit) would blank ordinary text
_secrets: set[str] = set()


def remember_secret(value: str | None) -> None:
    """Blank ``value`` (and its URL-encoded form) from every error text this process produces."""
    from urllib.parse import quote, quote_plus

    if value and len(value) >= _MIN_SECRET:
        _secrets.update({value, quote(value, safe=""), quote_plus(value)})


def has_secrets() -> bool:
    """Whether this process has sent any credential (most sources take none)."""
    return bool(_secrets)


def secret_in(text: str) -> bool:
    """Whether ``text`` holds a remembered secret (a credential this process sent)."""
    return any(secret in text for secret in _secrets)


def redact_text(text: str) -> str:
    """``text`` with every remembered secret replaced by ``[redacted]``."""
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def _retry_exceptions() -> tuple[type[Exception], ...]:
    import requests

    return (
        requests.exceptions.ConnectionError,  # includes ConnectTimeout and a read timeout while streaming
        requests.exceptions.Timeout,  # ReadTimeout while waiting for the headers
        requests.exceptions.ChunkedEncodingError,  # body shorter than its Content-Length, or a cut chunk
    )


def redact(url: str | None) -> str | None:
    """``url`` without secret query parameters and without any ``user:password@`` part."""
    if not url:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() not in SECRET_PARAMS]
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return redact_text(urlunsplit((parts.scheme, netloc, parts.path, urlencode(query, safe=":;,+"), parts.fragment)))


class SourceError(Exception):
    """A source failed or answered something unusable; ``url`` never contains a secret."""

    MAX_REASON = 400  # a reason may quote an answer (an API's error message): only so much of it

    def __init__(self, reason: str, url: str | None = None, status: int | None = None):
        reason = " ".join(redact_credentials(reason).split())
        self.reason = reason if len(reason) <= self.MAX_REASON else reason[: self.MAX_REASON - 1] + "…"
        self.url = redact(url)
        self.status = status
        super().__init__(str(self))

    def __str__(self) -> str:
        status = f" (HTTP {self.status})" if self.status is not None else ""
        where = f" from {self.url}" if self.url else ""
        return f"{self.reason}{status}{where}"


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


# a field whose name says it holds a credential, in JSON, a query string, a header or an XML tag
_CREDENTIAL_FIELD = re.compile(
    r"""(?ix)(["']?[\w.-]*(?:secret|token|passw(?:or)?d|credential|api[_-]?key|access[_-]?key|accesskeyid|
    private[_-]?key|session[_-]?key|signature|authorization|subscription[_-]?key)[\w.-]*["']?\s*[:=>]\s*)
    ("[^"]*"|'[^']*'|[^\s,;&<}"']+)""")
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[\w.~+/=-]{8,}")


def redact_credentials(text: str) -> str:
    """``text`` with every remembered secret, and every value of a field named like a credential
    (``"SecretAccessKey": "..."``, ``token=...``, ``Bearer ...``), replaced by ``[redacted]``."""
    text = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", redact_text(text))
    return _CREDENTIAL_FIELD.sub(lambda m: m.group(1) + REDACTED, text)


def body_excerpt(text: str, limit: int = 160) -> str:
    """A short, tag-free, one-line excerpt of a response body for an error message, credentials blanked."""
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text[: 64 * 1024])
    text = redact_credentials(text)  # before the tags go: an XML tag names its field
    text = html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\ufeff", "")
    text = " ".join(redact_credentials(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _origin(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return (parts.hostname or "").lower(), parts.port or (443 if parts.scheme == "https" else 80)


def redirect_allowed(target: str, asked: str, allowed_hosts: Iterable[str] = ()) -> bool:
    """Whether a redirect from ``asked`` may go to ``target``: http(s) only, to the host asked (on its
    port, or from http to https) or to one of ``allowed_hosts`` (``host`` or ``host:port``)."""
    if urlsplit(target).scheme not in ("http", "https"):
        return False
    (host, port), (own_host, own_port) = _origin(target), _origin(asked)
    if host == own_host and (port == own_port or (own_port, port) == (80, 443)):
        return True
    return any(entry.lower() in (host, f"{host}:{port}") for entry in allowed_hosts)


class RedirectRefused(Exception):
    """A redirect to a host the request may not follow to."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refused when a key occurs twice (``json`` keeps the last silently)."""
    body = dict(pairs)
    if len(body) != len(pairs):
        seen: set[str] = set()
        twice = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise ValueError(f"the key {twice[:40]!r} occurs twice in one object")
    return body


def json_items(content: bytes) -> int:
    """An upper bound on the values a JSON text parses to, counted without parsing it: every value
    but the first follows a ``,`` or ``:``, or opens an array or object. A Python object costs 50 to
    100 bytes, so 60 MB of ``{},`` is 20 million dictionaries, 1.7 GB; bytes inside strings count
    too, which only overstates the bound."""
    return 1 + sum(content.count(mark) for mark in (b",", b":", b"[", b"{"))


class LimitExceeded(Exception):
    """A response broke one of the client's bounds (total deadline, body size); not worth retrying."""


class HttpClient:
    """A ``requests.Session`` with timeouts, retries (connection errors, timeouts, 5xx, 429) and back-off.

    Every attempt also has a total ``deadline`` in seconds covering the connection, the status line,
    the headers and the body (a server trickling one byte at a time resets the read timeout forever,
    never the deadline: its socket is shut down when the deadline passes) and a ``max_bytes`` bound
    on the decoded body (a small gzip body may expand to gigabytes): the body is streamed and reading
    stops at either bound, with an error naming it and where the exchange was.

    The wait before retry ``n`` (0-based) is ``backoff * 2**n`` seconds, capped at ``max_backoff``; a
    ``Retry-After`` header lengthens it, up to ``retry_after_cap`` seconds.
    """

    def __init__(
        self,
        timeout: tuple[float, float] = (5, 30),
        deadline: float = 180.0,
        max_bytes: int = 64 * 1024 * 1024,
        max_json_items: int = 4_000_000,
        max_retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        retry_after_cap: float = 60.0,
        user_agent: str = USER_AGENT,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        # requests is imported here, not with the module: offline checks never need the HTTP stack
        # and would pay its import (about 0.1 s) in every notebook kernel.
        import requests

        self.timeout = timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.max_json_items = max_json_items
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.retry_after_cap = retry_after_cap
        self.session = session or _key_safe_session()
        adapter = _deadline_adapter()
        for prefix in ("http://", "https://"):
            self.session.mount(prefix, adapter())
        self.session.headers["User-Agent"] = user_agent
        self.redirected: list[str] = []  # the final URL (redacted) of every answer that came through a redirect
        self.allowed_hosts: set[str] = set()  # hosts a redirect may lead to besides the one asked
        self._sleep = sleep

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled connections."""
        self.session.close()

    def get(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        allow_empty: bool = False,
    ) -> requests.Response:
        """GET ``url``; retry transient failures; raise ``SourceError`` on final failure, non-2xx or an empty body."""
        import requests

        full_url = requests.Request("GET", url, params=params).prepare().url
        for name, value in (headers or {}).items():
            if name.lower() not in SAFE_HEADERS:
                remember_secret(value)
        for name, value in parse_qsl(urlsplit(full_url).query, keep_blank_values=True):
            if name.lower() in SECRET_PARAMS:
                remember_secret(value)
        self.session.redirect_rule = (full_url, frozenset(self.allowed_hosts))
        for attempt in range(self.max_retries + 1):
            last = attempt == self.max_retries
            # the connect timeout is capped too: a socket still connecting has nothing to shut down
            timeout = (min(self.timeout[0], self.deadline), self.timeout[1])
            try:
                with _Deadline(self.deadline) as deadline:
                    try:
                        response = self.session.get(url, params=params, headers=headers, timeout=timeout, stream=True)
                    except requests.exceptions.RequestException:
                        if not deadline.passed:
                            raise
                        response = None
                    if deadline.passed:  # http.client takes the shutdown for the end of the headers
                        if response is not None:
                            response.close()
                        raise LimitExceeded(f"total deadline of {self.deadline:g} s exceeded before the status "
                                            f"line and headers were complete")
                    self._read_body(response, deadline)
            except LimitExceeded as exc:
                raise SourceError(f"{exc}; not retried", full_url) from None
            except RedirectRefused as exc:
                raise SourceError(f"redirected to {redact(str(exc))}, another host: not followed (a source is "
                                  "followed only within its own host or the hosts its catalogue file lists "
                                  "under hosts:)", full_url) from None
            except requests.exceptions.ContentDecodingError:
                encoding = response.headers.get("Content-Encoding", "")
                raise SourceError(f"the body could not be decoded as its Content-Encoding {encoding!r} says",
                                  full_url, response.status_code) from None
            except _retry_exceptions() as exc:
                reason = f"{_describe(exc)} after {attempt + 1} attempt(s)"
                if last:
                    # from None: the requests exception text repeats the unredacted URL.
                    raise SourceError(reason, full_url) from None
                self._wait(attempt, None, reason, full_url)
                continue
            if response.status_code in RETRY_STATUSES and not last:
                retry_after = retry_after_seconds(response.headers.get("Retry-After"))
                self._wait(attempt, retry_after, f"HTTP {response.status_code}", full_url)
                continue
            return self._checked(response, full_url, attempt, allow_empty)
        raise AssertionError("unreachable")  # the loop always returns or raises

    def get_json(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        check: Callable[[Any], str | None] | None = None,
    ) -> Any:
        """GET and parse JSON; ``check(body)`` may return an error string for bodies that are errors by shape."""
        response = self.get(url, params, headers)
        items = json_items(response.content)
        if items > self.max_json_items:
            raise SourceError(f"a JSON body of {len(response.content):,} bytes with up to {items:,} values, "
                              f"over the limit of {self.max_json_items:,} (parsed, it would take about "
                              f"{items * 80 // 2**20:,} MiB); not parsed", response.url, response.status_code)
        try:
            body = json.loads(response.content.decode(response.encoding or "utf-8").lstrip("\ufeff"),
                              object_pairs_hook=_unique_keys)
        except (UnicodeDecodeError, LookupError, ValueError) as exc:
            kind = response.headers.get("Content-Type", "no content type")
            raise SourceError(
                f"malformed JSON ({exc}; {kind}; {len(response.content)} bytes): "
                f"{body_excerpt(response.text, 120)!r}",
                response.url,
                response.status_code,
            ) from exc
        problem = check(body) if check else None
        if problem:
            raise SourceError(problem, response.url, response.status_code)
        return body

    def get_text(
        self, url: str, params: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None
    ) -> str:
        """GET and return the decoded text (encoding from the headers, else detected)."""
        response = self.get(url, params, headers)
        if response.encoding is None:
            response.encoding = response.apparent_encoding
        return response.text

    def _read_body(self, response: requests.Response, deadline: _Deadline) -> None:
        """Read the streamed body into ``response.content``, at most ``max_bytes`` decoded, within the deadline."""
        import requests
        import urllib3

        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            response.close()
            raise LimitExceeded(f"body of {int(declared):,} bytes announced, over the limit of {self.max_bytes:,} bytes")
        chunks, size = [], 0

        def late() -> LimitExceeded:
            return LimitExceeded(f"total deadline of {self.deadline:g} s exceeded after {size:,} bytes of the body")

        try:
            try:
                while True:
                    if deadline.passed:
                        raise late()
                    # read1 returns as soon as any bytes arrive, and decodes at most the amount asked for
                    chunk = response.raw.read1(64 * 1024, decode_content=True)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise LimitExceeded(f"decoded body over the limit of {self.max_bytes:,} bytes")
                    chunks.append(chunk)
            except Exception:
                if deadline.passed:  # a read the watchdog cut short, whatever error it surfaced as
                    raise late() from None
                raise
            if deadline.passed:  # the watchdog's shutdown can also read as the end of the body
                raise late()
        except LimitExceeded:
            response.close()
            raise
        except urllib3.exceptions.ReadTimeoutError as exc:
            raise requests.exceptions.ConnectionError(f"read timed out: {exc}") from None
        except urllib3.exceptions.DecodeError as exc:
            raise requests.exceptions.ContentDecodingError(str(exc)) from None
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.SSLError) as exc:
            raise requests.exceptions.ChunkedEncodingError(str(exc)) from None
        response._content = b"".join(chunks)  # what requests would hold after reading the body itself
        response._content_consumed = True

    def _wait(self, attempt: int, retry_after: float | None, reason: str, url: str | None) -> None:
        delay = min(self.max_backoff, self.backoff * 2**attempt)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.retry_after_cap))
        log.warning("%s from %s; retry %d/%d in %.2f s", reason, redact(url), attempt + 1, self.max_retries, delay)
        self._sleep(delay)

    def _checked(self, response: requests.Response, url: str | None, attempt: int, allow_empty: bool):
        if not 200 <= response.status_code < 300:
            tries = f" after {attempt + 1} attempt(s)" if attempt else ""
            raise SourceError(
                f"HTTP error{tries}: {body_excerpt(response.text) or 'empty body'}", url, response.status_code
            )
        if not response.content and not allow_empty:
            raise SourceError("empty response body", url, response.status_code)
        if response.history:
            self.redirected.append(redact(response.url))
        return response


def _key_safe_session() -> requests.Session:
    """A ``requests.Session`` that drops every credential header when a redirect leads to another host."""
    import requests

    class KeySafeSession(requests.Session):
        redirect_rule: tuple[str, frozenset[str]] | None = None  # the URL asked and the other hosts allowed

        def get_redirect_target(self, resp):
            target = super().get_redirect_target(resp)
            if target is not None and self.redirect_rule is not None:
                absolute = urljoin(resp.url, target)
                if not redirect_allowed(absolute, *self.redirect_rule):
                    resp.close()
                    raise RedirectRefused(absolute)
            return target

        def rebuild_auth(self, prepared_request, response):
            super().rebuild_auth(prepared_request, response)  # strips Authorization across hosts
            if self.should_strip_auth(response.request.url, prepared_request.url):
                dropped = [name for name in prepared_request.headers if name.lower() not in SAFE_HEADERS]
                for name in dropped:
                    del prepared_request.headers[name]
                if dropped:
                    log.warning("redirected from %s to another host, %s: not forwarding %s",
                                redact(response.request.url), redact(prepared_request.url), ", ".join(dropped))

    return KeySafeSession()


class _Deadline:
    """A watchdog for one attempt: when ``seconds`` pass it shuts down every socket the attempt uses,
    so a read blocked on a trickling server returns at once, and ``passed`` says why it did.

    The connections register themselves (``_watched``) with the watchdog of their thread.
    """

    _current = threading.local()

    def __init__(self, seconds: float):
        self.passed = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []  # second descriptors of each new socket, ours to close
        self._connections: list[Any] = []  # connections reused from the pool
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    @classmethod
    def active(cls) -> _Deadline | None:
        return getattr(cls._current, "deadline", None)

    def __enter__(self) -> _Deadline:
        self._current.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        self._current.deadline = None
        with self._lock:
            self._connections.clear()
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def watch_socket(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.passed:
                _shut(sock)

    def watch_connection(self, connection: Any) -> None:
        with self._lock:
            self._connections.append(connection)
            if self.passed:
                _shut(connection.sock)

    def _fire(self) -> None:
        with self._lock:
            self.passed = True
            for sock in [*self._sockets, *(c.sock for c in self._connections)]:
                _shut(sock)


def _shut(sock: socket.socket | None) -> None:
    try:
        if sock is not None:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:  # already closed, or a socket handed over to TLS (its second descriptor is shut instead)
        pass


@cache
def _deadline_adapter() -> type:
    """An ``HTTPAdapter`` whose connections register with the ``_Deadline`` of the calling thread."""
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    class Watched:
        def _new_conn(self):
            sock = super()._new_conn()
            deadline = _Deadline.active()
            if deadline is not None:
                # a second descriptor of the same socket: it can be shut down even while TLS, which
                # takes the first one over, is still shaking hands
                deadline.watch_socket(sock.dup())
            return sock

        def request(self, *args, **kwargs):
            deadline = _Deadline.active()
            if deadline is not None and self.sock is not None:  # a connection kept alive from earlier
                deadline.watch_connection(self)
            return super().request(*args, **kwargs)

    class Connection(Watched, HTTPConnection):
        pass

    class TLSConnection(Watched, HTTPSConnection):
        pass

    class Pool(HTTPConnectionPool):
        ConnectionCls = Connection

    class TLSPool(HTTPSConnectionPool):
        ConnectionCls = TLSConnection

    pools = {"http": Pool, "https": TLSPool}

    class DeadlineAdapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = pools

        def proxy_manager_for(self, proxy, **proxy_kwargs):
            manager = super().proxy_manager_for(proxy, **proxy_kwargs)
            if not proxy.lower().startswith("socks"):  # SOCKS managers bring their own connection classes
                manager.pool_classes_by_scheme = pools
            return manager

    return DeadlineAdapter


def _describe(exc: Exception) -> str:
    import requests

    if isinstance(exc, requests.exceptions.ReadTimeout):
        return "read timeout"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connect timeout"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "incomplete body (connection closed before the declared length)"
    if isinstance(exc, requests.exceptions.ConnectionError) and "timed out" in str(exc).lower():
        return "read timeout"
    return "connection error"
