"""Shared fixtures: a network guard for every test, a scripted local replay server, data and sample folders."""

from __future__ import annotations

import fcntl
import ipaddress
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browser import browser  # noqa: F401 (the headless Chromium fixture, shared by the page tests)
from processes import short_runtime_dir

REPO = Path(__file__).resolve().parents[1]
SEED = "china-belgium-ties-2023-02-26"

# A run's notebooks in one worker and one kernel, unless a test asks for more: the suite's own
# processes (one per core) keep every core busy, and a second worker would only add the start of
# its kernel. The tests of parallel runs pass --workers 2; a run gives the same outputs either way.
os.environ.setdefault("CLAIMCHECK_WORKERS", "1")


# ------------------------------------------------------------------------------------ network guard


class NetworkBlocked(RuntimeError):
    """A test tried to reach a non-loopback address."""


_violations: list[str] = []
_network_allowed = {"on": False}  # True only while a test marked ``network`` runs


def _is_loopback(host: object) -> bool:
    if host in (None, "", "localhost", b"localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _guard(address: object, what: str) -> None:
    if isinstance(address, (str, bytes)) or _network_allowed["on"]:  # AF_UNIX path, or allowed
        return
    host = address[0] if isinstance(address, tuple) and address else address
    if not _is_loopback(host):
        _violations.append(f"{what} {address!r}")
        raise NetworkBlocked(f"test tried to reach a non-loopback address: {what} {address!r}")


@pytest.fixture(scope="session", autouse=True)
def network_guard():
    """Refuse, for the whole session, every connection and name lookup that is not loopback."""
    original_connect, original_connect_ex = socket.socket.connect, socket.socket.connect_ex
    original_create, original_getaddrinfo = socket.create_connection, socket.getaddrinfo

    def connect(sock, address):
        _guard(address, "connect")
        return original_connect(sock, address)

    def connect_ex(sock, address):
        _guard(address, "connect_ex")
        return original_connect_ex(sock, address)

    def create_connection(address, *args, **kwargs):
        _guard(address, "create_connection")
        return original_create(address, *args, **kwargs)

    def getaddrinfo(host, *args, **kwargs):
        _guard((host,), "getaddrinfo")
        return original_getaddrinfo(host, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", connect)
        patch.setattr(socket.socket, "connect_ex", connect_ex)
        patch.setattr(socket, "create_connection", create_connection)
        patch.setattr(socket, "getaddrinfo", getaddrinfo)
        yield


@pytest.fixture(autouse=True)
def fail_on_network_attempt(request):
    """Lift the guard for tests marked ``network``; fail any other test that tried, even if the error was swallowed."""
    live = request.node.get_closest_marker("network") is not None
    _network_allowed["on"] = live
    _violations.clear()
    yield
    _network_allowed["on"] = False
    if _violations:
        attempts = "; ".join(_violations)
        _violations.clear()
        pytest.fail(f"test opened a non-loopback connection: {attempts}")


# ------------------------------------------------------------------------------------ replay server


@dataclass
class Reply:
    """One scripted response: status, headers, body bytes, and a delay before anything is sent."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def file(cls, path: Path, status: int = 200, content_type: str = "application/json;charset=utf-8") -> Reply:
        return cls(status, path.read_bytes(), {"Content-Type": content_type})


@dataclass
class Received:
    """A request the server received."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    at: float


class ReplayServer:
    """A real HTTP server on 127.0.0.1 answering each path with its scripted replies, in order.

    ``script("/v2/x", r1, r2)`` serves r1 then r2 on that path, then r2 again. A key with a query
    (``"/v2/x?page=2"``) takes precedence for that exact query. Unscripted paths get a 404.
    """

    def __init__(self) -> None:
        self.scripts: dict[str, list[Reply]] = {}
        self.served: dict[str, int] = {}
        self.requests: list[Received] = []
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.01,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, key: str, *replies: Reply) -> None:
        self.scripts[key] = list(replies)
        self.served[key] = 0

    def requests_to(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]

    def _next_reply(self, path: str, query: str) -> Reply:
        with self._lock:
            key = f"{path}?{query}" if f"{path}?{query}" in self.scripts else path
            replies = self.scripts.get(key)
            if not replies:
                return Reply(404, b"no scripted reply for " + key.encode(), {"Content-Type": "text/plain"})
            index = min(self.served[key], len(replies) - 1)
            self.served[key] += 1
            return replies[index]

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server naming)
                parts = urlsplit(self.path)
                server.requests.append(
                    Received("GET", parts.path, parts.query, dict(self.headers.items()), time.monotonic())
                )
                reply = server._next_reply(parts.path, parts.query)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    headers = {"Content-Length": str(len(reply.body)), **reply.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a read timeout): nothing to answer

            def log_message(self, *args):  # keep test output quiet
                pass

        return Handler

    def __enter__(self) -> ReplayServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def replay_server():
    """A started ReplayServer; stopped after the test."""
    with ReplayServer() as server:
        yield server


@pytest.fixture
def http():
    """An HTTP client that neither retries nor sleeps, so a fault shows on the first request."""
    from claimcheck.reference.http import HttpClient

    with HttpClient(max_retries=0, sleep=lambda seconds: None) as client:
        yield client


# ------------------------------------------------------------------------------------ data and samples


