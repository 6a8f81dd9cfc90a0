"""The desk UI in headless Chromium with JavaScript off, started by `quietwire desk ui`.

The whole story: a source creates a codename and sends a report through the source app of a
real `quietwire serve` in Chromium; `quietwire desk pull` imports it; the editor reads the
inbox and the report in the desk UI and replies from it; the source logs in again in
Chromium and reads the reply on their page. On SQLite and on PostgreSQL.

The UI in detail: given a real instance and desk API and a submission (with a GPS-tagged
photo) pulled into a workspace, the editor reads the report, sees the scrubbed photo,
replies, marks it read and switches to Arabic; every response carries the headers.
"""

from __future__ import annotations

import json
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
from playwright.sync_api import Locator, Page, Response
from tests.support.browser import chromium, screenshot
from tests.support.server import RunningServer, run_cli
from tests.support.source_pages import create_codename, fill_report, log_in, log_out, send_report
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


def open_report(page: Page, url: str, designation: str, submission: str, shots: str) -> Locator:
    """Open the URL `quietwire desk ui` printed: the inbox lists the source with one unread
    submission. Open the source; return the report's element."""
    first = page.goto(url)
    assert first is not None and first.status == 200
    # The token leaves the address bar at once
    assert page.url.endswith("/") and "token" not in page.url
    row = page.locator(f'tr.source-row[data-designation="{designation}"]')
    assert row.locator(".unread").inner_text() == "1"
    look(page, f"{shots}-inbox")
    row.locator("a.designation").click()
    page.wait_for_load_state()
    return page.locator(f"#s-{submission}")


def check_report(report: Locator, text: str, answers: dict[str, str]) -> None:
    """The report shows the source's text and these answers, as the desk words them."""
    assert report.locator(".text").inner_text() == text
    for field, shown in answers.items():
        assert report.locator(f'dd[data-field="{field}"]').inner_text() == shown, field


def reply_from_ui(page: Page, text: str) -> None:
    """On a source's page, write a reply and send it; the page confirms."""
    page.fill("#reply-text", text)
    page.click("#reply-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#reply-sent").is_visible(), page.content()[:3000]


def test_source_submits_in_chromium_editor_replies_in_the_desk_ui_source_reads_it(
    running: RunningServer, editor_key: tuple[Path, str], tmp_path: Path
) -> None:
    text = "Soldiers stopped the ambulances at the bridge. أوقفوا سيارات الإسعاف عند الجسر."
    report = {"what": "ambulances stopped", "where": "the old bridge", "how_known": "witness"}
    notes = "names of the drivers\nأسماء السائقين\n".encode()
    reply = "Thank you. Is the bridge still closed? شكرًا، هل ما زال الجسر مغلقًا؟"

    # Given an editor with a desk workspace (deliveries go to the editors there when a report
    # arrives, so the editor exists first)
    added = run_cli(
        "editors", "add", "alice", "--dir", str(running.dir), "--recipient", editor_key[1]
    )
    token = added.stdout.splitlines()[-1]
    ws = str(tmp_path / "desk")
    run_cli(
        *("desk", "init", "--dir", ws, "--server", running.desk),
        *("--token", token, "--identity", str(editor_key[0])),
    )

    # And a source who creates a codename and sends a report through the source app
    with chromium(tmp_path / "source-profile") as browser:
        page = browser.new_page()
        codename = create_codename(page, running.source)
        fill_report(
            page, text, report, [{"name": "notes.txt", "mimeType": "text/plain", "buffer": notes}]
        )
        screenshot(page, "desk-ui-roundtrip-source-sends")
        send_report(page)
        log_out(page)

    # When the editor's desk pulls it, with the command they would type
    assert "Imported 1 submission(s)." in run_cli("desk", "pull", "--dir", ws).stdout
    [source] = json.loads(run_cli("desk", "list", "--dir", ws, "--json").stdout)
    [submission] = source["submissions"]
    designation = source["designation"]
    assert designation not in codename

    with desk_ui(Path(ws)) as url, chromium(tmp_path / "editor-profile") as browser:
        page = browser.new_page()
        # Then the desk UI's inbox lists the source, and the report reads as the source
        # wrote it, structured answers and all
        article = open_report(page, url, designation, submission["id"], "desk-ui-roundtrip")
        check_report(
            article,
            text,
            {
                "what": "ambulances stopped",
                "where": "the old bridge",
                "how_known": "heard it from a witness",
            },
        )
        assert "notes.txt" in article.inner_text()
        look(page, "desk-ui-roundtrip-report")

        # When they reply from the UI
        reply_from_ui(page, reply)
        look(page, "desk-ui-roundtrip-replied")

    # Then the source, logging in again with the codename, reads the reply on their page
    with chromium(tmp_path / "source-profile") as browser:
        page = browser.new_page()
        log_in(page, running.source, codename)
        replies = page.locator(".reply")
        assert replies.count() == 1
        assert replies.first.locator(".body").inner_text() == reply
        screenshot(page, "desk-ui-roundtrip-source-reads-reply")


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

        # When the editor opens the printed URL, the inbox lists the source, one unread;
        # the report shows its text, answers and the photo
        article = open_report(page, url, designation, desk.submission, "desk-ui")
        check_report(article, TEXT, {"where": "north gate", "how_known": "saw it themselves"})
        assert article.locator("img.preview").count() == 1
        assert article.locator("li.not-scrubbed img").count() == 0
        images = [r for r in responses if r.url.endswith(f"/file/{desk.submission}/1/image")]
        assert images and images[-1].status == 200
        assert images[-1].headers["content-type"] == "image/jpeg"
        assert b"SecretCam" not in images[-1].body()
        look(page, "desk-ui-report")

        # When they reply from the UI, the page confirms and the source's reply identity opens it
        reply_from_ui(page, reply)
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
