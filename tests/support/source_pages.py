"""A source's steps in the source app, driven in Chromium (JavaScript off) by Playwright.

Each step clicks what a source clicks and waits for the page the app leads to, so a test
reads as the source's story: create a codename, send a report, log out, log in again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from playwright.sync_api import BrowserContext, FilePayload, Page


def create_codename(page: Page, base: str) -> str:
    """Ask for a codename, note it as shown (once), and create the source; land on /home."""
    page.goto(base + "/new")
    codename = page.locator("#codename").inner_text().strip()
    page.locator("#create-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/home$"))
    return codename


def fill_report(
    page: Page,
    text: str,
    report: Mapping[str, str] = {},
    files: Sequence[FilePayload] = (),
) -> None:
    """Fill the submit form on /home: the message, the report's fields, the files."""
    form = page.locator("#submit-form")
    form.locator("textarea[name=text]").fill(text)
    for field, value in report.items():
        if field == "how_known":  # the one question answered with radio buttons
            form.locator(f"input[name=how_known][value={value}]").check()
        else:
            form.locator(f"[name={field}]").fill(value)
    if files:
        form.locator("input[type=file]").set_input_files(list(files))


def send_report(page: Page) -> None:
    """Press "Send securely" on the filled form and wait for the confirmation page."""
    page.locator("#submit-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/submitted$"))
    assert page.locator("#submit-ok").count() == 1, page.content()[:2000]


def log_out(page: Page) -> None:
    page.locator("form.logout button").click()
    page.wait_for_url(re.compile(r"/$"))


def log_in(page: Page, base: str, typed: str) -> None:
    """Log in with the codename as typed (the app ignores spacing and case); land on /home."""
    page.goto(base + "/login")
    page.locator("#login-form input[name=codename]").fill(typed)
    page.locator("#login-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/home$"))


def end_session_server_side(browser: BrowserContext, base: str) -> None:
    """What 30 idle minutes do to a source writing a report: the server forgets the
    session while the browser keeps its cookie and the page being typed into. Modelled
    by logging out in another tab, then putting the cookie back."""
    kept = [c for c in browser.cookies() if c["name"] == "qw_session"]
    assert kept, "no session cookie to keep"
    other = browser.new_page()
    other.goto(base + "/home")
    log_out(other)
    other.close()
    browser.add_cookies(kept)  # type: ignore[arg-type]
