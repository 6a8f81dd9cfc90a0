"""`desk pull` of large files (decrypted in a child while they download) and of many small
ones (fetched in batches); rejected submissions are not fetched again."""

from __future__ import annotations

import hashlib
import io
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from tests.unit.desk.deskkit import EditorKit, Editors, new_source, open_workspace, submit

from quietwire.crypto import new_identity
from quietwire.desk import Workspace, _pull
from quietwire.desk._workspace import _groups
from quietwire.deskapi import add_editor
from quietwire.store import Envelope, FileBlobStore

BIG = 3 * 1024 * 1024  # above SMALL_ENVELOPE: streams through a child process


def _nothing_left(ws: Workspace) -> None:
    assert list(ws.paths.tmp.rglob("*")) == []
    assert list(ws.paths.incoming.iterdir()) == []


def _tamper(editors: Editors, sub_id: str) -> None:
    blobs = editors.instance.blobs
    assert isinstance(blobs, FileBlobStore)
    with editors.instance.db.session() as s:
        key = s.scalar(
            select(Envelope.blob_key).where(
                Envelope.submission_id == sub_id, Envelope.kind == "file"
            )
        )
    assert key is not None
    data = bytearray((blobs.root / key).read_bytes())
    data[len(data) // 2] ^= 0x01
    (blobs.root / key).write_bytes(bytes(data))


def test_large_file_streams_exactly_and_is_scrubbed(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    assert BIG > _pull.SMALL_ENVELOPE
    text = ("line of a long witness statement, ligne, سطر\n" * 80_000).encode()[:BIG]
    text = text[: len(text.decode(errors="ignore").encode())]  # whole characters only
    blob = secrets.token_bytes(BIG + 12_345)
    sub_id = submit(
        editors.instance,
        new_source(editors.instance),
        "large",
        [("statement.txt", "text/plain", text), ("video.bin", "application/octet-stream", blob)],
    )
    ws = open_workspace(tmp_path / "ws", desk_url, editors["alice"])
    report = ws.pull()
    assert report.imported == [sub_id] and report.rejected == {}
    assert report.downloaded_bytes > len(text) + len(blob)
    view = ws.submission(sub_id)
    assert [(f.name, f.size, f.sha256) for f in view.files] == [
        ("statement.txt", len(text), hashlib.sha256(text).hexdigest()),
        ("video.bin", len(blob), hashlib.sha256(blob).hexdigest()),
    ]
    for position, data in ((1, text), (2, blob)):
        out = io.BytesIO()
        ws.decrypt_original(sub_id, position, out)
        assert out.getvalue() == data
    # The text file got its viewing copy from the plaintext the child wrote.
    copies = list((ws.paths.scrubbed / sub_id).iterdir())
    assert [c.read_bytes() for c in copies] == [text]
    _nothing_left(ws)


def test_tampered_large_file_is_rejected_once_and_not_fetched_again(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    source = new_source(editors.instance)
    good = submit(editors.instance, source, "good", [("a.bin", "x/y", secrets.token_bytes(BIG))])
    bad = submit(editors.instance, source, "bad", [("b.bin", "x/y", secrets.token_bytes(BIG))])
    _tamper(editors, bad)
    ws = open_workspace(tmp_path / "ws", desk_url, editors["alice"])
    first = ws.pull()
    assert first.imported == [good]
    assert "damaged or incomplete" in first.rejected[bad]
    assert [s.id for s in ws.submissions()] == [good]
    assert not (ws.paths.originals / bad).exists()
    _nothing_left(ws)
    # The next pull reports it again without downloading a byte of it.
    second = ws.pull()
    assert second.imported == [] and second.downloaded_bytes == 0
    assert "damaged or incomplete" in second.rejected[bad]
    assert "not fetched again" in second.rejected[bad]
    # Forgetting the rejections makes the pull try again (and fail again, honestly).
    (ws.root / "rejected.json").unlink()
    third = ws.pull()
    assert third.downloaded_bytes > 0 and "not fetched again" not in third.rejected[bad]


def test_wrong_identity_stops_a_large_download_early(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    pair = new_identity()
    key = tmp_path / "carol.txt"
    key.write_text(pair.secret.reveal() + "\n")
    # Her account holds another key than the identity her desk has.
    token = add_editor(editors.instance, "carol", new_identity().recipient)
    carol = EditorKit("carol", token, key, pair.recipient)
    size = 8 * 1024 * 1024
    sub_id = submit(
        editors.instance,
        new_source(editors.instance),
        "x",
        [("f", "x/y", secrets.token_bytes(size))],
    )
    ws = open_workspace(tmp_path / "ws", desk_url, carol)
    report = ws.pull()
    assert report.imported == []
    assert "not encrypted to this identity" in report.rejected[sub_id]
    assert report.downloaded_bytes < size // 2  # the child gave up at the header
    assert list(ws.paths.originals.iterdir()) == []
    _nothing_left(ws)


def test_a_swapped_large_envelope_is_refused_at_its_header(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    # A server (or whoever holds its disk) swaps two submissions' file envelopes: each
    # decrypts fine with the editor's key, but its header is not the one its manifest
    # binds, so the desk stops before downloading the rest of it.
    size = 8 * 1024 * 1024
    source = new_source(editors.instance)
    one = submit(editors.instance, source, "1", [("f", "x/y", secrets.token_bytes(size))])
    two = submit(editors.instance, source, "2", [("g", "x/y", secrets.token_bytes(size))])
    with editors.instance.db.session() as s:
        a, b = s.scalars(select(Envelope).where(Envelope.kind == "file")).all()
        moves = [(a.id, "0" * 32 + ".age"), (b.id, a.blob_key), (a.id, b.blob_key)]
        for env_id, key in moves:  # the keys are unique: one out of the way first
            s.execute(update(Envelope).where(Envelope.id == env_id).values(blob_key=key))
    ws = open_workspace(tmp_path / "ws", desk_url, editors["alice"])
    report = ws.pull()
    assert report.imported == []
    for sub_id in (one, two):
        assert "not the envelope the manifest names" in report.rejected[sub_id]
    assert report.downloaded_bytes < size // 2  # a few chunks of each, not the files
    _nothing_left(ws)


def test_many_small_submissions_come_in_batches(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    source = new_source(editors.instance)
    sent = {
        submit(editors.instance, source, f"report {i}", [(f"{i}.txt", "text/plain", b"%d" % i)]): i
        for i in range(12)
    }
    bad = next(iter(sent))
    _tamper(editors, bad)
    ws = open_workspace(tmp_path / "ws", desk_url, editors["alice"])
    report = ws.pull()
    assert set(report.imported) == set(sent) - {bad}
    assert list(report.rejected) == [bad]
    for sub_id in report.imported:
        out = io.BytesIO()
        ws.decrypt_original(sub_id, 1, out)
        assert out.getvalue() == b"%d" % sent[sub_id]
        assert ws.submission(sub_id).text == f"report {sent[sub_id]}"
    _nothing_left(ws)


def _sub(name: str, *sizes: int) -> dict[str, Any]:
    envs = [
        {"id": f"{name}{i}", "size": n, "kind": "file", "position": i} for i, n in enumerate(sizes)
    ]
    return {"id": name, "envelopes": envs}


def test_grouping_keeps_order_and_limits() -> None:
    small, big = 1000, _pull.SMALL_ENVELOPE + 1
    subs = [_sub("a", small, small), _sub("b", small), _sub("c", small, big), _sub("d", small)]
    groups = _groups(subs)
    assert [(batched, [s["id"] for s in g]) for batched, g in groups] == [
        (True, ["a", "b"]),
        (False, ["c"]),
        (True, ["d"]),
    ]
    # A batch never exceeds the request limits; a submission above them alone streams.
    many = [_sub(f"s{i}", small, small) for i in range(_pull.BATCH_ENVELOPES)]
    sizes = [sum(len(s["envelopes"]) for s in g) for _, g in _groups(many)]
    assert sum(sizes) == 2 * _pull.BATCH_ENVELOPES and max(sizes) <= _pull.BATCH_ENVELOPES
    heavy = _sub("h", *([_pull.SMALL_ENVELOPE] * 5))
    assert not _pull.is_small(heavy)
