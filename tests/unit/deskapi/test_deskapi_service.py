"""Editor accounts, envelope downloads with Range, acknowledgement and retention."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from tests.unit.desk.deskkit import Editors, auth, new_source, submit

from quietwire.crypto import new_identity
from quietwire.deskapi import (
    EditorError,
    add_editor,
    hash_token,
    list_editors,
    purge_expired,
    revoke_editor,
)
from quietwire.store import Editor, Envelope, Submission


def test_editor_accounts(editors: Editors) -> None:
    inst = editors.instance
    token = add_editor(inst, "carol", new_identity().recipient)
    name, _, secret = token.partition(".")
    assert name == "carol" and len(secret) >= 43  # 32 random bytes, base64url
    with inst.db.session() as s:
        row = s.scalar(select(Editor).where(Editor.name == "carol"))
        assert (
            row is not None and row.token_hash == hash_token(token) and secret not in row.token_hash
        )
    for bad in ("", "Carol", "a.b", "-x", "x" * 65, "ca rol"):
        with pytest.raises(EditorError):
            add_editor(inst, bad, new_identity().recipient)
    with pytest.raises(EditorError, match="exists"):
        add_editor(inst, "carol", new_identity().recipient)
    revoke_editor(inst, "carol")
    with pytest.raises(EditorError, match="no editor"):
        revoke_editor(inst, "dave")
    listed = {e.name: e.revoked for e in list_editors(inst)}
    assert set(listed) == {"alice", "bob", "carol"} and listed["carol"] is not None
    assert listed["alice"] is None


def test_envelope_download_supports_ranges(editors: Editors, desk_url: str) -> None:
    inst = editors.instance
    sub_id = submit(inst, new_source(inst), "x", [("f", "x/y", b"z" * 200_000)])
    token = editors["alice"].token
    page = httpx.get(f"{desk_url}/api/v1/submissions", headers=auth(token)).json()
    [sub] = page["submissions"]
    assert sub["id"] == sub_id and page["next"] is None
    env = next(e for e in sub["envelopes"] if e["kind"] == "file")
    url = f"{desk_url}/api/v1/envelopes/{env['id']}"
    whole = httpx.get(url, headers=auth(token))
    assert whole.status_code == 200 and len(whole.content) == env["size"]
    assert whole.headers["content-length"] == str(env["size"])
    part = httpx.get(url, headers={**auth(token), "Range": "bytes=1000-"})
    assert part.status_code == 206 and part.content == whole.content[1000:]
    assert part.headers["content-range"] == f"bytes 1000-{env['size'] - 1}/{env['size']}"
    tail = httpx.get(url, headers={**auth(token), "Range": "bytes=-10"})
    assert tail.content == whole.content[-10:]
    beyond = httpx.get(url, headers={**auth(token), "Range": f"bytes={env['size']}-"})
    assert beyond.status_code == 416
    far = httpx.get(f"{desk_url}/api/v1/submissions?after=999999999999999999", headers=auth(token))
    assert far.status_code == 200 and far.json()["submissions"] == []
    # Another editor's token cannot fetch what was not delivered to it.
    carol = add_editor(inst, "carol", new_identity().recipient)
    assert httpx.get(url, headers=auth(carol)).status_code == 404
    assert (
        httpx.get(f"{desk_url}/api/v1/submissions", headers=auth(carol)).json()["submissions"] == []
    )


def test_failed_logins_are_logged_without_the_token(
    editors: Editors, desk_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    secret_part = "S3CRETS3CRETS3CRET"  # noqa: S105 - a made-up token part
    with caplog.at_level(logging.WARNING, logger="quietwire.deskapi"):
        r = httpx.get(f"{desk_url}/api/v1/sources", headers=auth(f"alice.{secret_part}"))
    assert r.status_code == 401
    assert "alice" in caplog.text and secret_part not in caplog.text


def test_retention_deletes_unacknowledged_submissions(editors: Editors, tmp_path: Path) -> None:
    inst = editors.instance
    old = submit(inst, new_source(inst), "old", [("f", "x/y", b"1")])
    new = submit(inst, new_source(inst), "new")
    with inst.db.session() as s:
        row = s.scalar(select(Submission).where(Submission.id == old))
        assert row is not None
        row.created = datetime.now(UTC) - timedelta(days=inst.settings.envelope_retention_days + 1)
    assert purge_expired(inst) == 1
    with inst.db.session() as s:
        assert list(s.scalars(select(Submission.id))) == [new]
        keys = set(s.scalars(select(Envelope.blob_key)))
        assert s.scalar(select(func.count()).select_from(Envelope)) == 1
    assert set(inst.blobs.keys()) == keys


def test_revoking_an_editor_releases_what_only_they_still_had_to_fetch(
    editors: Editors, desk_url: str
) -> None:
    inst = editors.instance
    source = new_source(inst)
    had = [submit(inst, source, f"seen by alice {i}", [("f", "x/y", b"1")]) for i in range(2)]
    unseen = submit(inst, source, "seen by nobody yet")

    def ack(name: str, ids: list[str]) -> list[str]:
        r = httpx.post(
            f"{desk_url}/api/v1/acks",
            json={"submissions": ids},
            headers=auth(editors[name].token),
            timeout=30,
        )
        assert r.status_code == 200, r.text
        deleted: list[str] = r.json()["deleted"]
        return deleted

    def stored() -> set[str]:
        with inst.db.session() as s:
            return set(s.scalars(select(Submission.id)))

    assert ack("alice", had) == []  # bob has still to fetch them
    revoke_editor(inst, "bob")
    # Nobody will ever fetch them for bob: they go now, blobs included, not at retention.
    assert stored() == {unseen}
    with inst.db.session() as s:
        keys = set(s.scalars(select(Envelope.blob_key)))
    assert set(inst.blobs.keys()) == keys and len(keys) == 1
    # What alice has not acknowledged stays, and her acknowledgement alone now deletes it.
    assert ack("alice", [unseen]) == [unseen]
    assert stored() == set()
