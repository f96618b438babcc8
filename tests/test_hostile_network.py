"""Hostile answers from the network: redirects to other hosts, credentials in error bodies and in data.

Every server is a replay server on 127.0.0.1; a second one stands in for another host (a cloud
metadata address such as 169.254.169.254)."""

from __future__ import annotations

import json

import pytest

from claimcheck.reference import snapshots
from claimcheck.reference.http import SourceError
from conftest import ReplayServer, Reply

FAKE_CLOUD = {"Code": "Success", "AccessKeyId": "ASIAFAKEFAKEFAKE1234", "SecretAccessKey": "fakeSecretKey/abc+def0123",
              "Token": "FAKETOKENvalue0123456789"}


@pytest.fixture
def other_host():
    with ReplayServer() as server:
        yield server


def test_a_redirect_to_another_host_is_not_followed(replay_server, other_host, http):
    replay_server.script("/data", Reply(302, b"", {"Location": other_host.url + "/latest/meta-data/credentials"}))
    other_host.script("/latest/meta-data/credentials", Reply(200, json.dumps(FAKE_CLOUD).encode()))
    with pytest.raises(SourceError) as raised:
        http.get_json(replay_server.url + "/data")
    assert other_host.requests == []
    text = str(raised.value)
    assert "another host: not followed" in text and "hosts:" in text and "\n" not in text
    assert not any(value in text for value in FAKE_CLOUD.values() if value != "Success")


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://127.0.0.1/x", "http://127.0.0.2/x"])
def test_a_redirect_to_another_scheme_or_address_is_not_followed(replay_server, http, location):
    replay_server.script("/data", Reply(301, b"", {"Location": location}))
    with pytest.raises(SourceError, match="not followed"):
        http.get_json(replay_server.url + "/data")


def test_a_redirect_within_the_host_is_followed(replay_server, http):
    replay_server.script("/data", Reply(302, b"", {"Location": "/v2/data"}))
    replay_server.script("/v2/data", Reply(200, b"[1]"))
    assert http.get_json(replay_server.url + "/data") == [1]


def test_a_redirect_to_a_host_the_catalogue_declares_is_followed(replay_server, other_host, data_copy,
                                                                  monkeypatch, api_samples, http):
    from test_sources_imf import DATA_PATH, IMTS_XML

    monkeypatch.setenv("CLAIMCHECK_IMF_URL", replay_server.url + "/external/sdmx/3.0")
    path = DATA_PATH + "CHN.XG_FOB_USD+MG_CIF_USD.BEL.M"
    replay_server.script(path, Reply(302, b"", {"Location": other_host.url + "/mirror" + path}))
    other_host.script("/mirror" + path, Reply.file(api_samples / "imf" / IMTS_XML, content_type="application/xml"))
    with pytest.raises(SourceError, match="not followed"):
        snapshots.refresh("imf", "imts_china_belgium_monthly", http=http)
    assert other_host.requests == []
    catalogue = data_copy / "reference" / "catalogue" / "imf.yaml"
    catalogue.write_text(f"hosts: [{other_host.url.removeprefix('http://')}]\n" + catalogue.read_text())
    assert snapshots.refresh("imf", "imts_china_belgium_monthly", http=http).frame.size
    assert http.allowed_hosts == set()  # the source's hosts are allowed for its own fetch only


def test_a_catalogue_hosts_field_that_is_not_host_names_is_refused(data_copy):
    from claimcheck.reference.catalogue import CatalogueError, load_catalogue

    catalogue = data_copy / "reference" / "catalogue" / "imf.yaml"
    catalogue.write_text("hosts: ['http://x/ y']\n" + catalogue.read_text())
    with pytest.raises(CatalogueError, match="imf.yaml: field hosts"):
        load_catalogue()


