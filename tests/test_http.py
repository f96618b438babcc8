"""The HTTP layer: retries, Retry-After, timeouts, body-shape errors, redaction, and the network guard."""

from __future__ import annotations

import socket
import time
from datetime import datetime, timezone

import pytest
import requests

from claimcheck.reference.http import USER_AGENT, HttpClient, SourceError, redact, retry_after_seconds
from claimcheck.reference.sources.worldbank import error_message
from conftest import NetworkBlocked, Reply


def fast_client(**overrides) -> HttpClient:
    options = {"timeout": (1, 2), "max_retries": 2, "backoff": 0.001, "max_backoff": 0.01, "retry_after_cap": 0.3}
    return HttpClient(**{**options, **overrides})


def test_a_500_then_200_is_retried_and_succeeds(replay_server):
    replay_server.script("/data", Reply(500, b"busy"), Reply(200, b'{"ok": true}'))
    body = fast_client().get_json(f"{replay_server.url}/data")
    assert body == {"ok": True}
    assert len(replay_server.requests_to("/data")) == 2


def test_persistent_5xx_gives_up_after_max_retries_with_the_status(replay_server):
    replay_server.script("/data", Reply(503, b"<html><title>Down</title></html>"))
    with pytest.raises(SourceError) as caught:
        fast_client(max_retries=2).get(f"{replay_server.url}/data")
    assert caught.value.status == 503
    assert "Down" in str(caught.value)
    assert len(replay_server.requests_to("/data")) == 3


def test_429_retry_after_is_honoured_up_to_the_cap(replay_server):
    replay_server.script("/data", Reply(429, b"slow down", {"Retry-After": "1"}), Reply(200, b"[]"))
    client = fast_client(retry_after_cap=0.3)  # back-off alone would wait 0.001 s
    assert client.get_json(f"{replay_server.url}/data") == []
    first, second = replay_server.requests_to("/data")
    assert 0.3 <= second.at - first.at < 1.0


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2024, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Mon, 01 Jan 2024 12:00:30 GMT", now=now) == 30.0
    assert retry_after_seconds("Mon, 01 Jan 2024 11:00:00 GMT", now=now) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_a_read_timeout_is_retried_then_reported(replay_server):
    replay_server.script("/slow", Reply(200, b"[]", delay=0.6))
    client = fast_client(timeout=(1, 0.2), max_retries=1)
    with pytest.raises(SourceError, match="read timeout after 2 attempt"):
        client.get(f"{replay_server.url}/slow")
    assert len(replay_server.requests_to("/slow")) == 2


def test_a_body_shorter_than_its_content_length_is_an_error(replay_server):
    truncated = Reply(200, b'[{"page":1,"pages":2', {"Content-Length": "500", "Content-Type": "application/json"})
    replay_server.script("/cut", truncated)
    with pytest.raises(SourceError, match="incomplete body"):
        fast_client(max_retries=1).get_json(f"{replay_server.url}/cut")
    assert len(replay_server.requests_to("/cut")) == 2


def test_malformed_json_is_an_error_that_shows_the_body(replay_server):
    replay_server.script("/bad", Reply(200, b'[{"page":1,', {"Content-Type": "application/json"}))
    with pytest.raises(SourceError, match="malformed JSON") as caught:
        fast_client().get_json(f"{replay_server.url}/bad")
    assert caught.value.status == 200
    assert len(replay_server.requests_to("/bad")) == 1


def test_an_empty_body_is_an_error_unless_allowed(replay_server):
    replay_server.script("/empty", Reply(200, b""))
    with pytest.raises(SourceError, match="empty response body"):
        fast_client().get_json(f"{replay_server.url}/empty")
    assert fast_client().get(f"{replay_server.url}/empty", allow_empty=True).status_code == 200


def test_the_world_bank_http_200_error_body_is_an_error(replay_server, api_samples):
    sample = api_samples / "worldbank/error_120_invalid_value_http200.json"
    replay_server.script("/wb", Reply.file(sample))
    with pytest.raises(SourceError, match="120 Invalid value: The provided parameter value is not valid") as caught:
        fast_client().get_json(f"{replay_server.url}/wb", check=error_message)
    assert caught.value.status == 200


def test_the_world_bank_html_400_page_is_an_error_with_its_text(replay_server, api_samples):
    sample = api_samples / "worldbank/error_http400_invalid_source.html"
    replay_server.script("/wb", Reply.file(sample, 400, "text/html"))
    with pytest.raises(SourceError, match="Request Error") as caught:
        fast_client().get_json(f"{replay_server.url}/wb", params={"format": "json"})
    assert caught.value.status == 400
    assert "<" not in caught.value.reason and "\ufeff" not in caught.value.reason
    assert len(replay_server.requests_to("/wb")) == 1  # a 4xx is not retried


def test_requests_carry_the_descriptive_user_agent(replay_server):
    replay_server.script("/ua", Reply(200, b"{}"))
    fast_client().get_json(f"{replay_server.url}/ua")
    assert replay_server.requests[0].headers["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("claimcheck/") and "+https://github.com/claimcheck" in USER_AGENT


def test_redact_removes_secret_parameters_and_credentials():
    url = "https://u:pw@comtradeapi.un.org/data?reporterCode=156&subscription-key=SECRET&Token=T&period=2021"
    clean = redact(url)
    assert "SECRET" not in clean and "T&" not in clean and "pw" not in clean
    assert clean == "https://comtradeapi.un.org/data?reporterCode=156&period=2021"
    assert redact("https://api.worldbank.org/v2/country/JPN;USA/indicator/X?date=2018:2019") == (
        "https://api.worldbank.org/v2/country/JPN;USA/indicator/X?date=2018:2019"
    )


def test_a_source_error_never_shows_a_key(replay_server):
    replay_server.script("/k", Reply(401, b'{ "statusCode": 401 }'))
    with pytest.raises(SourceError) as caught:
        fast_client().get(f"{replay_server.url}/k", params={"apikey": "SECRET", "q": "1"})
    assert "SECRET" not in str(caught.value) and "SECRET" not in caught.value.url
    assert caught.value.url.endswith("/k?q=1")


def test_a_connection_refused_is_retried_then_reported():
    with socket.socket() as probe:  # a loopback port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    start = time.monotonic()
    with pytest.raises(SourceError, match="connection error after 3 attempt"):
        fast_client().get(f"http://127.0.0.1:{port}/x")
    assert time.monotonic() - start < 2


def test_the_network_guard_refuses_non_loopback_addresses():
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)  # TEST-NET-1, never routed
    from conftest import _violations

    _violations.clear()  # this test provoked the violation on purpose


def test_the_guard_also_catches_requests_that_swallow_the_error():
    try:
        requests.get("http://192.0.2.1/", timeout=0.1)
    except Exception:  # code under test that hides the failure
        pass
    from conftest import _violations

    assert _violations  # fail_on_network_attempt would fail an ordinary test here
    _violations.clear()
