"""Replies and deletion: encrypted on the desk, readable only with the source's reply key."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from tests.unit.desk.deskkit import Editors, auth, new_source, open_workspace, submit

from quietwire.crypto import EnvelopeError, decrypt_bytes, encrypt_bytes, parse_recipient
from quietwire.desk import DeskError, NotFound
from quietwire.deskapi import MAX_REPLY_BYTES
from quietwire.store import Envelope, Reply, Source, Submission


def test_reply_round_trip(tmp_path: Path, editors: Editors, desk_url: str) -> None:
    source = new_source(editors.instance)
    submit(editors.instance, source, "please answer")
    ws = open_workspace(tmp_path / "ws", desk_url, editors["alice"])
    ws.pull()
    [view] = ws.sources()
    reply_id = ws.reply(view.designation, "Thank you. Stay safe — شكراً")
    with editors.instance.db.session() as s:
        [row] = s.scalars(select(Reply).where(Reply.source_id == source.source_id)).all()
    assert row.id == reply_id
    with editors.instance.blobs.open(row.blob_key) as fh:
        sealed = fh.read()
    assert b"Thank you" not in sealed
    assert (
        decrypt_bytes(sealed, [source.reply_identity()]).decode() == "Thank you. Stay safe — شكراً"
    )
    # Neither editor can read it back: it is for the source only.
    with pytest.raises(EnvelopeError):
        decrypt_bytes(sealed, ws.identities())
    assert [r.text for r in ws.replies(view.designation)] == ["Thank you. Stay safe — شكراً"]
    with pytest.raises(NotFound):
        ws.reply("no-such-source", "x")
    with pytest.raises(DeskError):
        ws.reply(view.designation, "   ")


def test_a_reply_that_is_not_an_age_file_is_rejected(editors: Editors, desk_url: str) -> None:
    source = new_source(editors.instance)
    url = f"{desk_url}/api/v1/sources/{source.source_id}/replies"
    token = editors["alice"].token
    for body in (
        b"plain text reply",
        b"age-encryption.org/v1\nno stanza\n",
        b"",
        # Right beginnings, then plaintext: the header parser refuses them.
        b"-----BEGIN AGE ENCRYPTED FILE-----\nthis is plaintext not age\n",
        b"age-encryption.org/v1\n-> X25519 junk\n--- junk\nPLAINTEXT SECRET REPLY",
    ):
        r = httpx.post(url, content=body, headers=auth(token))
        assert r.status_code == 422 and "age file" in r.json()["detail"], body
    too_big = b"age-encryption.org/v1\n-> X25519 x\n--- y\n" + b"\0" * MAX_REPLY_BYTES
    assert httpx.post(url, content=too_big, headers=auth(token)).status_code == 413
    good = encrypt_bytes(b"ok", [parse_recipient(source.reply_recipient)])
    assert httpx.post(url, content=good, headers=auth(token)).status_code == 201
    missing = f"{desk_url}/api/v1/sources/{'0' * 64}/replies"
    assert httpx.post(missing, content=good, headers=auth(token)).status_code == 404
    with editors.instance.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Reply)) == 1
    assert len(list(editors.instance.blobs.keys())) == 1


def test_deleting_a_source_removes_rows_and_blobs(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    keep = new_source(editors.instance)
    gone = new_source(editors.instance)
    submit(editors.instance, keep, "stays")
    submit(editors.instance, gone, "goes", [("f", "x/y", b"data")])
    ws = open_workspace(tmp_path / "ws", desk_url, editors["alice"])
    ws.pull()
    target = next(s for s in ws.sources() if s.id == gone.source_id)
    ws.reply(target.designation, "bye")
    submit(editors.instance, gone, "pending, never pulled")
    keys_before = set(editors.instance.blobs.keys())
    # bob has not fetched it: alice's deletion waits for him (see test_deletion_safeguard)
    assert ws.delete_source(target.designation) == 1
    with editors.instance.db.session() as s:
        assert s.get(Source, gone.source_id) is not None
    also = httpx.delete(
        f"{desk_url}/api/v1/sources/{gone.source_id}", headers=auth(editors["bob"].token)
    )
    assert also.status_code == 204
    with editors.instance.db.session() as s:
        assert s.get(Source, gone.source_id) is None
        assert (
            s.scalar(
                select(func.count())
                .select_from(Submission)
                .where(Submission.source_id == gone.source_id)
            )
            == 0
        )
        assert s.scalar(select(func.count()).select_from(Reply)) == 0
        remaining = set(s.scalars(select(Envelope.blob_key)))
    assert set(editors.instance.blobs.keys()) == remaining < keys_before
    assert [s.designation for s in ws.sources()] != [] and all(
        s.id == keep.source_id for s in ws.sources()
    )
    assert list(ws.paths.originals.iterdir()) == [ws.paths.originals / ws.submissions()[0].id]