@pytest.mark.parametrize("body", [json.dumps(FAKE_CLOUD),
                                  "<Error><SecretAccessKey>fakeSecretKey/abc+def0123</SecretAccessKey>"
                                  "<Token>FAKETOKENvalue0123456789</Token><AccessKeyId>ASIAFAKEFAKEFAKE1234</AccessKeyId></Error>",
                                  "denied: token=FAKETOKENvalue0123456789&x=1 Authorization: Bearer ASIAFAKEFAKEFAKE1234"])
def test_a_failed_requests_body_is_quoted_short_with_credentials_blanked(replay_server, http, body):
    replay_server.script("/data", Reply(403, (body + " padding" * 400).encode()))
    with pytest.raises(SourceError) as raised:
        http.get_json(replay_server.url + "/data")
    text = str(raised.value)
    assert "[redacted]" in text and len(raised.value.reason) < 220
    for secret in ("ASIAFAKEFAKEFAKE1234", "fakeSecretKey", "FAKETOKENvalue"):
        assert secret not in text


# ------------------------------------------------------------------------------ credentials in data

KEY = "cc-echo-key-0f9e8d7c6b5a4321"


def comtrade_entry(data_copy) -> None:
    """A catalogue entry asking what the real recording answers (annual 2010, China with three partners)."""
    catalogue = data_copy / "reference" / "catalogue" / "comtrade.yaml"
    catalogue.write_text(catalogue.read_text() + """
  recorded_2010:
    title: China with Argentina, West Germany and Germany, 2010
    unit: USD
    for: the recording
    query: {typeCode: C, freqCode: A, clCode: HS, reporterCode: "156", partnerCode: "32,280,276", flowCode: "M,X",
            cmdCode: TOTAL, start: "2010", end: "2010", motCode: "0", partner2Code: "0", customsCode: C00}
""")


def test_a_refresh_whose_data_echo_the_key_is_refused_and_stores_nothing(replay_server, data_copy, monkeypatch,
                                                                          api_samples, http):
    monkeypatch.setenv("CLAIMCHECK_COMTRADE_URL", replay_server.url)
    monkeypatch.setenv("COMTRADE_API_KEY", KEY)
    comtrade_entry(data_copy)
    body = (api_samples / "comtrade" / "get_C_A_HS_reporter156_partners32-280-276_2010.json").read_text()
    replay_server.script("/data/v1/get/C/A/HS", Reply(200, body.replace('"Argentina"', f'"Argentina {KEY}"')
                                                      .replace('"ARG"', f'"AR{KEY}"').encode()))
    with pytest.raises(snapshots.SnapshotInvalid, match="holds a credential sent with the request") as raised:
        snapshots.refresh("comtrade", "recorded_2010", http=http)
    assert KEY not in str(raised.value)
    assert not (data_copy / "reference" / "comtrade" / "recorded_2010").exists()
    for path in (data_copy / "reference").rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
    # the same answer without the echo is stored
    replay_server.script("/data/v1/get/C/A/HS", Reply(200, body.encode()))
    assert len(snapshots.refresh("comtrade", "recorded_2010", http=http).frame) == 4


def test_a_sidecar_never_holds_a_credential_sent(data_copy):
    from claimcheck.reference.http import remember_secret

    remember_secret(KEY)
    meta = snapshots.render_meta({"source": "x", "notes": f"served for {KEY}"})
    assert KEY.encode() not in meta and b"[redacted]" in meta


def test_an_api_error_message_is_quoted_short_on_one_line_with_credentials_blanked(replay_server, http):
    message = "denied\n" + json.dumps(FAKE_CLOUD) + " more" * 300
    replay_server.script("/data", Reply(200, json.dumps([{"message": message}]).encode()))
    with pytest.raises(SourceError) as raised:
        http.get_json(replay_server.url + "/data", check=lambda body: body[0]["message"])
    reason = raised.value.reason
    assert len(reason) <= SourceError.MAX_REASON and "\n" not in reason and "[redacted]" in reason
    for secret in ("ASIAFAKEFAKEFAKE1234", "fakeSecretKey", "FAKETOKENvalue"):
        assert secret not in str(raised.value)
