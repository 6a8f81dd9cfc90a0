"""What slow clients and header floods cost the other sources, against one `quietwire serve`.

    .venv/bin/python bench/bench_slow_clients.py [--seconds 8] [--flooders 8]
                                                 [--loris 1000] [--stall 60]

Scenarios, each measuring a source's GET / (one client, one request at a time, a fresh
connection each) for --seconds, and the server's resident memory:
  quiet     nothing else: the baseline of this run
  flood     --flooders connections each sending an endless header as fast as loopback
            takes it, reconnecting whenever the server cuts them off
  loris     --loris connections each sending a header a byte a second, reconnecting when
            the server times them out
  uploads   256 uploads (every upload slot) trickling a byte a second; then one source's
            200 KB upload: how long it waits (about --stall, the instance's
            upload_stall_seconds, when every slot is held by a trickle)
Each line prints p50/p99 of GET / and its ratio to the quiet p50 of the same run. The
attackers run in a child process, so their own work is not counted as the server's.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _intake_harness as h


async def _latencies(base: str, seconds: float) -> list[float]:
    out: list[float] = []
    host, port = base.removeprefix("http://").split(":")
    request = f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = time.monotonic()
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(request)
        answer = await reader.read()
        writer.close()
        if not answer.startswith(b"HTTP/1.1 200 "):
            raise RuntimeError(f"GET / answered {answer[:40]!r}")
        out.append((time.monotonic() - t0) * 1000)
        await asyncio.sleep(0.02)
    return out


async def _flooder(base: str, stop: asyncio.Event, cut: list[int], body: bytes = b"") -> None:
    host, port = base.removeprefix("http://").split(":")
    piece = b"a" * 65536
    while not stop.is_set():
        try:
            _, writer = await asyncio.open_connection(host, int(port))
            writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nX-Flood: ")
            while not stop.is_set():
                writer.write(piece)
                await writer.drain()
        except (ConnectionError, OSError):
            cut[0] += 1


async def _loris(base: str, stop: asyncio.Event, cut: list[int], body: bytes = b"") -> None:
    host, port = base.removeprefix("http://").split(":")
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(host, int(port))
            writer.write(body or b"GET / HTTP/1.1\r\nHost: x\r\n")
            while not stop.is_set():
                try:
                    got = await asyncio.wait_for(reader.read(65536), 1.0)
                    if got or reader.at_eof():
                        cut[0] += 1  # the server answered (408) or closed
                        break
                except TimeoutError:
                    writer.write(b"X")
                    await writer.drain()
            writer.close()
        except (ConnectionError, OSError):
            cut[0] += 1
        if body:
            await asyncio.sleep(1)  # an upload's attacker comes back for the freed slot


def _attackers(
    kind: str, base: str, count: int, body: bytes, stop: Any, cut: Any, cpu: Any
) -> None:
    """In a child process, so the attackers' work does not slow the measuring client."""

    async def run() -> None:
        done, box = asyncio.Event(), [0]
        worker = _flooder if kind == "flood" else _loris
        tasks = [asyncio.create_task(worker(base, done, box, body)) for _ in range(count)]
        while not stop.is_set():
            await asyncio.sleep(0.2)
        done.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        cut.value = box[0]

    started = time.monotonic()
    uvloop.run(run())
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu.value = (used.ru_utime + used.ru_stime) / (time.monotonic() - started)


class _Attack:
    def __init__(self, kind: str, base: str, count: int, body: bytes = b"") -> None:
        ctx = multiprocessing.get_context("spawn")
        self.stop, self.cut, self.cpu = ctx.Event(), ctx.Value("i", 0), ctx.Value("d", 0.0)
        self.proc = ctx.Process(
            target=_attackers, args=(kind, base, count, body, self.stop, self.cut, self.cpu)
        )
        self.proc.start()

    def end(self) -> str:
        self.stop.set()
        self.proc.join(timeout=120)
        return f"cut off {self.cut.value} times, attackers' cpu {self.cpu.value:.2f} cores"


def _show(name: str, lat: list[float], quiet_p50: float, server: h.Server, extra: str) -> None:
    """One line; `server cpu` is the server's CPU time over the run so far, in cores."""
    p50, p99 = h.percentile(lat, 50), h.percentile(lat, 99)
    now = time.monotonic()
    cpu = (server.cpu_seconds() - _clock["cpu"]) / (now - _clock["t"])
    _clock.update(cpu=server.cpu_seconds(), t=now)
    print(
        f"{name:8} GET / p50={p50:7.1f} ms p99={p99:7.1f} ms ratio-p50={p50 / quiet_p50:5.2f}"
        f"  rss={server.status('VmRSS') // 1024} MB hwm={server.status('VmHWM') // 1024} MB"
        f"  server cpu {cpu:.2f} cores  {extra}"
    )


_clock = {"cpu": 0.0, "t": 0.0}


async def main(args: argparse.Namespace) -> None:
    inst = h.make_instance()
    server = h.start_server(inst, {"QUIETWIRE_UPLOAD_STALL_SECONDS": str(args.stall)})
    base = server.source
    try:
        httpx.get(base + "/").raise_for_status()
        _clock.update(cpu=server.cpu_seconds(), t=time.monotonic())
        quiet = await _latencies(base, args.seconds)
        quiet_p50 = h.percentile(quiet, 50)
        _show("quiet", quiet, quiet_p50, server, "")

        for name, count in (("flood", args.flooders), ("loris", args.loris)):
            attack = _Attack(name, base, count)
            await asyncio.sleep(3)
            lat = await _latencies(base, args.seconds)
            cut = attack.end()
            _show(name, lat, quiet_p50, server, f"{count} attackers, {cut}")

        with httpx.Client() as client:
            _, csrf = h.new_source_sync(client, base)
            cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        boundary = "slowbench"
        start = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="s"\r\n\r\n'
        ).encode()
        host = base.removeprefix("http://")
        head = (
            f"POST /submit HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {len(start) + 1_000_000}\r\n\r\n"
        ).encode()
        attack = _Attack("uploads", base, 256, head + start)
        await asyncio.sleep(5)
        lat = await _latencies(base, args.seconds)
        t0 = time.monotonic()
        async with httpx.AsyncClient(cookies=client.cookies, timeout=600) as fast:
            r = await fast.post(
                base + "/submit",
                data={"csrf": csrf, "text": "fast"},
                files=[("files", ("f.bin", b"z" * 200_000, "application/x"))],
            )
        waited = time.monotonic() - t0
        cut = attack.end()
        _show(
            "uploads", lat, quiet_p50, server,
            f"256 trickling uploads; a 200 KB upload answered {r.status_code} after "
            f"{waited:.1f} s; trickles {cut}",
        )  # fmt: skip
    finally:
        server.stop()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--flooders", type=int, default=8)
    ap.add_argument("--loris", type=int, default=1000)
    ap.add_argument("--stall", type=int, default=60)
    uvloop.run(main(ap.parse_args()))
