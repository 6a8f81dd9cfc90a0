"""Sources per second through the source app, at 1, 8 and 64 concurrent clients.

    .venv/bin/python bench/bench_intake_load.py [--seconds 10] [--levels 1,8,64]
                                                [--open new=40,return=400] [--open-cap 64]
                                                [--production-throttles]

Scenarios, each for a bounded time per level, against one `quietwire serve` process:
  baseline  GET / (a static template page of the same server: the framework ceiling)
  new       a new source with its first submission: GET /new, POST /new (Argon2id with the
            production parameters), GET /home, POST /submit (2 KB of text, multipart)
  return    a returning source's submissions: each client logs in once beforehand
            (GET /login, POST /login), then repeats POST /submit with 2 KB of text
A cycle counts as done only if every step gave the expected status (200, or 303 to the
expected page); anything else is an error. Every scenario runs over kept-alive raw connections
(bench/_intake_harness.RawHttp), which cost the shared CPU a fraction of what httpx does;
setting up the returning sources uses httpx. Each simulated source is its own
httpx.AsyncClient with its own cookie jar; the `new` scenario clears the jar between
cycles so every cycle is a brand-new source on a kept connection.

After them come open-loop runs (--open, by default new=40,return=400: the issue's targets):
cycles arrive on a fixed schedule whatever the server's speed, as independent sources do,
with at most --open-cap (64) served at once; latency counts from the scheduled arrival.
A closed loop of 64 clients measures saturation (each client waits for its answer before
starting again, so latency is 64 over the rate); the open loop answers how long a source
waits when sources come at the target rate.

By default the server gets raised throttles (new_sources_per_minute, logins_per_minute,
throttle_burst, kdf_queue) so the limits measured are capacity, not policy;
--production-throttles keeps the shipped defaults. KDF memory and time are never changed.
Client and server share the machine's cores: both CPU times are printed per level.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _intake_harness as h

# The load generator runs on uvloop too (a dependency of the server): on two shared cores,
# every cycle of the client's event loop is one the server does not get.
run = uvloop.run

RAISED = {
    "QUIETWIRE_NEW_SOURCES_PER_MINUTE": "1000000",
    "QUIETWIRE_LOGINS_PER_MINUTE": "1000000",
    "QUIETWIRE_THROTTLE_BURST": "100000",
    "QUIETWIRE_KDF_QUEUE": "1024",
}
TEXT = ("Report from the market square. " * 80)[:2048]


class Failed(Exception):
    pass


def expect(r: httpx.Response, status: int, location: str | None = None) -> None:
    if r.status_code != status or (location and r.headers.get("location") != location):
        raise Failed(f"{r.request.method} {r.request.url.path} -> {r.status_code}")


def raw_expect(got: tuple[int, str], what: str, status: int, location: str = "") -> None:
    if got[0] != status or (location and got[1] != location):
        raise Failed(f"{what} -> {got[0]}")


async def new_source(c: httpx.AsyncClient) -> tuple[str, str]:
    """Walk /new -> /home; returns (codename, submit csrf)."""
    r = await c.get("/new")
    expect(r, 200)
    page = h.scan(r.text)
    r = await c.post("/new", data={"csrf": page.forms["create-form"]["csrf"]})
    expect(r, 303, "/home")
    r = await c.get("/home")
    expect(r, 200)
    return page.codename.strip(), h.form_csrf(r.text, "submit-form")


async def raw_new_source(raw: h.RawHttp, base: str) -> None:
    """The `new` cycle over a raw connection: a fresh cookie jar, the four steps, each
    answer checked (the codename shown, the forms' tokens read from the pages)."""
    raw.cookie = ""
    status, _, body = await raw.exchange(h.raw_request("GET", "/new", base))
    raw_expect((status, ""), "GET /new", 200)
    page = h.scan(body.decode())
    if not page.codename.strip():
        raise Failed("GET /new showed no codename")
    form = {"csrf": page.forms["create-form"]["csrf"]}
    got = await raw.request(h.raw_request("POST", "/new", base, raw.cookie, form=form))
    raw_expect(got, "POST /new", 303, "/home")
    status, _, body = await raw.exchange(h.raw_request("GET", "/home", base, raw.cookie))
    raw_expect((status, ""), "GET /home", 200)
    fields = [("csrf", h.form_csrf(body.decode(), "submit-form")), ("text", TEXT)]
    got = await raw.request(h.raw_request("POST", "/submit", base, raw.cookie, fields))
    raw_expect(got, "POST /submit", 303, "/submitted")


async def login(c: httpx.AsyncClient, codename: str) -> str:
    r = await c.get("/login")
    expect(r, 200)
    csrf = h.form_csrf(r.text, "login-form")
    r = await c.post("/login", data={"csrf": csrf, "codename": codename})
    expect(r, 303, "/home")
    r = await c.get("/home")
    expect(r, 200)
    return h.form_csrf(r.text, "submit-form")


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def client(base: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=30)


Op = Callable[[], Awaitable[None]]


async def make_ops(
    base: str, n: int, scenario: str, codenames: list[str]
) -> tuple[list[Op], Callable[[], Awaitable[None]]]:
    """One operation per simulated source (each on its own kept-alive connection), and a
    coroutine function that closes their connections."""
    clients = [client(base) for _ in range(n)]
    raws = [h.RawHttp(base) for _ in range(n)]
    ops: list[Op] = []
    for i, (c, raw) in enumerate(zip(clients, raws, strict=True)):
        if scenario == "baseline":
            get = h.raw_request("GET", "/", base)

            async def front(raw: h.RawHttp = raw, get: bytes = get) -> None:
                raw_expect(await raw.request(get), "GET /", 200)

            ops.append(front)
        elif scenario == "new":

            async def new(raw: h.RawHttp = raw) -> None:
                await raw_new_source(raw, base)

            ops.append(new)
        else:
            csrf = await login(c, codenames[i])
            cookie = f"qw_session={c.cookies['qw_session']}"
            fields = [("csrf", csrf), ("text", TEXT), ("what", "a protest")]
            post = h.raw_request("POST", "/submit", base, cookie, fields)

            async def submit(raw: h.RawHttp = raw, post: bytes = post) -> None:
                raw_expect(await raw.request(post), "POST /submit", 303, "/submitted")

            ops.append(submit)

    async def close() -> None:
        for c in clients:
            await c.aclose()
        for raw in raws:
            await raw.close()

    return ops, close


async def timed(op: Op, since: float, result: Result) -> None:
    """Run one cycle; its latency counts from `since`, its failure as an error."""
    try:
        await op()
    except (Failed, httpx.HTTPError, KeyError, RuntimeError, OSError, ValueError) as exc:
        result.errors.append(f"{type(exc).__name__}: {exc}")
        return
    result.latencies.append(time.perf_counter() - since)


async def run_level(
    base: str, n: int, seconds: float, scenario: str, codenames: list[str]
) -> tuple[Result, float]:
    """Closed loop: n sources, each starting its next cycle as soon as its last one ended."""
    result = Result()
    ops, close = await make_ops(base, n, scenario, codenames)
    deadline = time.perf_counter() + seconds

    async def worker(op: Op) -> None:
        while time.perf_counter() < deadline:
            await timed(op, time.perf_counter(), result)

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(op) for op in ops))
    wall = time.perf_counter() - t0
    await close()
    return result, wall


