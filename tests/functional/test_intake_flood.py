"""A flood of codename and login pages cannot lock a returning source out (issue 13, item 7).

About 20,000 cookieless `GET /new` used to fill the session store, after which /new and
/login answered 503 for minutes. The app here is the real source app over a loopback
socket, its store cut to 20 sessions so that a bounded flood would fill it fifty times
over; only the loopback interface is ever used.
"""

from __future__ import annotations

import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
from tests.support.server import serve_asgi
from tests.support.source_client import SourceClient
from tests.support.store import write_reply

from quietwire.instance import Instance
from quietwire.intake import create_app

FLOOD = 1000  # requests, each without a cookie, half /new and half /login


def flood(url: str, threads: int = 4) -> Counter[int]:
    def hammer(n: int) -> Counter[int]:
        seen: Counter[int] = Counter()
        with httpx.Client(base_url=url, timeout=30) as client:
            for i in range(n):
                client.cookies.clear()  # every request cookieless, as a flood sends it
                seen[client.get("/new" if i % 2 else "/login").status_code] += 1
        return seen

    with ThreadPoolExecutor(threads) as pool:
        return sum(pool.map(hammer, [FLOOD // threads] * threads), Counter())


def test_a_flood_of_new_and_login_cannot_stop_a_login(instance: Instance) -> None:
    app = create_app(instance)
    state = app.state.intake
    state.sessions.limit = 20
    with serve_asgi(app) as url:
        # Given a returning source with a reply waiting for them
        source = SourceClient(url)
        codename = source.new_source()
        source.close()
        write_reply(instance.settings.dir, "the reply after the flood")
        sessions_before = len(state.sessions)

        # When a flood of cookieless /new and /login arrives
        statuses = flood(url)

        # Then every page was served, and none of it made a session on the server
        assert statuses == Counter({200: FLOOD})
        assert len(state.sessions) == sessions_before

        # And the source logs in and reads the reply
        again = SourceClient(url)
        assert again.login(codename).headers["location"] == "/home"
        assert "the reply after the flood" in again.http.get("/home").text
        # And a newcomer can still get a codename
        newcomer = SourceClient(url)
        assert len(newcomer.new_source().split()) >= 7
        again.close()
        newcomer.close()


def test_a_codename_form_works_only_in_the_browser_it_was_shown_in(instance: Instance) -> None:
    # Stateless does not mean replayable elsewhere: the sealed codename is bound to the
    # cookie of the browser that got the page (no forced codename by cross-site POST).
    with (
        serve_asgi(create_app(instance)) as url,
        httpx.Client(base_url=url) as shown,
        httpx.Client(base_url=url) as other,
    ):
        page = shown.get("/new")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token is not None
        other.get("/new")  # a cookie of its own
        stolen = other.post("/new", data={"csrf": token.group(1)})
        assert stolen.status_code == 303 and stolen.headers["location"] == "/problem"
        assert other.get("/problem").status_code == 403
        mine = shown.post("/new", data={"csrf": token.group(1)})
        assert mine.headers["location"] == "/home"
