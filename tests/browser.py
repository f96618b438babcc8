"""Debian's headless Chromium for tests: the DOM of a file:// page after its scripts ran, and whether any did.

A test puts ``hostile("title")`` (or ``HOSTILE_IMG``-style payloads) into data, renders its pages, and
asks ``browser.scripts_ran(page)``: each payload that executes writes its label into a marker element
of the DOM, so an empty list means no script from data ran. The ``browser`` fixture (re-exported by
conftest.py) skips, saying why, only when ``/usr/bin/chromium`` is missing and cannot be installed
(``.ci/run`` installs it with apt-get).

Starting Chromium costs seconds; loading a page in one already running costs a fraction of one. So a
page is dumped in the test process's one Chromium, in a browser context of its own (an incognito-like
profile that shares no storage with any other page), as ``--dump-dom`` would dump it; a fresh process
per page remains for what that cannot do (a screenshot, a served page, other flags).
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import websocket

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
MARKER_ID = "cc-script-ran"
_RAN = re.compile(r'data-cc-ran="([^"]*)"')


def _mark(label: str) -> str:
    """JavaScript that records ``label`` on <html data-cc-ran> and in a marker element, so the DOM dump shows it."""
    return (
        "(function(){var h=document.documentElement;"
        f"h.setAttribute('data-cc-ran',(h.getAttribute('data-cc-ran')||'')+'{label};');"
        f"var m=document.createElement('i');m.id='{MARKER_ID}';m.textContent='{label}';"
        "(document.body||h).appendChild(m);})()"
    )


def hostile(label: str) -> str:
    """A text holding three script payloads, reported as ``label:script``, ``label:img`` and ``label:svg`` if they run."""
    return (
        f"{label} <script>{_mark(label + ':script')}</script>"
        f"<img src=x onerror=\"{_mark(label + ':img')}\">"
        f"<svg onload=\"{_mark(label + ':svg')}\"></svg> \"quoted\" & 'apostrophe' </textarea></title>--> ]]>"
    )


def data_with_hostile_statement(repo: Path, target: Path, article: str, claim_id: str, prefix: str = "") -> Path:
    """A copy of ``repo/data`` at ``target`` in which claim ``claim_id``'s statement (``prefix`` kept
    in front) carries ``hostile("statement")``, as a tampered registry would."""
    shutil.copytree(repo / "data", target)
    claims = target / "articles" / article / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    # the statement on its line, or folded over the lines indented below it (``>-``)
    old = re.search(rf"- id: {claim_id}\n(?:.*\n)*?    (statement: (?:[>|]-?\n(?:      .*\n)+|.*\n))", text).group(1)
    new = json.dumps(prefix + hostile("statement"))
    claims.write_text(text.replace(old, f"statement: {new}\n", 1), encoding="utf-8")
    return target


# what ``--dump-dom`` prints: the doctype, then the document's outer HTML
DUMP = ("(document.doctype ? new XMLSerializer().serializeToString(document.doctype) + '\\n' : '')"
        " + document.documentElement.outerHTML")
_SIZE, _BUDGET = re.compile(r"--window-size=(\d+),(\d+)$"), re.compile(r"--virtual-time-budget=(\d+)$")


class DevTools:
    """One connection to a running Chromium's DevTools: a command's result, and the events that came meanwhile."""

    def __init__(self, url: str, timeout: float) -> None:
        self.socket = websocket.create_connection(url, timeout=timeout, suppress_origin=True)
        self.calls = 0
        self.events: list[dict] = []

    def send(self, method: str, session: str | None = None, **params) -> dict:
        self.calls += 1
        self.socket.send(json.dumps({"id": self.calls, "method": method, "params": params,
                                     **({"sessionId": session} if session else {})}))
        while (message := json.loads(self.socket.recv())).get("id") != self.calls:
            self.events.append(message)
        if "error" in message:
            raise RuntimeError(f"chromium refused {method}: {message['error']}")
        return message.get("result", {})

    def evaluate(self, session: str, expression: str):
        """The value of ``expression`` in the page of ``session``."""
        return self.send("Runtime.evaluate", session, expression=expression, returnByValue=True)["result"].get("value")

    def wait_for(self, event: str, session: str) -> dict:
        """The first ``event`` of ``session``, waited for (the socket's timeout bounds the wait)."""
        while True:
            for message in self.events:
                if message.get("method") == event and message.get("sessionId") == session:
                    return message
            self.events.clear()
            self.events.append(json.loads(self.socket.recv()))


class Browser:
    """Dumps a page's DOM as ``chromium --headless --dump-dom`` does, in a fresh profile for every page."""

    def __init__(self, executable: Path = CHROMIUM, timeout: float = 60.0) -> None:
        self.executable = executable
        self.timeout = timeout
        self._process: subprocess.Popen | None = None
        self._profile: Path | None = None
        self._endpoint = ""
        self._starting = threading.Lock()

    def dump_dom(self, page: Path, fragment: str = "", flags: tuple[str, ...] = ()) -> str:
        """The serialised DOM of ``page`` (a file, opened at ``#fragment``) after it loaded and its scripts ran;
        ``flags`` add to Chromium's (``--window-size=390,844``, ``--virtual-time-budget=8000``)."""
        url = Path(page).resolve().as_uri() + (f"#{fragment}" if fragment else "")
        sizes, budgets = [_SIZE.match(f) for f in flags], [_BUDGET.match(f) for f in flags]
        if all(size or budget for size, budget in zip(sizes, budgets)):
            size = next((tuple(map(int, m.groups())) for m in sizes if m), None)
            budget = next((int(m.group(1)) for m in budgets if m), 0)
            return self._dump_in_running_browser(url, size, budget)
        return self._run(page, fragment, ("--dump-dom", *flags)).stdout

    def _dump_in_running_browser(self, url: str, size: tuple[int, int] | None, budget: int) -> str:
        """``url`` loaded in a new browser context of the running Chromium: sized as ``--window-size`` sizes
        the window, its timers run as ``--virtual-time-budget`` runs them, then its DOM as ``--dump-dom``
        prints it."""
        tools = DevTools(self._running(), self.timeout)
        context = tools.send("Target.createBrowserContext")["browserContextId"]
        try:
            target = tools.send("Target.createTarget", url="about:blank", browserContextId=context)["targetId"]
            session = tools.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            if size:
                tools.send("Emulation.setDeviceMetricsOverride", session, width=size[0], height=size[1],
                           deviceScaleFactor=1, mobile=False)
            tools.send("Page.navigate", session, url=url)
            deadline = time.monotonic() + self.timeout
            while not tools.evaluate(session, f"document.readyState === 'complete' && location.href === {json.dumps(url)}"):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"chromium could not load {url} within {self.timeout} s")
                time.sleep(0.02)
            if budget:  # the page's timers, fast-forwarded, until that much time would have passed
                tools.send("Emulation.setVirtualTimePolicy", session, policy="pauseIfNetworkFetchesPending",
                           budget=budget)
                tools.wait_for("Emulation.virtualTimeBudgetExpired", session)
            return tools.evaluate(session, DUMP)
        finally:
            tools.send("Target.disposeBrowserContext", browserContextId=context)  # closes its page
            tools.socket.close()

    def _running(self) -> str:
        """The DevTools address of this process's Chromium, started on first use (again if it died)."""
        with self._starting:
            if self._process is None or self._process.poll() is not None:
                self.close()
                self._profile = Path(tempfile.mkdtemp(prefix="cc-chromium-"))
                active = self._profile / "DevToolsActivePort"
                self._process = subprocess.Popen(
                    [str(self.executable), *FLAGS, f"--user-data-dir={self._profile}", "--remote-debugging-port=0",
                     "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
                deadline = time.monotonic() + self.timeout
                while not (active.exists() and len(active.read_text().split()) == 2):
                    if self._process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"chromium's DevTools did not answer (exit {self._process.poll()})")
                    time.sleep(0.05)
                port, path = active.read_text().split()
                self._endpoint = f"ws://127.0.0.1:{port}{path}"
                owner = os.getpid()  # a forked child that exits normally must leave its parent's Chromium alone
                atexit.register(lambda: os.getpid() == owner and self.close())  # also without the fixture's teardown
            return self._endpoint

    def close(self) -> None:
        """End this process's Chromium and everything it started, and remove its profile."""
        if self._process is not None:
            if self._process.poll() is None:
                os.killpg(self._process.pid, signal.SIGTERM)
                try:
                    self._process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(self._process.pid, signal.SIGKILL)
                    self._process.wait()
            self._process = None
        if self._profile is not None:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    def dump_url(self, url: str, flags: tuple[str, ...] = ()) -> str:
        """The serialised DOM of the page at ``url`` (a served page, such as JupyterLab's)."""
        return self._run_url(url, ("--dump-dom", *flags), str(url)).stdout

    def screenshot(self, page: Path, out: Path, width: int, height: int) -> Path:
        """A PNG of ``page`` in a ``width`` × ``height`` window."""
        self._run(page, "", (f"--window-size={width},{height}", "--hide-scrollbars", f"--screenshot={out}"), dom=False)
        return Path(out)

    def _run(self, page: Path, fragment: str, extra: tuple[str, ...], dom: bool = True):
        url = Path(page).resolve().as_uri() + (f"#{fragment}" if fragment else "")
        return self._run_url(url, extra, page, dom)

    def _run_url(self, url: str, extra: tuple[str, ...], page, dom: bool = True):
        with tempfile.TemporaryDirectory(prefix="cc-chromium-") as profile:
            done = subprocess.run(
                [str(self.executable), *FLAGS, f"--user-data-dir={profile}", *extra, url],
                capture_output=True, text=True, timeout=self.timeout,
            )
        if done.returncode != 0 or (dom and "<html" not in done.stdout.lower()):
            raise RuntimeError(f"chromium could not load {page} (exit {done.returncode}): {done.stderr[-2000:]}")
        return done

    def scripts_ran(self, page: Path) -> list[str]:
        """The labels (``title:script``…) of every ``hostile`` payload that executed in ``page`` (empty: none ran)."""
        return ran_in(self.dump_dom(page))


def ran_in(dom: str) -> list[str]:
    """The labels of every ``hostile`` payload that executed in the page ``dom`` was dumped from."""
    labels = [label for found in _RAN.findall(dom) for label in found.split(";") if label]
    labels += re.findall(rf'id="{MARKER_ID}"[^>]*>([^<]*)<', dom)
    return sorted(set(labels))


def chromium_or_reason() -> tuple[Path | None, str]:
    """The Chromium executable, or None and why it is unavailable."""
    if CHROMIUM.exists():
        return CHROMIUM, ""
    found = shutil.which("chromium")
    if found:
        return Path(found), ""
    return None, f"{CHROMIUM} is not installed and could not be (run .ci/run as root, or: apt-get install -y chromium)"


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium, one per test process; skips with the reason only when Chromium is not installed."""
    executable, reason = chromium_or_reason()
    if executable is None:
        pytest.skip(reason)
    running = Browser(executable)
    yield running
    running.close()
