"""The whole source flow in headless Chromium with JavaScript off, in English and Arabic,
followed by the café-forensics check of everything the server and the browser kept."""

from __future__ import annotations

import re
import secrets
import shutil
import signal
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import FilePayload
from sqlalchemy import select
from tests.support.browser import chromium, find_bytes, screenshot
from tests.support.components import PostgresCluster
from tests.support.server import RunningServer
from tests.support.source_pages import end_session_server_side, fill_report
from tests.support.store import counts, decrypted_submissions, write_reply

from quietwire.crypto import normalize_codename
from quietwire.instance import open_instance
from quietwire.store import Source

pytestmark = pytest.mark.browser

# Words a source could type that are no codename (nor part of one: codenames are 7+ words).
WRONG_CODENAME = {"en": "apple river candle", "ar": "شمس بحر قمر"}
MAX_TEXT = 512 * 1024  # the default max_text_kb: a longer message is refused


def stop(server: RunningServer) -> None:
    """Stop the server as an operator would (SIGTERM), so its log is flushed and whatever it
    writes on the way out is on disk before the forensics search."""
    server.process.send_signal(signal.SIGTERM)
    server.process.wait(timeout=30)


def database_files(database_url: str, request: pytest.FixtureRequest) -> list[Path]:
    """Every file the database keeps: SQLite's file with its -wal and -shm, or, on PostgreSQL,
    the whole cluster (data directory with heap files and WAL, and its log) after a CHECKPOINT.
    The cluster is shared by the session, so the needles searched there must be unique."""
    if database_url.startswith("sqlite:///"):
        db = Path(database_url.removeprefix("sqlite:///"))
        files = sorted(db.parent.glob(db.name + "*"))
        assert db in files, files
        return files
    cluster: PostgresCluster = request.getfixturevalue("postgres_server")
    cluster.checkpoint()
    files = [p for p in cluster.root.rglob("*") if p.is_file()]
    assert cluster.log in files and any(p.parent.name == "pg_wal" for p in files), files
    return files


def reply_recipient(instance_dir: Path) -> str:
    inst = open_instance(instance_dir)
    try:
        with inst.db.session() as s:
            # One recipient: the codename's source, and the placeholder of the report it
            # attached after its session ended, which took the codename's reply key.
            return s.scalars(select(Source.reply_recipient).distinct()).one()
    finally:
        inst.close()


def files_holding(files: list[Path], needles: list[bytes]) -> list[str]:
    """Every one of `files` holding a needle, raw or as UTF-16 (as `find_bytes` does)."""
    variants = needles + [n.decode().encode("utf-16-le") for n in needles]
    hits = []
    for path in files:
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # a temporary PostgreSQL removed after the listing
            continue
        hits.extend(f"{path}: {v[:20]!r}" for v in variants if v in data)
    return hits


