"""What a flood of codename and login pages does to a returning source's login.

    .venv/bin/python bench/bench_intake_flood.py [--requests 20000] [--connections 8]

Against one `quietwire serve` process with the shipped throttles: one source is created,
then its login (GET /login, POST /login, GET /home) is timed 10 times with nothing else
running (the baseline), then again while --requests cookieless GET /new and GET /login
(half each; issue 13 saw the store fill at about 20,000) arrive over --connections
kept-alive raw connections (bench/_intake_harness.RawHttp), then once more after it.
Printed: the flood's rate and statuses, the server's RSS before and after, and the login's
p50 under the flood against the baseline from the same run. Any login that does not end on
/home counts as an error. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _intake_harness as h


def login(base: str, codename: str) -> tuple[float, bool]:
    start = time.perf_counter()
    with httpx.Client(base_url=base, timeout=60) as c:
        page = c.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        ok = page.status_code == 200 and token is not None
        if ok and token is not None:
            answer = c.post("/login", data={"csrf": token.group(1), "codename": codename})
            ok = answer.headers.get("location") == "/home" and c.get("/home").status_code == 200
    return time.perf_counter() - start, ok


async def flood(base: str, total: int, connections: int) -> tuple[Counter[int], float]:
    statuses: Counter[int] = Counter()
    pages = [h.raw_request("GET", p, base) for p in ("/new", "/login")]  # never a cookie

    async def one(n: int) -> None:
        conn = h.RawHttp(base)
        try:
            for i in range(n):
                status, _ = await conn.request(pages[i % 2])
                statuses[status] += 1
        finally:
            await conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(one(total // connections) for _ in range(connections)))
    return statuses, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=20_000)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--logins", type=int, default=10)
    args = ap.parse_args()
    server = h.start_server(h.make_instance())
    try:
        with httpx.Client(timeout=60) as c:
            codename, _ = h.new_source_sync(c, server.source)
        baseline = [login(server.source, codename) for _ in range(args.logins)]
        rss_before = server.status("VmRSS")

        during: list[tuple[float, bool]] = []

        async def logins_meanwhile(done: asyncio.Event) -> None:
            while not done.is_set() and len(during) < args.logins:
                during.append(await asyncio.to_thread(login, server.source, codename))
                await asyncio.sleep(0.2)

        async def run() -> tuple[Counter[int], float]:
            done = asyncio.Event()
            meanwhile = asyncio.create_task(logins_meanwhile(done))
            result = await flood(server.source, args.requests, args.connections)
            done.set()
            await meanwhile
            return result

        statuses, seconds = asyncio.run(run())
        rss_after = server.status("VmRSS")
        after = login(server.source, codename)
    finally:
        server.stop()

    def p50(rows: list[tuple[float, bool]]) -> float:
        return h.percentile([t for t, _ in rows], 50) * 1000

    sent = sum(statuses.values())
    errors = sum(not ok for _, ok in baseline + during + [after])
    rate = sent / seconds
    print(f"flood: {sent} cookieless GET /new and /login in {seconds:.1f} s ({rate:,.0f}/s)")
    print(f"  statuses: {dict(sorted(statuses.items()))}")
    print(f"server RSS: {rss_before / 1024:.0f} MB before, {rss_after / 1024:.0f} MB after")
    print(f"login p50 alone (baseline): {p50(baseline):.0f} ms over {len(baseline)}")
    print(f"login p50 during the flood: {p50(during):.0f} ms over {len(during)}")
    print(f"  ratio during / alone: {p50(during) / p50(baseline):.2f}")
    print(f"login after the flood: {after[0] * 1000:.0f} ms, {'ok' if after[1] else 'FAILED'}")
    print(f"login errors: {errors}")
    if errors or set(statuses) != {200}:
        sys.exit(1)


if __name__ == "__main__":
    main()