async def run_open(
    base: str, rate: float, cap: int, seconds: float, scenario: str, codenames: list[str]
) -> tuple[Result, float]:
    """Open loop: cycles arrive on a fixed schedule of `rate` a second whether or not earlier
    ones have finished, as independent sources do; at most `cap` are served at once and the
    rest wait for a free connection. Latency counts from the scheduled arrival, so time spent
    waiting behind a slow server is counted, not hidden (no coordinated omission)."""
    result = Result()
    ops, close = await make_ops(base, cap, scenario, codenames)
    free: asyncio.Queue[Op] = asyncio.Queue()
    for op in ops:
        free.put_nowait(op)

    async def arrival(scheduled: float) -> None:
        op = await free.get()
        try:
            await timed(op, scheduled, result)
        finally:
            free.put_nowait(op)

    t0 = time.perf_counter()
    arrivals = []
    for k in range(int(rate * seconds)):
        scheduled = t0 + k / rate
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        arrivals.append(asyncio.create_task(arrival(scheduled)))
    await asyncio.gather(*arrivals)
    wall = time.perf_counter() - t0
    await close()
    return result, wall


async def make_sources(base: str, n: int) -> list[str]:
    async def one() -> str:
        async with client(base) as c:
            codename, _ = await new_source(c)
            return codename

    return list(await asyncio.gather(*(one() for _ in range(n))))


