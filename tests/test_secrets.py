"""A key never leaves the process: not to another host on a redirect, not through an error that echoes it.

The hostile answers here are faults injected by the test (a redirect to another host, a 401 whose
message repeats the key), shaped like the real gateway answer in api-samples/comtrade.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from claimcheck.reference import snapshots
from claimcheck.reference.http import SourceError
from claimcheck.reference.sources.comtrade import KEY_HEADER, Comtrade
from conftest import REPO, ReplayServer, Reply
from test_sources_comtrade import DATA, RECORDED_SPEC

KEY = "cc-test-key-5d1e8a0b7c2f4963"
COMTRADE_PATH = "/data/v1/get/C/A/HS"
SEED = "china-belgium-ties-2023-02-26"


def echo_401(key: str = KEY) -> Reply:
    """A gateway 401 that repeats the key it was sent (the real body's shape, a hostile message)."""
    body = json.dumps({"statusCode": 401, "message": f"Access denied, key {key}"}).encode()
    return Reply(401, body, {"Content-Type": "application/json"})


@pytest.fixture
def keyed(monkeypatch, replay_server):
    monkeypatch.setenv("CLAIMCHECK_COMTRADE_URL", replay_server.url)
    monkeypatch.setenv("COMTRADE_API_KEY", KEY)
    return replay_server


@pytest.fixture
def other_host():
    with ReplayServer() as server:
        yield server


def test_a_redirect_to_another_host_does_not_carry_the_key(keyed, other_host, api_samples, http, caplog):
    http.allowed_hosts = {other_host.url.removeprefix("http://")}  # declared, else not followed at all
    keyed.script(COMTRADE_PATH, Reply(302, b"", {"Location": other_host.url + COMTRADE_PATH + "?moved=1"}))
    other_host.script(COMTRADE_PATH, Reply.file(api_samples / "comtrade" / DATA))
    frame, _ = Comtrade().fetch(RECORDED_SPEC, http)
    assert len(frame) == 4
    assert keyed.requests_to(COMTRADE_PATH)[0].headers[KEY_HEADER] == KEY
    (moved,) = other_host.requests_to(COMTRADE_PATH)
    assert KEY_HEADER not in moved.headers and KEY not in json.dumps(moved.headers)
    assert "not forwarding Ocp-Apim-Subscription-Key" in caplog.text and KEY not in caplog.text


def test_a_redirect_on_the_same_host_keeps_the_key(keyed, api_samples, http):
    keyed.script(COMTRADE_PATH, Reply(302, b"", {"Location": "/moved" + COMTRADE_PATH}))
    keyed.script("/moved" + COMTRADE_PATH, Reply.file(api_samples / "comtrade" / DATA))
    Comtrade().fetch(RECORDED_SPEC, http)
    assert keyed.requests_to("/moved" + COMTRADE_PATH)[0].headers[KEY_HEADER] == KEY


def test_any_credential_header_is_dropped_across_hosts_and_only_plain_ones_follow(replay_server, other_host, http):
    http.allowed_hosts = {other_host.url.removeprefix("http://")}
    replay_server.script("/a", Reply(301, b"", {"Location": other_host.url + "/b"}))
    other_host.script("/b", Reply(200, b"[]"))
    http.get_json(replay_server.url + "/a", headers={"X-Api-Key": "k-123456", "Accept": "application/json"})
    (request,) = other_host.requests_to("/b")
    assert "X-Api-Key" not in request.headers and request.headers["Accept"] == "application/json"


def test_the_sidecar_records_the_url_that_actually_served_the_data(replay_server, other_host, data_copy,
                                                                    monkeypatch, api_samples, http):
    from test_sources_imf import DATA_PATH, IMTS_XML

    monkeypatch.setenv("CLAIMCHECK_IMF_URL", replay_server.url + "/external/sdmx/3.0")
    catalogue = data_copy / "reference" / "catalogue" / "imf.yaml"  # the mirror, declared by the source
    catalogue.write_text(f"hosts: [{other_host.url.removeprefix('http://')}]\n" + catalogue.read_text())
    path = DATA_PATH + "CHN.XG_FOB_USD+MG_CIF_USD.BEL.M"
    replay_server.script(path, Reply(302, b"", {"Location": other_host.url + "/mirror" + path}))
    other_host.script("/mirror" + path, Reply.file(api_samples / "imf" / IMTS_XML, content_type="application/xml"))
    stored = snapshots.refresh("imf", "imts_china_belgium_monthly", http=http)
    meta = yaml.safe_load(snapshots.version_paths("imf", "imts_china_belgium_monthly", stored.version)[1].read_text())
    assert meta["url"].startswith(replay_server.url + path)
    assert len(meta["served_from"]) == 1 and meta["served_from"][0].startswith(other_host.url + "/mirror" + path)


def test_a_401_that_echoes_the_key_gives_an_error_without_it(keyed, http):
    keyed.script(COMTRADE_PATH, echo_401())
    with pytest.raises(SourceError) as caught:
        Comtrade().fetch(RECORDED_SPEC, http)
    text = f"{caught.value} {caught.value.reason} {caught.value.url} {caught.value!r}"
    assert caught.value.status == 401 and "Access denied, key [redacted]" in text
    assert KEY not in text


def test_an_echoed_key_is_redacted_url_encoded_too(replay_server, http):
    secret = "k3y/with+odd=chars"
    replay_server.script("/x", Reply(403, f"denied for k3y%2Fwith%2Bodd%3Dchars and {secret}".encode()))
    with pytest.raises(SourceError) as caught:
        http.get(replay_server.url + "/x", headers={"Ocp-Apim-Subscription-Key": secret})
    assert "k3y" not in str(caught.value) and "[redacted]" in str(caught.value)



def test_a_real_run_against_a_gateway_that_echoes_the_key_leaks_it_nowhere(replay_server, tmp_path):
    """``claimcheck run --refresh`` with every source pointed at a local server that refuses the key."""
    import shutil

    data, build = tmp_path / "data", tmp_path / "build"
    shutil.copytree(REPO / "data", data)
    build.mkdir()
    for path in ("/data/v1/get/C/M/HS", "/data/v1/get/C/A/HS"):
        replay_server.script(path, echo_401())
    env = {**os.environ, "CLAIMCHECK_DATA": str(data), "CLAIMCHECK_BUILD": str(build), "COMTRADE_API_KEY": KEY}
    env.pop("CLAIMCHECK_HISTORY", None)
    for name in ("WORLDBANK", "COMTRADE", "IMF", "EUROSTAT", "WIKIDATA", "OWID"):
        env[f"CLAIMCHECK_{name}_URL"] = replay_server.url  # every other path answers 404: no real host is reached
    done = subprocess.run([sys.executable, "-m", "claimcheck", "run", "--article", SEED, "--refresh",
                           "--notebook", "trade", "--notebook", "scorecard"],
                          env=env, capture_output=True, text=True, timeout=600)
    comtrade = [r for r in replay_server.requests if r.path.startswith("/data/v1/get/")]
    assert comtrade and all(r.headers.get(KEY_HEADER) == KEY for r in comtrade)  # the key was sent, and echoed
    assert KEY not in done.stdout + done.stderr
    files = [Path(folder) / name for folder, _, names in os.walk(build) for name in names]
    files += [Path(folder) / name for folder, _, names in os.walk(data / "reference") for name in names]
    assert any(p.suffix == ".ipynb" for p in files) and any(p.name == "verdicts.json" for p in files)
    leaked = [str(p) for p in files if KEY.encode() in p.read_bytes() or KEY[:12].encode() in p.read_bytes()]
    assert leaked == []
    verdicts = (build / SEED / "verdicts.json").read_text(encoding="utf-8")
    assert "Access denied, key [redacted]" in verdicts  # the error is reported, the key blanked
    # every failed source is said and counted, even where another evidence decided the claim
    failed = [line for line in done.stderr.splitlines() if line.startswith("FAILED evidence ")]
    assert any("OWID: HTTP error" in line for line in failed), done.stderr[-3000:]
    assert f"{len(failed)} evidence failed" in done.stdout and done.returncode == 1
