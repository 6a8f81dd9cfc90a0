"""Issue 13 items 5 and 9 and the source side's rough edges, in headless Chromium (JavaScript
off) as Tor Browser presents itself (en-US): the instance's language, name and description;
Quick exit to a neutral page in the session's language (or a configured address) that Back
does not undo; localised sizes; digits in fields and list markers on a phone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import BrowserContext, Page
from tests.support.browser import chromium, screenshot
from tests.support.server import RunningServer, run_cli, serve
from tests.support.source_client import SourceClient
from tests.support.source_pages import create_codename

pytestmark = pytest.mark.browser

NAME = "شبكة الخبر الآمن"
DESCRIPTION = "أرسل إلينا ما رأيت أو سمعت. لا نسألك عن اسمك."
EXIT_URL = "https://www.example.org/weather"
PHONE = {"width": 390, "height": 844}


def _serve_with(
    tmp_path: Path, database_url: str, recipient: str, *flags: str
) -> Iterator[RunningServer]:
    d = tmp_path / "instance"
    run_cli(
        "init", "--dir", str(d), "--recipient", recipient, "--database-url", database_url, *flags
    )
    with serve(d) as server:
        yield server


@pytest.fixture
def arabic_line(
    tmp_path: Path, database_url: str, editor_key: tuple[Path, str]
) -> Iterator[RunningServer]:
    """An Arabic tip line: default_language, name and description set with `init`."""
    yield from _serve_with(
        tmp_path,
        database_url,
        editor_key[1],
        "--default-language",
        "ar",
        "--tip-line-name",
        NAME,
        "--tip-line-description",
        DESCRIPTION,
    )


@contextmanager
def _tor_browser_phone(profile: Path) -> Iterator[tuple[BrowserContext, Page]]:
    """Chromium presenting itself as Tor Browser does (en-US), on a 390 px wide phone."""
    with chromium(profile, locale="en-US") as browser:
        page = browser.new_page()
        page.set_viewport_size(PHONE)
        yield browser, page


def _is_neutral(page: Page, lang: str) -> None:
    """The page says nothing about the site: no header, name, description, links or forms."""
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("#neutral h1").inner_text() == ("الطقس" if lang == "ar" else "Weather")
    html = page.content()
    for telltale in (NAME, DESCRIPTION, "QuietWire", "quick-exit", "<form", "<a ", "codename"):
        assert telltale not in html, telltale
    assert not re.search(r"tip line|خط آمن|الرمزي|جلست", html)


def test_arabic_tip_line_greets_a_tor_browser_in_arabic_with_its_name(
    arabic_line: RunningServer, tmp_path: Path
) -> None:
    base = arabic_line.source
    with _tor_browser_phone(tmp_path / "profile") as (_, page):
        # Given Tor Browser asking for English, on every page a source can reach
        for path in ("/", "/new", "/login", "/no-such-page"):
            page.goto(base + path)
            # Then it is in Arabic, right to left, under the tip line's name and description
            assert page.locator("html").get_attribute("lang") == "ar", path
            assert page.locator("html").get_attribute("dir") == "rtl", path
            assert page.locator(".brand").inner_text() == NAME, path
            assert page.title() == NAME, path
            assert page.locator(".about").inner_text() == DESCRIPTION, path
        screenshot(page, "settings-ar-1-not-found")
        # and the codename is drawn from the Arabic list
        page.goto(base + "/new")
        assert re.search(r"[\u0600-\u06FF]", page.locator("#codename").inner_text())
        # and English is still one click away, and then stays
        page.goto(base + "/")
        page.locator(".langs a[hreflang=en]").click()
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator(".brand").inner_text() == NAME  # the name is the instance's
        screenshot(page, "settings-ar-2-index-in-english")

        # Rough edge: on a phone, the RTL list markers of the index stay inside the page
        page.locator(".langs a[hreflang=ar]").click()
        assert page.locator("html").get_attribute("dir") == "rtl"
        geometry = page.evaluate(
            """() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,
                Math.max(...[...document.querySelectorAll('main ul')].map(u => u.getBoundingClientRect().right)),
                Math.min(...[...document.querySelectorAll('main ul')].map(
                    u => parseFloat(getComputedStyle(u).paddingRight)))]"""
        )
        scroll_width, client_width, list_right, marker_room = geometry
        assert scroll_width <= client_width == PHONE["width"]
        assert list_right <= client_width - 16  # the page's own margin
        assert marker_room >= 16  # room for the marker inside the list, on its start side
        screenshot(page, "settings-ar-3-index-phone")


def test_quick_exit_is_neutral_in_the_sessions_language_and_back_does_not_undo_it(
    running: RunningServer, tmp_path: Path
) -> None:
    base = running.source
    with _tor_browser_phone(tmp_path / "profile") as (browser, page):
        # Given a source who switched an English-first instance to Arabic and logged in
        page.goto(base + "/")
        page.locator(".langs a[hreflang=ar]").click()
        codename = create_codename(page, base)
        assert page.locator("html").get_attribute("lang") == "ar"
        # Rough edges: the size limit reads in Arabic, and a digit typed alone lines up
        # with the Arabic page (dir=auto put it on the left)
        limit = page.locator("#submit-form p.small").inner_text()
        assert "500 ميغابايت" in limit and "MB" not in limit
        page.fill("#how_many", "٣")
        page.fill("#where", "12")
        for field in ("#how_many", "#where"):
            assert page.eval_on_selector(field, "e => getComputedStyle(e).textAlign") == "right"
        screenshot(page, "settings-ar-4-home-digits")

        # When they press Quick exit
        page.locator("#quick-exit").click()
        page.wait_for_url(re.compile(r"/bye\?l=ar$"))
        # Then they land on a neutral page in Arabic that names nothing
        _is_neutral(page, "ar")
        screenshot(page, "settings-ar-5-exit")
        assert browser.cookies() == []

        # When someone presses Back
        page.go_back()
        page.wait_for_load_state()
        # Then the page the source left is not shown again, nor a branded "session ended"
        assert page.url.endswith("/home")
        assert page.locator("#submit-form").count() == 0
        _is_neutral(page, "en")  # the language cookie went with the exit: the browser's
        screenshot(page, "settings-ar-6-back")
        # A further Back reaches the site's public pages, which a first visit needs without
        # any cookie (docs/security.md says so); the codename page then shows a fresh
        # codename, never the source's.
        page.go_back()
        page.wait_for_load_state()
        assert page.url.endswith("/new")
        assert page.locator("#codename").inner_text().strip() != codename


def test_quick_exit_goes_to_the_configured_address_and_ends_the_session(
    tmp_path: Path, database_url: str, editor_key: tuple[Path, str]
) -> None:
    for server in _serve_with(tmp_path, database_url, editor_key[1], "--quick-exit-url", EXIT_URL):
        # Given a logged-in source
        source = SourceClient(server.source)
        source.new_source()
        assert source.http.get("/home").status_code == 200
        session_cookie = dict(source.http.cookies)
        # When they press Quick exit
        leave = source.http.get("/exit")
        # Then the browser is sent to the configured page, told to forget this site
        assert leave.status_code == 303 and leave.headers["location"] == EXIT_URL
        assert leave.headers["clear-site-data"] == '"cache", "cookies", "storage"'
        assert "no-store" in leave.headers["cache-control"]
        # and the session is over, even for someone who kept the cookie
        kept = httpx.get(server.source + "/home", cookies=session_cookie)
        assert kept.status_code == 401 and 'id="submit-form"' not in kept.text
        source.close()
