"""Bounds on every request: a total deadline (a body trickling in) and a maximum decoded size (a gzip bomb)."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import tracemalloc
import zlib

import pytest

from claimcheck.reference.http import HttpClient, SourceError
from conftest import Reply


class TrickleServer:
    """A raw socket server that sends its headers at once, then the body one byte per ``interval`` seconds;
    with ``trickle_head`` the status line and headers come one byte per ``interval`` too."""

    def __init__(self, body: bytes, interval: float, trickle_head: bool = False, head_pad: int = 0) -> None:
        self.body, self.interval, self.trickle_head = body, interval, trickle_head
        self.head_pad = head_pad  # bytes of an extra header, so a trickled head takes a while
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return "http://127.0.0.1:%d/slow" % self.sock.getsockname()[1]

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.recv(65536)
                pad = f"X-Padding: {'p' * self.head_pad}\r\n" if self.head_pad else ""
                head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{pad}"
                        f"Content-Length: {len(self.body)}\r\n\r\n").encode()
                try:
                    if not self.trickle_head:
                        conn.sendall(head)
                    for byte in (head if self.trickle_head else b"") + self.body:
                        if self.stop.is_set():
                            return
                        conn.sendall(bytes([byte]))
                        time.sleep(self.interval)
                except OSError:
                    continue  # the client gave up

    def __enter__(self) -> TrickleServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(5)
        self.sock.close()


def test_a_body_trickling_in_is_cut_at_the_total_deadline(http):
    body = b'{"values": [' + b"1," * 200 + b"1]}"
    client = HttpClient(timeout=(1, 1), deadline=1.0, max_retries=0)
    with TrickleServer(body, interval=0.05) as server:  # every byte well within the read timeout
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"total deadline of 1 s exceeded after \d+ bytes of the body") as caught:
            client.get_json(server.url)
        elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 3.0, elapsed
    assert "not retried" in str(caught.value)


def test_headers_trickling_in_are_cut_at_the_total_deadline():
    # 0.05 s a byte is well within the read timeout, so only the deadline can stop it; the whole head
    # takes about 6 s to arrive, and the body as long again
    client = HttpClient(timeout=(1, 1), deadline=1.0, max_retries=0)
    with TrickleServer(b'{"ok": true}', interval=0.05, trickle_head=True, head_pad=40) as server:
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"total deadline of 1 s exceeded before the status line and "
                                              r"headers were complete") as caught:
            client.get_json(server.url)
        elapsed = time.monotonic() - started
    assert 1.0 <= elapsed < 2.0, elapsed
    assert "not retried" in str(caught.value) and "/slow" in str(caught.value)


def test_a_slow_but_timely_answer_is_read_whole():
    # the same trickle, finished well before the deadline, is an ordinary answer
    client = HttpClient(timeout=(1, 1), deadline=10.0, max_retries=0)
    with TrickleServer(b'{"ok": true}', interval=0.002, trickle_head=True) as server:
        assert client.get_json(server.url) == {"ok": True}


def test_the_deadline_counts_each_attempt_from_its_start(replay_server):
    # a client reused after a slow answer gets its full deadline again, and no watchdog fires late
    client = HttpClient(timeout=(1, 1), deadline=1.0, max_retries=0)
    with TrickleServer(b'{"ok": true}', interval=0.05, trickle_head=True, head_pad=40) as server:
        with pytest.raises(SourceError, match="total deadline"):
            client.get(server.url)
    replay_server.script("/fast", Reply(200, b'{"n": 1}', {"Content-Type": "application/json"}))
    for _ in range(3):
        time.sleep(0.4)  # spans the first attempt's deadline: a watchdog left running would cut these
        assert client.get_json(replay_server.url + "/fast") == {"n": 1}


def test_a_gzip_bomb_stops_at_the_size_limit_without_decoding_it_all(replay_server):
    bomb = gzip.compress(b"0" * (50 * 1024 * 1024), compresslevel=9)  # 50 MB of zeros, about 50 KB on the wire
    assert len(bomb) < 100_000
    replay_server.script("/bomb", Reply(200, bomb, {"Content-Type": "application/json", "Content-Encoding": "gzip"}))
    client = HttpClient(max_bytes=1024 * 1024, max_retries=0)
    with pytest.raises(SourceError, match=r"decoded body over the limit of 1,048,576 bytes"):
        client.get(replay_server.url + "/bomb")


def test_an_announced_body_over_the_limit_is_refused_before_reading_it(replay_server):
    replay_server.script("/big", Reply(200, b"x" * 5000))
    with pytest.raises(SourceError, match="body of 5,000 bytes announced, over the limit of 4,096 bytes"):
        HttpClient(max_bytes=4096, max_retries=0).get(replay_server.url + "/big")
    assert len(replay_server.requests_to("/big")) == 1  # a limit is not retried


def test_a_gzip_body_within_the_limit_is_decoded_as_before(replay_server):
    replay_server.script("/ok", Reply(200, gzip.compress(b'{"ok": [1, 2, 3]}'),
                                      {"Content-Type": "application/json", "Content-Encoding": "gzip"}))
    assert HttpClient(max_bytes=1024, max_retries=0).get_json(replay_server.url + "/ok") == {"ok": [1, 2, 3]}


def test_a_body_that_is_not_the_gzip_it_claims_is_an_error(replay_server):
    replay_server.script("/bad", Reply(200, b"not gzip at all", {"Content-Encoding": "gzip"}))
    with pytest.raises(SourceError, match="could not be decoded"):
        HttpClient(max_retries=0).get(replay_server.url + "/bad")


def gzip_of_zeros(megabytes: int) -> bytes:
    """A gzip body of ``megabytes`` MB of zeros, compressed a megabyte at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
    block = b"0" * (1024 * 1024)
    return b"".join(packer.compress(block) for _ in range(megabytes)) + packer.flush()


def test_the_default_client_refuses_a_300_mb_bomb_holding_at_most_its_limit_in_memory(replay_server):
    bomb = gzip_of_zeros(300)
    replay_server.script("/bomb", Reply(200, bomb, {"Content-Type": "application/json", "Content-Encoding": "gzip"}))
    client = HttpClient(max_retries=0)
    tracemalloc.start()
    try:
        with pytest.raises(SourceError, match="decoded body over the limit of 67,108,864 bytes"):
            client.get(replay_server.url + "/bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(bomb) < 400_000 and peak < 2 * client.max_bytes, peak
