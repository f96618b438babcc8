"""Debian's headless Chromium for tests: the DOM of a file:// page after its scripts ran, and whether any did.

A test puts ``hostile("title")`` (or ``HOSTILE_IMG``-style payloads) into data, renders its pages, and
asks ``browser.scripts_ran(page)``: each payload that executes writes its label into a marker element
of the DOM, so an empty list means no script from data ran. The ``browser`` fixture (re-exported by
conftest.py) skips, saying why, only when ``/usr/bin/chromium`` is missing and cannot be installed
(``.ci/run`` installs it with apt-get).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

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


class Browser:
    """Runs ``chromium --headless --dump-dom`` with a fresh profile folder for every page."""

    def __init__(self, executable: Path = CHROMIUM, timeout: float = 60.0) -> None:
        self.executable = executable
        self.timeout = timeout

    def dump_dom(self, page: Path, fragment: str = "", flags: tuple[str, ...] = ()) -> str:
        """The serialised DOM of ``page`` (a file, opened at ``#fragment``) after it loaded and its scripts ran;
        ``flags`` add to Chromium's (``--window-size=390,844``)."""
        return self._run(page, fragment, ("--dump-dom", *flags)).stdout

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
def browser() -> Browser:
    """A headless Chromium; skips with the reason only when Chromium is not installed."""
    executable, reason = chromium_or_reason()
    if executable is None:
        pytest.skip(reason)
    return Browser(executable)
