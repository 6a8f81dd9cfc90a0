"""Slow bodies against a real `quietwire serve`: an upload that trickles is dropped (child
killed, temporary blob removed, nothing stored), so 256 of them cannot keep a fast source
out of the 256 upload slots. Loopback only, bounded in time."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tests.support.server import RunningServer, init_and_serve
from tests.support.source_client import SourceClient
from tests.support.store import counts

STALL_S = 3  # the test instance's upload_stall_seconds (the default is 60)
SLOW_CLIENTS = 256  # as many as the server has upload slots
BOUNDARY = "SlowBoundary"


@pytest.fixture
def served(
    tmp_path: Path, database_url: str, editor_key: tuple[Path, str]
) -> Iterator[RunningServer]:
    env = {
        "QUIETWIRE_UPLOAD_STALL_SECONDS": str(STALL_S),
        "QUIETWIRE_HEADER_TIMEOUT_SECONDS": str(STALL_S),
    }
    with init_and_serve(tmp_path / "instance", editor_key[1], database_url, env) as server:
        yield server


def _children(pid: int) -> int:
    """How many processes `pid` has (the `age` children of uploads in progress)."""
    found = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        found += fields[1] == str(pid)
    return found


def _part_files(server: RunningServer) -> list[str]:
    return [p.name for p in (server.dir / "blobs").iterdir() if not p.name.endswith(".age")]


async def _trickle(url: str, cookie: str, csrf: str, stop: asyncio.Event) -> tuple[bytes, bool]:
    """One slow upload: the CSRF part and a file part's head at once, then one byte of the
    file a second. Returns what the server answered (b"" for none) and whether it closed
    the connection before `stop`."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    start = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="s.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + b"x" * 100
    head = (
        f"POST /submit HTTP/1.1\r\nHost: {parts.hostname}\r\nCookie: {cookie}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {len(start) + 10_000}\r\n\r\n"
    ).encode()
    writer.write(head + start)
    answer = b""
    closed = False
    try:
        while not stop.is_set():
            try:
                answer = await asyncio.wait_for(reader.read(65536), timeout=1.0)
            except TimeoutError:
                writer.write(b"y")  # still there, one byte a second
                await writer.drain()
                continue
            while answer and (chunk := await reader.read(65536)):
                answer += chunk
            closed = True
            break
    except (ConnectionError, OSError):
        closed = True
    finally:
        writer.close()
    return answer, closed


def test_slow_uploads_are_dropped_and_cannot_block_a_fast_one(served: RunningServer) -> None:
    # Given a source with a session
    source = SourceClient(served.source)
    source.new_source()
    cookie = "; ".join(f"{k}={v}" for k, v in source.http.cookies.items())
    pid = served.process.pid

    async def scenario() -> tuple[list[tuple[bytes, bool]], int, int, int]:
        stop = asyncio.Event()
        # When 256 uploads trickle a byte a second, one per upload slot
        slow = [
            asyncio.create_task(_trickle(served.source, cookie, source.csrf, stop))
            for _ in range(SLOW_CLIENTS)
        ]
        deadline = time.monotonic() + 60
        held = 0
        while time.monotonic() < deadline and held < SLOW_CLIENTS // 2:
            await asyncio.sleep(0.2)
            held = _children(pid)
        # And a source sends a 200 KB file meanwhile
        fast = await asyncio.to_thread(
            source.submit, text="fast", files=[("f.bin", b"z" * 200_000, "application/x")]
        )
        children_after = 0
        for _ in range(100):  # the slow ones are all gone within a few stall periods
            if all(task.done() for task in slow):
                break
            await asyncio.sleep(0.2)
        children_after = _children(pid)
        stop.set()
        answers = await asyncio.gather(*slow)
        return answers, held, fast.status_code, children_after

    answers, held, fast_status, children_after = asyncio.run(scenario())
    source.close()
    # Then the slow uploads had really held age children (and so upload slots)...
    assert held >= SLOW_CLIENTS // 2
    # ...the fast source's submission went through...
    assert fast_status == 303
    # ...every slow one was refused and its connection closed by the server...
    assert all(closed for _, closed in answers)
    refused = [a for a, _ in answers if a]
    assert len(refused) >= SLOW_CLIENTS // 2
    assert not [a[:40] for a in refused if not a.startswith((b"HTTP/1.1 4", b"HTTP/1.1 303"))]
    # ...and nothing of them is left: no child, no temporary blob, nothing stored
    assert children_after == 0
    assert _part_files(served) == []
    stored = counts(served.dir)
    assert stored["submissions"] == 1 and stored["envelopes"] == 2
