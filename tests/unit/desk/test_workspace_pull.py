"""`Workspace.pull` against a real desk API: exact plaintext, acknowledgement, deletion."""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import stat
from pathlib import Path

from sqlalchemy import func, select
from tests.unit.desk.deskkit import Editors, new_source, open_workspace, submit

from quietwire.store import Submission


def _count(editors: Editors) -> int:
    with editors.instance.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Submission)) or 0)


def test_pull_decrypts_exactly_what_was_sent(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    source = new_source(editors.instance)
    photo = secrets.token_bytes(300_000)
    note = "ملاحظة\nsecond line\n".encode()
    report = {"what": "shelling", "where": "north market", "how_known": "saw"}
    sub_id = submit(
        editors.instance,
        source,
        "Text with Arabic: القصف بدأ",
        [("photo.bin", "application/octet-stream", photo), ("note.txt", "text/plain", note)],
        report,
    )
    ws = open_workspace(tmp_path / "ws", desk_url, editors["alice"])
    result = ws.pull()
    assert result.imported == [sub_id] and result.rejected == {}
    sub = ws.submission(sub_id)
    assert sub.text == "Text with Arabic: القصف بدأ"
    assert sub.answers == report
    assert [(f.name, f.size) for f in sub.files] == [
        ("photo.bin", len(photo)),
        ("note.txt", len(note)),
    ]
    assert [f.sha256 for f in sub.files] == [
        hashlib.sha256(photo).hexdigest(),
        hashlib.sha256(note).hexdigest(),
    ]
    for position, data in ((1, photo), (2, note)):
        out = io.BytesIO()
        ws.decrypt_original(sub_id, position, out)
        assert out.getvalue() == data
    # The original is kept only encrypted: its bytes appear nowhere in the workspace.
    for path in (tmp_path / "ws").rglob("*"):
        if path.is_file():
            assert photo[:4096] not in path.read_bytes()
    # Workspace is private.
    assert stat.S_IMODE(os.stat(tmp_path / "ws").st_mode) == 0o700
    # bob has not acknowledged yet: the server keeps the submission; a second pull is a no-op.
    assert _count(editors) == 1
    assert ws.pull().imported == []
    # Unread count, read and star marks.
    assert [(s.submissions, s.unread) for s in ws.sources()] == [(1, 1)]
    ws.mark_read(sub_id)
    ws.star(sub_id)
    assert ws.sources()[0].unread == 0 and ws.submission(sub_id).starred


def test_two_editors_each_decrypt_and_the_last_ack_deletes(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    source = new_source(editors.instance)
    sub_id = submit(editors.instance, source, "for both", [("a.txt", "text/plain", b"hello")])
    alice = open_workspace(tmp_path / "alice", desk_url, editors["alice"])
    bob = open_workspace(tmp_path / "bob", desk_url, editors["bob"])
    assert alice.pull().imported == [sub_id]
    assert _count(editors) == 1
    assert bob.pull().imported == [sub_id]
    for ws in (alice, bob):
        out = io.BytesIO()
        ws.decrypt_original(sub_id, 1, out)
        assert out.getvalue() == b"hello"
        assert ws.submission(sub_id).text == "for both"
    # Both have it: rows and blobs are gone from the server.
    assert _count(editors) == 0
    assert list(editors.instance.blobs.keys()) == []
    # Each editor's identity opens only its own workspace's... and the same designation.
    assert alice.sources()[0].designation == bob.sources()[0].designation


def test_list_json_shape_via_views(tmp_path: Path, editors: Editors, desk_url: str) -> None:
    source = new_source(editors.instance)
    submit(editors.instance, source, "one")
    submit(editors.instance, source, "two", [("x.txt", "text/plain", b"x")])
    ws = open_workspace(tmp_path / "ws", desk_url, editors["alice"])
    ws.pull()
    [view] = ws.sources()
    assert view.submissions == 2 and view.unread == 2
    assert [s.text for s in ws.submissions(view.designation)] in (["one", "two"], ["two", "one"])
    json.dumps([f.name for s in ws.submissions() for f in s.files])
    assert source.source_id not in view.designation