@pytest.mark.parametrize("locale", ["en-US", "ar-SY"])
def test_source_flow_and_cafe_forensics(
    locale: str,
    running: RunningServer,
    editor_key: tuple[Path, str],
    tmp_path: Path,
    server_tmp: Path,
    database_url: str,
    request: pytest.FixtureRequest,
) -> None:
    lang = locale[:2]
    # Unique to this run: the PostgreSQL cluster is shared with every test of the session.
    token = secrets.token_hex(6).upper()
    marker = f"MARKER-{lang}-{token}"
    photo_body = f"fake-jpeg-body-{token}".encode()
    photo = bytes.fromhex("ffd8ffe000104a464946") + photo_body * 500 + b"\xff\xd9"
    report_text = (
        f"{marker} أجبروا المدنيين على التبرع بالدم" if lang == "ar" else f"{marker} blood"
    )
    doc_text = f"document body {marker}-FILE".encode()
    wrong_codename = f"{WRONG_CODENAME[lang]} {token.lower()}"
    failed_marker = f"FAILED-{lang}-{token}"
    held_marker = f"HELD-{lang}-{token}"
    held_file = f"held file body {token}".encode()
    profile = tmp_path / "profile"
    base = running.source
    with chromium(profile, locale=locale) as browser:
        # Every answer to a POST the browser makes, in every tab: each must be a 303. This
        # Chromium seals its session files (Sessions_Encrypted/) with a key from os_crypt,
        # so the search below cannot see into them; the 303 is what keeps the body out.
        posts: list[tuple[str, int]] = []
        browser.on(
            "response",
            lambda r: posts.append((r.url, r.status)) if r.request.method == "POST" else None,
        )
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
                {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": photo},
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

        # When the source mistypes their codename, the login page says so and nothing more
        page.goto(base + "/login")
        screenshot(page, f"source-{lang}-5a-login")
        page.locator("#login-form input[name=codename]").fill(wrong_codename)
        page.locator("#login-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/login$"))  # a redirect: no POST body kept
        assert page.locator(".error[role=alert]").count() == 1
        assert page.locator("#submit-form").count() == 0
        screenshot(page, f"source-{lang}-5b-wrong-codename")

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

        # When a send fails (a message over the size limit), the page after it says so
        too_long = (failed_marker + " ") * (MAX_TEXT // len(failed_marker) + 1)
        fill_report(page, too_long)
        page.locator("#submit-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/problem$"))
        assert page.locator(".error[role=alert]").count() == 1
        screenshot(page, f"source-{lang}-6a-failed-send")

        # When the session ends while the source writes a report with a file
        page.goto(base + "/home")
        payload: FilePayload = {"name": "held.txt", "mimeType": "text/plain", "buffer": held_file}
        fill_report(page, held_marker, {"where": "Deir ez-Zor"}, [payload])
        end_session_server_side(browser, base)
        # Then Send still receives it, and asks for the codename to attach it
        page.locator("#submit-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/login$"))
        assert page.locator("#held").count() == 1
        screenshot(page, f"source-{lang}-6b-held")
        page.locator("#login-form input[name=codename]").fill(codename)
        page.locator("#login-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/home$"))
        assert page.locator("#attached").count() == 1

        # And the quick exit ends the session and lands on a neutral page
        page.locator("#quick-exit").click()
        page.wait_for_url(re.compile(r"/bye\?l=" + lang + "$"))
        screenshot(page, f"source-{lang}-7-exit")
        page.goto(base + "/home")
        assert page.locator("#submit-form").count() == 0

        # And a page that does not exist is a plain, translated 404 with the quick exit
        missing = page.goto(base + "/no-such-page")
        assert missing is not None and missing.status == 404
        assert page.locator(".error[role=alert]").count() == 1
        assert page.locator("#quick-exit").count() == 1
        screenshot(page, f"source-{lang}-8-not-found")
        page.close()

    # Create, send, log out, a failed login, a login, delete the reply, a failed send, a log
    # out in another tab, the send on the ended session, and the login that attaches it.
    assert len(posts) == 10, posts
    assert [p for p in posts if p[1] != 303] == []

    # The stored blobs decrypt with the stock age CLI to exactly what was sent
    [(manifest, files), (held, held_files)] = decrypted_submissions(running.dir, editor_key[0])
    assert (held.text, held.report, list(held_files.values())) == (
        held_marker,
        {"where": "Deir ez-Zor"},
        [held_file],
    )
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
        ("photo.jpg", "image/jpeg", len(photo)),
        ("notes.txt", "text/plain", len(doc_text)),
    ]
    assert sorted(files.values()) == sorted([photo, doc_text])

    # Café forensics: the marker and the photo's bytes are nowhere but inside ciphertext, and
    # the codename nowhere at all (the server keeps only an Argon2id-derived id): not in the
    # instance (blobs, config), the database's files, the server's log and TMPDIR, nor in the
    # browser profile after logout. Codenames are held normalised; check every form anyway.
    # The same for what a failed login, a failed send and a send on an ended session typed.
    forms = {codename, normalize_codename(codename), typed.strip(), wrong_codename}
    typed_markers = [marker, failed_marker, held_marker]
    needles = [m.encode() for m in typed_markers] + [photo_body, held_file]
    needles += [form.encode() for form in sorted(forms)]
    stop(running)
    assert find_bytes(profile, needles) == []
    assert find_bytes(running.dir, needles) == []
    assert find_bytes(server_tmp, needles) == []
    db_files = database_files(database_url, request)
    assert files_holding([running.log, *db_files], needles) == []
    # Control: the same search does see what the database holds in clear by design.
    assert files_holding(db_files, [reply_recipient(running.dir).encode()]) != []
    log = running.output()
    assert "public: http://" in log  # the log was written, and flushed before we read it
    assert [n for n in needles if n.decode() in log] == []
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
                "/problem",
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
