"""The desk UI over a real pulled workspace: the token gate, CSRF, headers, pages, files, replies."""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image
from tests.unit.desk.deskkit import desk_api, editors_instance, new_source, open_workspace, submit
from tests.unit.desk.uikit import BLOB, REPORT, Desk, pulled_desk, served

from quietwire.desk.ui import create_app

HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "cache-control": "no-store, max-age=0",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
}


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    with pulled_desk(tmp_path) as d:
        yield d


@pytest.fixture
def token() -> str:
    return secrets.token_urlsafe(32)


@pytest.fixture
def base(desk: Desk, token: str) -> Iterator[str]:
    with served(create_app(desk.workspace, token)) as url:
        yield url


@pytest.fixture
def anon(base: str) -> Iterator[httpx.Client]:
    """A client that has not presented the token."""
    with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as client:
        yield client


@pytest.fixture
def ui(anon: httpx.Client, token: str) -> httpx.Client:
    """A client that opened the printed URL once."""
    first = anon.get(f"/?token={token}", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/"
    return anon


def csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert found, page.text
    return found.group(1)


def assert_headers(response: httpx.Response) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (response.url, name)
    assert "<script" not in response.text.lower()


def test_missing_or_wrong_token_is_forbidden(anon: httpx.Client, token: str) -> None:
    for path in ("/", "/static/desk.css", f"/?token={token[:-1]}x", "/?token=", "/source/x"):
        response = anon.get(path, follow_redirects=False)
        assert response.status_code == 403, path
        assert_headers(response)
    # Two tokens (one right, one wrong) are refused too: no ambiguity to exploit.
    assert anon.get(f"/?token={token}&token=x", follow_redirects=False).status_code == 403


def test_token_is_traded_for_a_cookie_and_leaves_the_url(anon: httpx.Client, token: str) -> None:
    first = anon.get(f"/source/x?token={token}&lang=ar", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/source/x?lang=ar"
    cookie = first.headers["set-cookie"]
    port = str(anon.base_url).rstrip("/").rsplit(":", 1)[1]
    assert cookie.startswith(f"qw_desk_{port}=") and token not in cookie
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert anon.get("/").status_code == 200


def test_foreign_host_is_forbidden_even_with_the_cookie(ui: httpx.Client, base: str) -> None:
    # DNS rebinding: a hostile name pointing at 127.0.0.1.
    port = base.rsplit(":", 1)[1]
    assert ui.get("/", headers={"Host": f"evil.example:{port}"}).status_code == 403
    assert ui.get("/", headers={"Host": f"localhost:{port}"}).status_code == 200


def test_inbox_lists_the_source_with_unread_count(ui: httpx.Client, desk: Desk) -> None:
    page = ui.get("/")
    assert page.status_code == 200
    assert_headers(page)
    row = re.search(r'<tr class="source-row has-unread" data-designation="([^"]+)">', page.text)
    assert row and row.group(1) == desk.designation
    assert f"<bdi>{desk.designation}</bdi>" in page.text
    assert '<span class="unread badge"><bdi>1</bdi></span>' in page.text
    assert desk.source.source_id not in page.text


def test_report_page_shows_text_answers_and_only_the_scrubbed_image(
    ui: httpx.Client, desk: Desk
) -> None:
    page = ui.get(f"/source/{desk.designation}")
    assert page.status_code == 200
    assert_headers(page)
    assert "Checkpoint closed at dawn." in page.text and "الحاجز أُغلق فجرًا." in page.text
    for key, value in REPORT.items():
        shown = "saw it themselves" if key == "how_known" else value
        wrapped = shown if key == "how_known" else f"<bdi>{shown}</bdi>"
        assert f'data-field="{key}">{wrapped}</dd>' in page.text
    images = re.findall(r'<img class="preview" src="([^"]+)"', page.text)
    assert images == [f"/file/{desk.submission}/1/image"]
    image = ui.get(images[0])
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    assert_headers(image)
    assert b"SecretCam" not in image.content and b"ComSecret" not in image.content
    # The unscrubbable file has no inline view and no scrubbed copy, only the original.
    assert ui.get(f"/file/{desk.submission}/2/image").status_code == 404
    assert ui.get(f"/file/{desk.submission}/2/scrubbed").status_code == 404
    assert 'class="file not-scrubbed"' in page.text


def test_original_downloads_decrypted_as_an_attachment(ui: httpx.Client, desk: Desk) -> None:
    for position, data, name in ((1, desk.photo, "IMG_2041.jpg"), (2, BLOB, "tool.bin")):
        response = ui.get(f"/file/{desk.submission}/{position}/original")
        assert response.status_code == 200
        assert response.content == data
        assert response.headers["content-type"] == "application/octet-stream"
        assert response.headers["content-disposition"].startswith(f'attachment; filename="{name}"')
        assert_headers(response)
    scrubbed = ui.get(f"/file/{desk.submission}/1/scrubbed")
    assert scrubbed.headers["content-disposition"].startswith("attachment;")
    assert b"SecretCam" not in scrubbed.content
    with Image.open(io.BytesIO(scrubbed.content)) as im:
        assert im.size == (320, 200)


def test_tampered_original_aborts_the_download(ui: httpx.Client, desk: Desk) -> None:
    # Given an envelope changed on disk after the pull
    [envelope] = [
        desk.workspace.paths.originals / desk.submission / f.original
        for f in desk.workspace.submission(desk.submission).files
        if f.position == 1
    ]
    data = bytearray(envelope.read_bytes())
    data[-100] ^= 0x01
    envelope.write_bytes(bytes(data))
    # Then the browser never receives a complete file: the response is cut off
    with pytest.raises(httpx.RemoteProtocolError):
        ui.get(f"/file/{desk.submission}/1/original")


def test_unknown_things_are_404_with_headers(ui: httpx.Client, desk: Desk) -> None:
    for path in (
        "/source/no-such",
        f"/file/{desk.submission}/9/original",
        "/file/nope/1/image",
        "/nowhere",
    ):
        response = ui.get(path)
        assert response.status_code == 404, path
        assert_headers(response)


def test_posts_need_the_csrf_token_and_a_local_origin(
    ui: httpx.Client, desk: Desk, base: str
) -> None:
    url = f"/submission/{desk.submission}/star"
    assert ui.post(url, data={"starred": "1"}).status_code == 403
    assert ui.post(url, data={"starred": "1", "csrf": "0" * 64}).status_code == 403
    token = csrf(ui.get("/"))
    foreign = ui.post(
        url, data={"starred": "1", "csrf": token}, headers={"Origin": "http://evil.example"}
    )
    assert foreign.status_code == 403
    assert not desk.workspace.submission(desk.submission).starred
    ok = ui.post(
        url, data={"starred": "1", "csrf": token}, headers={"Origin": base}, follow_redirects=False
    )
    assert ok.status_code == 303
    assert desk.workspace.submission(desk.submission).starred


def test_star_and_read_marks(ui: httpx.Client, desk: Desk) -> None:
    token = csrf(ui.get("/"))
    sub = desk.submission
    ui.post(f"/submission/{sub}/read", data={"read": "1", "csrf": token})
    ui.post(f"/submission/{sub}/star", data={"starred": "1", "csrf": token})
    inbox = ui.get("/").text
    assert '<span class="unread zero">0</span>' in inbox and 'class="star on"' in inbox
    assert desk.workspace.submission(sub).read
    ui.post(f"/submission/{sub}/read", data={"read": "0", "csrf": token})
    assert not desk.workspace.submission(sub).read
    assert ui.post("/submission/nope/read", data={"read": "1", "csrf": token}).status_code == 404


def test_reply_from_the_ui_decrypts_with_the_source_reply_identity(
    ui: httpx.Client, desk: Desk
) -> None:
    page = ui.get(f"/source/{desk.designation}")
    text = "Thank you. Are you safe? هل أنت بخير؟"
    sent = ui.post(
        f"/source/{desk.designation}/reply",
        data={"text": text, "csrf": csrf(page)},
        follow_redirects=False,
    )
    assert sent.status_code == 303 and "sent=1" in sent.headers["location"]
    assert desk.replies_as_the_source_reads_them() == [text]
    after = ui.get(sent.headers["location"])
    assert 'id="reply-sent"' in after.text and "هل أنت بخير؟" in after.text
    # An empty reply is not sent.
    empty = ui.post(f"/source/{desk.designation}/reply", data={"text": "  ", "csrf": csrf(page)})
    assert 'id="reply-error"' in empty.text
    assert len(desk.replies_as_the_source_reads_them()) == 1


def test_language_switch_to_arabic_is_rtl(ui: httpx.Client, desk: Desk) -> None:
    token = csrf(ui.get("/"))
    here = f"/source/{desk.designation}"
    switched = ui.post(
        "/lang", data={"code": "ar", "next": here, "csrf": token}, follow_redirects=False
    )
    assert switched.status_code == 303 and switched.headers["location"] == here
    page = ui.get(here)
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "ردّ على هذا المصدر" in page.text and "رآه بنفسه" in page.text
    assert f"<bdi>{desk.designation}</bdi>" in page.text
    # The scrubber's notes, stored in English, are shown in Arabic too.
    notes = re.findall(r'<p class="muted small note" dir="(\w+)">([^<]+)</p>', page.text)
    assert notes == [
        ("auto", "أزيلت البيانات الوصفية وأعيد بناء الصورة من بكسلاتها"),
        ("auto", "نوع ملف غير معروف: لم يُنظَّف، للتنزيل فقط"),
    ]
    # Never an open redirect.
    away = ui.post(
        "/lang",
        data={"code": "en", "next": "//evil.example/", "csrf": token},
        follow_redirects=False,
    )
    assert away.headers["location"] == "/"
    assert '<html lang="en" dir="ltr">' in ui.get("/").text


def test_reply_while_the_server_is_unreachable_says_so_and_records_nothing(
    tmp_path: Path, token: str
) -> None:
    with editors_instance(tmp_path, f"sqlite:///{tmp_path / 'q.db'}", ["alice"]) as kit:
        # Given a workspace pulled while the desk API was up
        with desk_api(kit.instance) as url:
            submit(kit.instance, new_source(kit.instance), "hello")
            ws = open_workspace(tmp_path / "ws", url, kit["alice"])
            ws.pull()
        # When the editor replies after the server has gone away
        designation = ws.sources()[0].designation
        try:
            with (
                served(create_app(ws, token)) as base,
                httpx.Client(base_url=base, follow_redirects=True, timeout=30) as ui,
            ):
                ui.get(f"/?token={token}")
                page = ui.get(f"/source/{designation}")
                answer = ui.post(
                    f"/source/{designation}/reply",
                    data={"text": "are you safe?", "csrf": csrf(page)},
                )
                # Then the page says why, the URL carries no diagnostic, and nothing is recorded
                assert answer.status_code == 200 and 'id="reply-error"' in answer.text
                assert "error=reply_failed" in str(answer.url) and "safe" not in str(answer.url)
                # The unsent text waits in the form for another try
                assert (
                    'autocomplete="off" maxlength="20000">are you safe?</textarea>' in answer.text
                )
                assert ws.replies(designation) == []
        finally:
            ws.close()
