"""The whole source flow in headless Chromium with JavaScript off, in English and Arabic,
followed by the café-forensics check of everything the server and the browser kept."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import httpx
import pytest
from tests.support.browser import chromium, find_bytes, screenshot
from tests.support.server import RunningServer
from tests.support.store import counts, decrypted_submissions, write_reply

pytestmark = pytest.mark.browser

PHOTO = bytes.fromhex("ffd8ffe000104a464946") + b"fake-jpeg-body" * 500 + b"\xff\xd9"


@pytest.mark.parametrize("locale", ["en-US", "ar-SY"])
def test_source_flow_and_cafe_forensics(
    locale: str,
    running: RunningServer,
    editor_key: tuple[Path, str],
    tmp_path: Path,
    server_tmp: Path,
) -> None:
    lang = locale[:2]
    marker = f"MARKER-{lang}-7Q3ZK9"
    report_text = (
        f"{marker} أجبروا المدنيين على التبرع بالدم" if lang == "ar" else f"{marker} blood"
    )
    doc_text = f"document body {marker}-FILE".encode()
    profile = tmp_path / "profile"
    base = running.source
    with chromium(profile, locale=locale) as browser:
        page = browser.new_page()

        # Given a source on the landing page
        page.goto(base + "/")
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        assert page.locator("#quick-exit").count() == 1
        screenshot(page, f"source-{lang}-1-index")

        # When they ask for a codename, it is shown once, from their language's wordlist
        page.goto(base + "/new")
        codename = page.locator("#codename").inner_text().strip()
        assert len(codename.split()) >= 7
        if lang == "ar":
            assert re.search(r"[\u0600-\u06FF]", codename)
        screenshot(page, f"source-{lang}-2-codename")
        page.locator("#create-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/home$"))
        screenshot(page, f"source-{lang}-3-home")

        # And they send text, a structured report and two files
        form = page.locator("#submit-form")
        form.locator("textarea[name=text]").fill(report_text)
        form.locator("textarea[name=what]").fill("forced blood donation")
        form.locator("input[name=where]").fill("Raqqa")
        form.locator("input[name=when]").fill("last week")
        form.locator("input[name=how_many]").fill("dozens")
        form.locator("input[name=how_known][value=witness]").check()
        form.locator("input[type=file]").set_input_files(
            [
                {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": PHOTO},
                {"name": "notes.txt", "mimeType": "text/plain", "buffer": doc_text},
            ]
        )
        screenshot(page, f"source-{lang}-4-filled")
        form.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(r"/submitted$"))
        assert page.locator("#submit-ok").count() == 1
        screenshot(page, f"source-{lang}-5-submitted")

        # Then log out
        page.locator("form.logout button").click()
        page.wait_for_url(re.compile(r"/$"))

        # Given an editor's reply, written with the crypto API to the source's reply key
        reply_text = "شكراً، وصلنا تقريرك" if lang == "ar" else "Thank you, we received it"
        write_reply(running.dir, reply_text)

        # When the source logs in again (typing the codename with other spacing and capitals)
        page.goto(base + "/login")
        typed = "  " + "   ".join(codename.split()).upper() + " "
        page.locator("#login-form input[name=codename]").fill(typed)
        page.locator("#login-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/home$"))

        # Then the reply is there, and can be deleted
        replies = page.locator(".reply")
        assert replies.count() == 1
        assert reply_text in replies.first.inner_text()
        screenshot(page, f"source-{lang}-6-reply")
        replies.first.locator("button").click()
        page.wait_for_url(re.compile(r"/home$"))
        assert page.locator(".reply").count() == 0
        assert counts(running.dir)["replies"] == 0

        # And the quick exit ends the session and lands on a neutral page
        page.locator("#quick-exit").click()
        page.wait_for_url(re.compile(r"/bye$"))
        screenshot(page, f"source-{lang}-7-exit")
        page.goto(base + "/home")
        assert page.locator("#submit-form").count() == 0
        page.close()

    # The stored blobs decrypt with the stock age CLI to exactly what was sent
    [(manifest, files)] = decrypted_submissions(running.dir, editor_key[0])
    assert manifest.text == report_text
    assert manifest.report == {
        "what": "forced blood donation",
        "where": "Raqqa",
        "when": "last week",
        "how_many": "dozens",
        "how_known": "witness",
    }
    assert manifest.lang == lang
    assert [(f.name, f.type, f.size) for f in manifest.files] == [
        ("photo.jpg", "image/jpeg", len(PHOTO)),
        ("notes.txt", "text/plain", len(doc_text)),
    ]
    assert sorted(files.values()) == sorted([PHOTO, doc_text])

    # Café forensics: the marker is nowhere but inside ciphertext, and not in the browser profile
    needles = [marker.encode(), b"fake-jpeg-body", codename.encode()]
    assert find_bytes(profile, needles) == []
    assert find_bytes(running.dir, needles[:2]) == []
    assert find_bytes(server_tmp, needles[:2]) == []
    assert marker not in running.output()
    assert codename not in running.output()
    shutil.rmtree(profile)


def test_every_source_page_carries_the_headers_and_no_script(running: RunningServer) -> None:
    with httpx.Client(base_url=running.source, follow_redirects=False) as client:
        new = client.get("/new")
        csrf = re.search(r'name="csrf" value="([^"]+)"', new.text)
        assert csrf is not None
        created = client.post("/new", data={"csrf": csrf.group(1)})
        responses = [
            client.get(p)
            for p in (
                "/",
                "/new",
                "/login",
                "/home",
                "/submitted",
                "/bye",
                "/static/style.css",
                "/nope",
                "/lang/ar?next=/",
            )
        ]
        responses += [
            created,
            client.post("/submit", content=b"x"),
            client.post("/login", data={"csrf": "stale"}),
        ]
    for response in responses:
        h = response.headers
        assert "default-src 'none'" in h["content-security-policy"], response.url
        assert "frame-ancestors 'none'" in h["content-security-policy"]
        assert h["cache-control"].startswith("no-store")
        assert h["referrer-policy"] == "no-referrer"
        assert h["x-content-type-options"] == "nosniff"
        assert h["cross-origin-opener-policy"] == "same-origin"
        assert h["cross-origin-resource-policy"] == "same-origin"
        assert "server" not in h
        assert "<script" not in response.text.lower()
    cookie = next(r for r in responses if "set-cookie" in r.headers).headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "max-age" not in cookie