def show(head: str, res: Result, tail: str = "") -> None:
    """One line of a run's figures (errors, p50, p99 between `head` and `tail`), then the
    first errors if there were any."""
    print(
        f"{head}  errors={len(res.errors):4}  "
        f"p50={h.percentile(res.latencies, 50) * 1000:7.1f} ms  "
        f"p99={h.percentile(res.latencies, 99) * 1000:7.1f} ms  {tail}".rstrip(),
        flush=True,
    )
    if res.errors:
        print("   first errors:", sorted(set(res.errors))[:3])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--levels", default="1,8,64")
    ap.add_argument("--scenarios", default="baseline,new,return")
    ap.add_argument("--production-throttles", action="store_true")
    ap.add_argument(
        "--open",
        default="new=40,return=400",
        help="open-loop runs after the closed ones, SCENARIO=ARRIVALS_PER_S,... ('' for none)",
    )
    ap.add_argument("--open-cap", type=int, default=64, help="sources served at once (open)")
    args = ap.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    scenarios = args.scenarios.split(",")
    try:
        open_runs = [(s, float(r)) for s, r in (x.split("=") for x in args.open.split(",") if x)]
    except ValueError:
        ap.error("--open takes SCENARIO=ARRIVALS_PER_S[,...], e.g. new=40,return=400")
    unknown = {*scenarios, *(s for s, _ in open_runs)} - {"baseline", "new", "return"}
    if unknown:
        ap.error(f"unknown scenario {sorted(unknown)}: choose from baseline, new, return")

    inst = h.make_instance()
    env = {} if args.production_throttles else RAISED
    server = h.start_server(inst, env)
    print(f"server: quietwire serve, pid {server.pid}; throttles: {env if env else 'production'}")
    print(f"load average before: {os.getloadavg()}")
    print("KDF: production parameters (argon2id 19 MiB, t=2); client and server share 2 cores")
    rows = []
    opened = []
    try:
        codenames = run(make_sources(server.source, max(*levels, args.open_cap)))
        for scenario in scenarios:
            for n in levels:
                cpu_s0, cpu_c0 = server.cpu_seconds(), time.process_time()
                res, wall = run(run_level(server.source, n, args.seconds, scenario, codenames))
                cpu_s, cpu_c = server.cpu_seconds() - cpu_s0, time.process_time() - cpu_c0
                rate = len(res.latencies) / wall
                rows.append((scenario, n, rate, res, wall, cpu_s, cpu_c))
                show(
                    f"{scenario:8} c={n:<3} {rate:8.1f}/s  ok={len(res.latencies):6}",
                    res,
                    f"server cpu {cpu_s / wall:.2f} cores, client cpu {cpu_c / wall:.2f} cores",
                )
        for scenario, arrivals in open_runs:
            res, wall = run(
                run_open(server.source, arrivals, args.open_cap, args.seconds, scenario, codenames)
            )
            opened.append((scenario, arrivals, len(res.latencies) / wall, res))
            show(
                f"{scenario:8} open loop, {arrivals:g} arrivals/s "
                f"(at most {args.open_cap} at once): {len(res.latencies) / wall:.1f}/s done",
                res,
            )
    finally:
        hwm = server.status("VmHWM") if server.proc.poll() is None else 0
        server.stop()
    print(f"server VmHWM {hwm / 1024:.0f} MB; load average after: {os.getloadavg()}")
    base = {n: r for s, n, r, *_ in rows if s == "baseline"}
    targets = {"new": 40.0, "return": 400.0}
    print("\nscenario  clients  per-s   ratio-to-GET/  target  p99<1s@64")
    for s, n, rate, res, *_ in rows:
        if s == "baseline":
            continue
        ratio = rate / base[n] if n in base else float("nan")
        p99 = h.percentile(res.latencies, 99)
        met = "yes" if rate >= targets[s] and not res.errors else "NO"
        p99_ok = ("yes" if p99 < 1 else "NO") if n == 64 else "-"
        print(f"{s:8}  {n:7}  {rate:6.1f}  {ratio:12.3f}  {met:6}  {p99_ok}")
    if opened:
        print("\nopen loop  arrivals/s  done/s  errors  p99 ms  p99<1s")
        for s, arrivals, rate, res in opened:
            p99 = h.percentile(res.latencies, 99)
            print(
                f"{s:9}  {arrivals:10g}  {rate:6.1f}  {len(res.errors):6}  {p99 * 1000:6.0f}  "
                f"{'yes' if p99 < 1 and not res.errors else 'NO'}"
            )


if __name__ == "__main__":
    main()
