"""Request heads against a real `quietwire serve`: size, field count and time are capped on
every listener, so a header flood or a slowloris cannot hold memory or a connection; a
taken port is named with the way to change it."""

from __future__ import annotations

import select
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from tests.support.server import RunningServer, init_and_serve, run_cli

HEAD_TIMEOUT_S = 2  # the test instance's header_timeout_seconds (the default is 30)


@pytest.fixture
def served(
    tmp_path: Path, database_url: str, editor_key: tuple[Path, str]
) -> Iterator[RunningServer]:
    env = {"QUIETWIRE_HEADER_TIMEOUT_SECONDS": str(HEAD_TIMEOUT_S)}
    with init_and_serve(tmp_path / "instance", editor_key[1], database_url, env) as server:
        yield server


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=15)


def _answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    got = b""
    while chunk := sock.recv(65536):
        got += chunk
    return got


def _stream_head(sock: socket.socket, field_bytes: int) -> None:
    """Send a request head with one field of `field_bytes`, stopping when refused."""
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Flood: ")
    piece = b"a" * 65536
    with pytest.raises((BrokenPipeError, ConnectionResetError)):  # closed before the end
        for _ in range(field_bytes // len(piece)):
            sock.sendall(piece)
        time.sleep(1)
        sock.sendall(piece)


def _send_until_answered(sock: socket.socket, pieces: Iterator[bytes], pause: float) -> bytes:
    """Send `pieces` one by one, `pause` apart, until the server answers; return the answer.
    (Sending after the server has closed would make it reset the connection, and a reset
    drops the answer unread.)"""
    for piece in pieces:
        readable, _, _ = select.select([sock], [], [], pause)
        if readable:
            break
        sock.sendall(piece)
    return _answer(sock)


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_huge_header_is_refused_on_every_listener(served: RunningServer) -> None:
    for url in (served.source, served.desk, served.public):
        with _connect(url) as sock:
            # A 1 MB header field, 8 KB at a time: refused once past the 32 KB cap
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ")
            answer = _send_until_answered(sock, iter([b"a" * 8192] * 128), 0.05)
        assert answer.startswith(b"HTTP/1.1 431 "), (url, answer[:100])


def test_header_floods_hold_no_memory_and_leave_others_served(served: RunningServer) -> None:
    # Given a served instance and its resident memory
    pid = served.process.pid
    httpx.get(served.source + "/", timeout=10)
    before = _rss_kib(pid)
    # When eight connections each try to send a 32 MB header
    socks = [_connect(served.source) for _ in range(8)]
    try:
        for sock in socks:
            _stream_head(sock, 32 * 1024 * 1024)
        # Then a source's page is still served
        assert httpx.get(served.source + "/", timeout=10).status_code == 200
    finally:
        for sock in socks:
            sock.close()
    # And the server kept none of it (it took +1 GB for eight such headers before)
    assert _rss_kib(pid) - before < 32 * 1024


def test_too_many_header_fields_are_refused(served: RunningServer) -> None:
    fields = b"".join(b"X-F%d: v\r\n" % i for i in range(101))
    with _connect(served.source) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n" + fields + b"\r\n")
        assert _answer(sock).startswith(b"HTTP/1.1 431 ")
    # A hundred fields in all is still a request
    fields = b"".join(b"X-F%d: v\r\n" % i for i in range(98))
    with _connect(served.source) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + fields + b"\r\n")
        assert _answer(sock).startswith(b"HTTP/1.1 200 ")


def test_slow_and_silent_heads_time_out(served: RunningServer) -> None:
    # A slowloris: one byte of a head every half second, never finishing
    with _connect(served.source) as slow, _connect(served.desk) as silent:
        slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        answer = _send_until_answered(slow, iter([b"X"] * HEAD_TIMEOUT_S * 10), 0.5)
        assert answer.startswith(b"HTTP/1.1 408 "), answer[:100]
        # A connection that never sends a byte is closed too
        assert _answer(silent).startswith(b"HTTP/1.1 408 ")
    # A second request on a kept-alive connection has the same deadline
    with _connect(served.source) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
        sock.sendall(b"GET / HTTP/1.1\r\n")
        assert _answer(sock).endswith(b"request headers too slow")


def test_a_taken_port_says_which_and_how_to_change_it(
    served: RunningServer, tmp_path: Path
) -> None:
    taken = urlsplit(served.desk).port
    assert taken is not None
    result = run_cli(
        "serve", "--dir", str(served.dir), "--source-port", "0", "--desk-port", str(taken),
        "--public-port", "0", check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    message = " ".join(result.stderr.split())
    assert f"127.0.0.1:{taken}" in message and "desk-api" in message
    assert "--desk-port" in message and "DESK_PORT" in message


def test_make_run_takes_the_ports_as_variables() -> None:
    root = Path(__file__).resolve().parents[2]
    dry = subprocess.run(
        ["make", "-n", "--no-print-directory", "-C", str(root), "run", "SOURCE_PORT=9180", "PUBLIC_PORT=9182"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    serve_line = dry.stdout.strip().splitlines()[-1]
    assert "--source-port 9180" in serve_line and "--public-port 9182" in serve_line
    assert "--desk-port" not in serve_line  # left out: the instance's own setting
