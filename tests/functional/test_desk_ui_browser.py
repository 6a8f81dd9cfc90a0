"""The desk UI in headless Chromium with JavaScript off, started by `quietwire desk ui`.

Given a real instance and desk API, a source's submission pulled into a workspace, and
the `quietwire desk ui` command running: the editor opens the printed URL, reads the
inbox and the report, sees the scrubbed photo, replies, and switches to Arabic. The reply
is checked by decrypting it with the source's own reply identity.
"""

from __future__ import annotations

import os
import re
import selectors
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response
from tests.support.browser import chromium, screenshot
from tests.unit.desk.uikit import TEXT, Desk, pulled_desk

pytestmark = pytest.mark.browser

URL = re.compile(r"http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]{40,}")
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


@contextmanager
def desk_ui(workspace: Path) -> Iterator[str]:
    """Run `quietwire desk ui` as the editor would; yield the URL it prints once."""
    process = subprocess.Popen(
        [sys.executable, "-m", "quietwire.cli", "desk", "ui", "--dir", str(workspace)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "300"},
    )
    try:
        assert process.stdout is not None
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        seen = ""
        deadline = time.monotonic() + 30
        found = None
        while found is None and time.monotonic() < deadline and process.poll() is None:
            if selector.select(timeout=0.5):
                seen += process.stdout.readline()
                found = URL.search(seen)
        if found is None:
            raise AssertionError(f"`quietwire desk ui` printed no URL:\n{seen}")
        yield found.group(0)
    finally:
        process.terminate()
        process.wait(timeout=15)
        if process.stdout is not None:
            process.stdout.close()


def check_headers(response: Response) -> None:
    headers = response.headers
    assert headers.get("content-security-policy") == CSP, response.url
    assert headers.get("cache-control") == "no-store, max-age=0", response.url
    assert headers.get("referrer-policy") == "no-referrer", response.url


def look(page: Page, name: str) -> None:
    """Save a screenshot to look at, and check the page as served has no script."""
    assert "<script" not in page.content().lower(), page.url
    screenshot(page, name)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    with pulled_desk(tmp_path) as d:
        yield d


def test_editor_reads_the_report_sees_the_scrubbed_photo_and_replies(
    tmp_path: Path, desk: Desk
) -> None:
    designation = desk.designation
    reply = "Thank you. Stay safe; can you tell us which road? شكرًا، أي طريق؟"
    with desk_ui(desk.workspace.root) as url, chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        responses: list[Response] = []
        page.on("response", lambda r: responses.append(r))

        # When the editor opens the printed URL, the token leaves the address bar
        first = page.goto(url)
        assert first is not None and first.status == 200
        assert page.url.endswith("/") and "token" not in page.url
        # Then the inbox lists the source with one unread submission
        row = page.locator(f'tr.source-row[data-designation="{designation}"]')
        assert row.locator(".unread").inner_text() == "1"
        look(page, "desk-ui-inbox")

        # When they open the source, the report shows its text, answers and the photo
        row.locator("a.designation").click()
        page.wait_for_load_state()
        article = page.locator(f"#s-{desk.submission}")
        assert article.locator(".text").inner_text() == TEXT
        assert article.locator('dd[data-field="where"]').inner_text() == "north gate"
        assert article.locator('dd[data-field="how_known"]').inner_text() == "saw it themselves"
        assert article.locator("img.preview").count() == 1
        assert article.locator("li.not-scrubbed img").count() == 0
        images = [r for r in responses if r.url.endswith(f"/file/{desk.submission}/1/image")]
        assert images and images[-1].status == 200
        assert images[-1].headers["content-type"] == "image/jpeg"
        assert b"SecretCam" not in images[-1].body()
        look(page, "desk-ui-report")

        # When they reply from the UI
        page.fill("#reply-text", reply)
        page.click("#reply-form button[type=submit]")
        page.wait_for_load_state()
        # Then the page confirms, and the source's own reply identity opens it
        assert page.locator("#reply-sent").is_visible(), page.content()[:3000]
        assert desk.replies_as_the_source_reads_them() == [reply]
        look(page, "desk-ui-replied")
        page.click(f"#s-{desk.submission} .mark-read")
        page.wait_for_load_state()
        assert page.locator("#unread-count").inner_text() == "0"

        # When they switch to Arabic, the page turns right-to-left
        page.click("#lang-ar")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("#reply-form label").inner_text() == "ردّ على هذا المصدر"
        look(page, "desk-ui-report-ar")
        page.click("#nav-inbox")
        page.wait_for_load_state()
        assert page.locator(f'tr[data-designation="{designation}"] .unread').inner_text() == "0"
        look(page, "desk-ui-inbox-ar")

        # Every response carried the headers, and no page had a script
        assert len(responses) >= 8
        for response in responses:
            check_headers(response)

        # A wrong or missing token is refused, even in the same browser for another port's URL
        other = browser.new_page()
        base = url.split("?")[0]
        bad = other.goto(base + "?token=" + "x" * 43)
        assert bad is not None and bad.status == 403
        check_headers(bad)

    with desk_ui(desk.workspace.root) as url, chromium(tmp_path / "fresh") as browser:
        fresh = browser.new_page()
        missing = fresh.goto(url.split("?")[0])
        assert missing is not None and missing.status == 403
        # The previous run's token is dead: each run prints a new one.
        assert fresh.goto(url) is not None and fresh.url.endswith("/")
