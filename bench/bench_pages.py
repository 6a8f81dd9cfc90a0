"""Weight of every source page, and proof that none of them reaches outside the server.

    .venv/bin/python bench/bench_pages.py

Starts `quietwire serve` on a demo instance and walks the source pages in headless
Chromium (the system /usr/lib/chromium/chromium, JavaScript OFF, as a Tor Browser on
"Safest" would): /, /login, /new, the create form -> /home, the submit form -> /submitted,
a 404 error page, /bye. Every request of the browser context is routed through a handler
(which also turns the HTTP cache off, so each page pays for its own CSS): same-origin
requests continue, anything else is aborted and counted as external. Per page the table
gives the bytes of HTML, CSS and anything else (response bodies, as Chromium reports
them), the total, and its ratio to the 30 KB budget (30,720 bytes).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, Request, Route

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import _intake_harness as h
from tests.support.browser import chromium

BUDGET = 30 * 1024


@dataclass
class Step:
    name: str
    requests: list[Request] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


def main() -> None:
    inst = h.make_instance()
    server = h.start_server(inst)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(server.source))
    profile = Path(tempfile.mkdtemp(prefix="qw-pages-profile-"))
    steps: list[Step] = []
    try:
        # The tests' browser: Debian's Chromium, JavaScript off, a profile of its own.
        with chromium(profile) as ctx:
            current: list[Step] = []

            def route(r: Route) -> None:
                url = r.request.url
                if url.startswith(origin + "/"):
                    r.continue_()
                else:
                    current[-1].external.append(url)
                    r.abort()

            ctx.route("**/*", route)
            ctx.on("requestfinished", lambda req: current[-1].requests.append(req))
            ctx.on("requestfailed", lambda req: current[-1].requests.append(req))
            page = ctx.pages[0] if ctx.pages else ctx.new_page()

            def step(name: str, action: Callable[[Page], object], expect_path: str) -> None:
                current.append(Step(name))
                action(page)
                page.wait_for_load_state("load")
                got = urlsplit(page.url).path
                if got != expect_path:
                    sys.exit(f"{name}: landed on {got}, expected {expect_path}")
                steps.append(current[-1])

            base = server.source
            step("/ (index)", lambda p: p.goto(base + "/"), "/")
            step("/login", lambda p: p.goto(base + "/login"), "/login")
            step("/new", lambda p: p.goto(base + "/new"), "/new")
            step(
                "/home (after POST /new)",
                lambda p: p.click("#create-form button[type=submit]"),
                "/home",
            )

            def send(p: Page) -> None:
                p.fill("#text", "Shelling near the bakery at dawn, two houses hit.")
                p.click("#submit-form button[type=submit]")

            step("/submitted (after POST /submit)", send, "/submitted")
            step("error page (404)", lambda p: p.goto(base + "/no-such-page"), "/no-such-page")
            step("/bye (via /exit)", lambda p: p.goto(base + "/exit"), "/bye")
            rows = []
            for s in steps:
                html = css = other = headers = 0
                for req in s.requests:
                    sizes = req.sizes()
                    body = sizes["responseBodySize"]
                    headers += sizes["responseHeadersSize"]
                    if req.resource_type == "document":
                        html += body
                    elif req.resource_type == "stylesheet":
                        css += body
                    else:
                        other += body
                rows.append((s, html, css, other, headers))
    finally:
        server.stop()
        shutil.rmtree(profile, ignore_errors=True)
        shutil.rmtree(inst.parent, ignore_errors=True)

    print(f"{'page':34} {'reqs':>4} {'html':>7} {'css':>6} {'other':>6} {'total':>7} "
          f"{'/30KB':>6} {'hdrs':>6} {'external':>8}")  # fmt: skip
    worst = 0.0
    external_total = 0
    for s, html, css, other, headers in rows:
        total = html + css + other
        worst = max(worst, total / BUDGET)
        external_total += len(s.external)
        print(f"{s.name:34} {len(s.requests):4} {html:7,} {css:6,} {other:6,} {total:7,} "
              f"{total / BUDGET:6.3f} {headers:6,} {len(s.external):8}")  # fmt: skip
        for url in s.external:
            print(f"    external: {url}")
    print(f"\nheaviest page / 30 KB budget: {worst:.3f}; external requests: {external_total}")
    print("(bodies as transferred; 'hdrs' = response header bytes, not counted in total)")
    if worst > 1 or external_total:
        sys.exit(1)


if __name__ == "__main__":
    main()