def recorded_rows(frame):
    """The stored GDP rows a refresh from the recorded World Bank pages revises: Japan 2018 and 2019.

    The recordings also hold the Arab World, an aggregate whose values the seeded (later) vintage
    revised by more than 20% in 20 years, which the plausibility guard rightly refuses; stored
    without it, the Arab World arrives as a new series, which a refresh may add.
    """
    return frame[(frame["entity"] == "JPN") & frame["period"].astype(str).isin(["2018", "2019"])]


def drop_claims(claims_file: Path, first_id: str, next_id: str) -> None:
    """Remove the claims from ``first_id`` up to (not including) ``next_id`` from a registry, as text."""
    registry = claims_file.read_text(encoding="utf-8")
    start, end = registry.index(f"  - id: {first_id}"), registry.index(f"  - id: {next_id}")
    claims_file.write_text(registry[:start] + registry[end:], encoding="utf-8")


def shared_dir() -> Path:
    """The shared reference folder: ``CLAIMCHECK_SHARED`` or ``../shared`` next to the repository."""
    return Path(os.environ.get("CLAIMCHECK_SHARED", Path(__file__).resolve().parents[2] / "shared"))


# The real recorded API responses of shared/api-samples, kept with the tests so that a clone anywhere
# runs them (tests/api-samples/README.md gives each one's origin).
API_SAMPLES = Path(__file__).resolve().parent / "api-samples"


@pytest.fixture
def api_samples() -> Path:
    """The real recorded API responses."""
    return API_SAMPLES


def _copy_or_link(source: str, target: str) -> None:
    """Copy a file, but hard-link the large compressed snapshot versions (read-only to every test: a
    writer renames a new file over the link, never writes the file behind it; a test that damages one
    unlinks it first). Not a symbolic link: the suite refuses data that resolves outside its folder."""
    if source.endswith(".csv.gz"):
        try:
            os.link(source, target)
            return
        except OSError:  # another file system
            pass
    shutil.copy2(source, target)


def built_once(tmp_path_factory, name: str, build: Callable[[Path], object]) -> Path:
    """The folder ``name`` as ``build(folder)`` filled it, built once per test session however many
    pytest-xdist workers ask (its docs' "Making session-scoped fixtures execute only once"): the first
    builds it under a file lock beside the workers' own temporary folders, the others wait and reuse
    it. Tests only read it: one that changes what it is given works on its own copy."""
    if "PYTEST_XDIST_WORKER" not in os.environ:  # one process: its own folder, as a plain fixture's
        folder = tmp_path_factory.mktemp(name)
        build(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent  # this session's, shared by its workers
    folder, built = shared / name, shared / f"{name}.built"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also when the build fails
        if not built.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed build left
            folder.mkdir()
            build(folder)
            built.touch()
    return folder


def _run_the_seed_offline(build: Path) -> None:
    from claimcheck.cli import main

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMCHECK_BUILD", str(build))
        patch.delenv("CLAIMCHECK_HISTORY", raising=False)
        assert main(["run", "--article", SEED]) == 0


@pytest.fixture(scope="session")
def offline_build(tmp_path_factory) -> Path:
    """One full offline run of the seed article (every notebook, HTML included, its history in the
    folder), once for the session: read it, or copy it (``copytree(..., symlinks=True)``) to change it."""
    return built_once(tmp_path_factory, "offline-build", _run_the_seed_offline)


CHARTED = "bri-goods-trade-11-trillion"  # a claim with another reading whose notebooks draw charts


def _run_with_a_hostile_statement(root: Path) -> None:
    from browser import data_with_hostile_statement
    from claimcheck.cli import main

    data = data_with_hostile_statement(REPO, root / "data", SEED, CHARTED,
                                       "Goods trade with Belt and Road countries was $11 tn ")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMCHECK_DATA", str(data))
        patch.setenv("CLAIMCHECK_BUILD", str(root / "build"))
        assert main(["run", "--article", SEED, "--notebook", "documented", "--notebook", "scorecard", "--notebook", "economy",
                     "--site-url", "https://checks.example/"]) == 0


@pytest.fixture(scope="session")
def hostile_statement_build(tmp_path_factory) -> Path:
    """The build of a real run (the documented, scorecard and economy notebooks) of the seed article whose
    charted claim's statement carries script payloads, as a tampered registry would; once for the
    session, only read (a test that adds a page names it uniquely and removes it)."""
    return built_once(tmp_path_factory, "hostile-statement", _run_with_a_hostile_statement) / "build"


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A scratch copy of data/ that CLAIMCHECK_DATA points at, so tests never touch the committed files."""
    target = tmp_path / "data"
    shutil.copytree(REPO / "data", target, copy_function=_copy_or_link)
    monkeypatch.setenv("CLAIMCHECK_DATA", str(target))
    from claimcheck.reference import snapshots

    snapshots.forget_refreshes()
    yield target
    snapshots.forget_refreshes()


@pytest.fixture
def runtime_dir() -> Path:
    """An empty Jupyter runtime folder for a run's kernels, short enough for their IPC sockets
    wherever the test runs (``tmp_path`` inside a pytest-xdist worker is too deep)."""
    with short_runtime_dir() as folder:
        yield folder


def drafted(text: str, today):
    """``claimcheck draft``'s claims for ``text`` published on ``today``, by the number each covers;
    every drafted claim validates as it stands."""
    from claimcheck.draft.propose import draft_text, most_named
    from claimcheck.registry.claims import Claim

    claims = draft_text("t", text, today, None, most_named(text)).claims
    for one in claims:
        Claim.model_validate(one.fields)
    return {q.text: c.fields for c in claims for q in c.quantities}
