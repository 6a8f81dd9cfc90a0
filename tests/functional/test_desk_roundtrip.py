"""The whole round trip: a source submits in headless Chromium (JavaScript off), the desk
pulls and decrypts exactly what was sent, replies, and the source reads the reply.

The source app is the real `quietwire serve`; the desk API runs on its own loopback socket
over the same instance (database and blobs), as the desk listener does in production.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from tests.support.browser import chromium, screenshot
from tests.support.server import RunningServer, run_cli
from tests.support.source_pages import create_codename, fill_report, log_in, log_out, send_report
from tests.unit.desk.deskkit import desk_api

from quietwire.desk import Workspace
from quietwire.instance import open_instance

pytestmark = pytest.mark.browser

PHOTO = bytes.fromhex("ffd8ffe000104a464946") + b"not really a jpeg" * 300 + b"\xff\xd9"
NOTES = "ملاحظات الشاهد\nwitness notes\n".encode()


def test_source_to_desk_and_back(
    running: RunningServer, editor_key: tuple[Path, str], tmp_path: Path
) -> None:
    added = run_cli(
        "editors", "add", "alice", "--dir", str(running.dir), "--recipient", editor_key[1]
    )
    token = added.stdout.splitlines()[-1]
    text = "Checkpoint closed since Monday — الحاجز مغلق منذ الاثنين"
    with chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        codename = create_codename(page, running.source)
        fill_report(
            page,
            text,
            {"what": "road closure", "where": "north checkpoint", "how_known": "saw"},
            [
                {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": PHOTO},
                {"name": "notes.txt", "mimeType": "text/plain", "buffer": NOTES},
            ],
        )
        send_report(page)
        log_out(page)

        inst = open_instance(running.dir)
        try:
            with desk_api(inst) as url:
                ws = Workspace.init(tmp_path / "desk", url, token, editor_key[0])
                report = ws.pull()
                assert report.rejected == {} and len(report.imported) == 1
                sub = ws.submission(report.imported[0])
                assert sub.text == text
                assert sub.answers["what"] == "road closure"
                assert sub.answers["where"] == "north checkpoint"
                assert sub.answers["how_known"] == "saw"
                assert [(f.name, f.size) for f in sub.files] == [
                    ("photo.jpg", len(PHOTO)),
                    ("notes.txt", len(NOTES)),
                ]
                for f, data in zip(sub.files, (PHOTO, NOTES), strict=True):
                    out = io.BytesIO()
                    ws.decrypt_original(sub.id, f.position, out)
                    assert out.getvalue() == data
                assert sub.designation not in codename
                ws.reply(sub.designation, "Received. Please stay away from the checkpoint.")
        finally:
            inst.close()

        log_in(page, running.source, codename)
        replies = page.locator(".reply")
        assert replies.count() == 1
        assert "Please stay away from the checkpoint." in replies.first.inner_text()
        screenshot(page, "desk-roundtrip-reply")
        page.close()
