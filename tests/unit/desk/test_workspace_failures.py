"""Bad input and broken networks: nothing is lost, nothing is half-imported."""

from __future__ import annotations

import io
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pyrage
import pytest
from sqlalchemy import select, update
from tests.unit.desk.deskkit import (
    CuttingProxy,
    EditorKit,
    Editors,
    auth,
    new_source,
    open_workspace,
    submit,
)

from quietwire.crypto import new_identity
from quietwire.desk import IdentityError, ServerError, Unreachable, Workspace, WorkspaceError
from quietwire.deskapi import add_editor, revoke_editor
from quietwire.store import Delivery, Envelope, FileBlobStore


def _leftovers(ws: Workspace) -> list[Path]:
    """Plaintext or staged files anywhere in the workspace's tmp folder."""
    return list(ws.paths.tmp.rglob("*"))


def _imported(ws: Workspace) -> int:
    return int(ws.db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0])


def _unacknowledged(editors: Editors, sub_id: str) -> int:
    with editors.instance.db.session() as s:
        rows = s.scalars(select(Delivery).where(Delivery.submission_id == sub_id)).all()
        return sum(1 for r in rows if r.acknowledged is None)


def test_wrong_identity_imports_nothing(tmp_path: Path, editors: Editors, desk_url: str) -> None:
    # carol has an account but her desk's key is not among the instance's recipients.
    pair = new_identity()
    key = tmp_path / "carol.txt"
    key.write_text(pair.secret.reveal() + "\n")
    # Her account holds another key than the identity her desk has.
    token = add_editor(editors.instance, "carol", new_identity().recipient)
    carol = EditorKit("carol", token, key, pair.recipient)
    sub_id = submit(editors.instance, new_source(editors.instance), "secret", [("a", "x/y", b"1")])
    ws = open_workspace(tmp_path / "ws", desk_url, carol)
    report = ws.pull()
    assert report.imported == []
    assert "not encrypted to this identity" in report.rejected[sub_id]
    assert _imported(ws) == 0 and ws.sources() == [] and _leftovers(ws) == []
    assert list(ws.paths.originals.iterdir()) == []
    assert _unacknowledged(editors, sub_id) == 3  # nobody's copy was touched


def _blob_path(editors: Editors, sub_id: str, kind: str) -> Path:
    blobs = editors.instance.blobs
    assert isinstance(blobs, FileBlobStore)
    with editors.instance.db.session() as s:
        key = s.scalar(
            select(Envelope.blob_key).where(Envelope.submission_id == sub_id, Envelope.kind == kind)
        )
    assert key is not None
    return blobs.root / key


def test_tampered_envelope_is_rejected_and_kept_on_server(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    source = new_source(editors.instance)
    good = submit(editors.instance, source, "fine", [("ok.bin", "x/y", b"ok")])
    bad = submit(
        editors.instance, source, "tampered", [("f.bin", "x/y", secrets.token_bytes(200_000))]
    )
    path = _blob_path(editors, bad, "file")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    ws = open_workspace(tmp_path / "ws", desk_url, editors["alice"])
    report = ws.pull()
    assert report.imported == [good]
    assert "damaged or incomplete" in report.rejected[bad]
    assert _imported(ws) == 1 and _leftovers(ws) == []
    assert not (ws.paths.originals / bad).exists()
    assert _unacknowledged(editors, bad) == 2


def test_swapped_file_envelopes_fail_the_manifest_check(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    source = new_source(editors.instance)
    sub_id = submit(
        editors.instance, source, "two files", [("a", "x/y", b"A" * 10), ("b", "x/y", b"B" * 10)]
    )
    # A malicious server swaps the ciphertexts of the two files (both decrypt fine).
    with editors.instance.db.session() as s:
        a, b = s.scalars(
            select(Envelope)
            .where(Envelope.submission_id == sub_id, Envelope.kind == "file")
            .order_by(Envelope.position)
        ).all()
        swap = {b.id: (a.blob_key, a.size), a.id: (b.blob_key, b.size)}
        s.execute(update(Envelope).where(Envelope.id == a.id).values(blob_key="0" * 32 + ".age"))
        for env_id, (key, size) in swap.items():
            s.execute(update(Envelope).where(Envelope.id == env_id).values(blob_key=key, size=size))
    ws = open_workspace(tmp_path / "ws", desk_url, editors["alice"])
    report = ws.pull()
    assert "not the envelope the manifest names" in report.rejected[sub_id]
    assert _imported(ws) == 0 and _leftovers(ws) == []


def test_truncated_download_resumes_and_an_unreachable_server_loses_nothing(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    source = new_source(editors.instance)
    small = submit(editors.instance, source, "small", [("s", "x/y", b"s" * 100)])
    big_data = secrets.token_bytes(3 * 1024 * 1024)
    big = submit(editors.instance, source, "big", [("big.bin", "x/y", big_data)])
    proxy = CuttingProxy(int(urlsplit(desk_url).port or 0))
    proxy.budget = 1024 * 1024  # enough for the listing and the small one, not the big one
    ws = open_workspace(tmp_path / "ws", proxy.url, editors["alice"])
    with pytest.raises(Unreachable, match="run `desk pull` again"):
        ws.pull()
    assert [s.id for s in ws.submissions()] == [small]  # the complete one is in, whole
    partial = list(ws.paths.incoming.iterdir())
    assert partial and 0 < sum(p.stat().st_size for p in partial) < len(big_data)
    assert _unacknowledged(editors, big) == 2 and _leftovers(ws) == []

    proxy.stop()  # the server is gone altogether
    with pytest.raises(Unreachable, match="did not answer"):
        ws.pull()
    assert [s.id for s in ws.submissions()] == [small]

    ws2 = Workspace(ws.root, desk_url, editors["alice"].token, None)  # back online, same workspace
    report = ws2.pull()
    assert report.imported == [big] and report.resumed_bytes > 0
    out = io.BytesIO()
    ws2.decrypt_original(big, 1, out)
    assert out.getvalue() == big_data
    assert list(ws2.paths.incoming.iterdir()) == []


def test_wrong_and_revoked_tokens_are_refused_and_throttled(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    alice = editors["alice"]
    with pytest.raises(ServerError, match="refused the token"):
        Workspace.init(tmp_path / "ws", desk_url, "alice.wrong", alice.identity_file)
    assert not (tmp_path / "ws").exists()
    ws = open_workspace(tmp_path / "bobws", desk_url, editors["bob"])
    revoke_editor(editors.instance, "bob")
    with pytest.raises(ServerError, match="refused the token"):
        ws.pull()
    # Repeated failures for one name are throttled; other editors are not affected.
    codes = [
        httpx.get(f"{desk_url}/api/v1/me", headers=auth("alice.nope")).status_code for _ in range(8)
    ]
    assert codes[0] == 401 and codes[-1] == 429
    assert httpx.get(f"{desk_url}/api/v1/me", headers=auth("alice.x")).status_code == 429
    assert httpx.get(f"{desk_url}/api/v1/me", headers=auth(editors["bob"].token)).status_code == 401
    assert httpx.get(f"{desk_url}/api/v1/sources").status_code == 401


def test_passphrase_protected_identity(tmp_path: Path) -> None:
    # No server or database involved: scrypt (age's work factor) is the slow part here.
    pair = new_identity()
    protected = tmp_path / "editor.age"
    protected.write_bytes(pyrage.passphrase.encrypt(pair.secret.reveal().encode(), "correct horse"))
    root = tmp_path / "ws"
    with pytest.raises(IdentityError, match="wrong passphrase"):
        Workspace.init(
            root, "http://127.0.0.1:9", "x.y", protected, lambda: "wrong", check_server=False
        )
    assert not root.exists()
    asked: list[int] = []

    def ask() -> str:
        asked.append(1)
        return "correct horse"

    Workspace.init(root, "http://127.0.0.1:9", "x.y", protected, ask, check_server=False).close()
    assert b"AGE-SECRET-KEY" not in (root / "identity.txt").read_bytes()
    reopened = Workspace.open(root, ask)
    assert [str(i.to_public()) for i in reopened.identities()] == [pair.recipient]
    reopened.identities()
    assert asked == [1, 1]  # once at init, once per opened workspace, never again
    with pytest.raises(IdentityError, match="no passphrase"):
        Workspace.open(root, None).identities()


def test_a_workspace_others_can_read_is_refused_until_made_private_again(tmp_path: Path) -> None:
    identity = tmp_path / "editor.txt"
    identity.write_text(new_identity().secret.reveal() + "\n")
    root = tmp_path / "ws"
    Workspace.init(root, "http://127.0.0.1:9", "x.y", identity, check_server=False).close()
    Workspace.open(root).close()
    for path, mode in ((root, 0o755), (root / "desk.toml", 0o644), (root / "identity.txt", 0o640)):
        private = path.stat().st_mode & 0o777
        path.chmod(mode)
        with pytest.raises(WorkspaceError, match=rf"{path}.*other users.*chmod -R go-rwx"):
            Workspace.open(root)
        path.chmod(private)
        Workspace.open(root).close()


def test_files_too_large_to_scrub_are_verified_without_plaintext_on_disk(tmp_path: Path) -> None:
    from quietwire.crypto import FileEntry, encrypt_bytes, header_digest, parse_recipient
    from quietwire.desk import _pull

    pair = new_identity()
    keys = [pair.secret.reveal()]
    data = secrets.token_bytes(300_000)
    sealed = encrypt_bytes(data, [parse_recipient(pair.recipient)])
    digest = header_digest(sealed)
    assert digest is not None

    def verify(envelope: Path, header: str, size: int = len(data)) -> None:
        # As the pull does for a file over the scrubbers' cap: no plaintext path at all,
        # the envelope already in place (nothing left to download).
        entry = FileEntry("e" * 32, 1, "big.bin", "application/octet-stream", size, header)
        env = {"size": envelope.stat().st_size}
        _pull.fetch_checked(None, env, envelope, keys, None, entry, lambda n: None, {})

    good = tmp_path / "good.age"
    good.write_bytes(sealed)
    verify(good, digest)
    with pytest.raises(_pull.Rejected, match="not the envelope the manifest names"):
        verify(good, "0" * 64)
    with pytest.raises(_pull.Rejected, match="size differs from the manifest"):
        verify(good, digest, len(data) - 1)
    bad = tmp_path / "bad.age"
    bad.write_bytes(sealed[: len(sealed) // 2])
    with pytest.raises(_pull.Rejected, match="damaged or incomplete"):
        verify(bad, digest)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.age", "good.age"]
    assert _pull.SCRUB_CAP >= 100 * 1024 * 1024


def test_two_pulls_on_one_workspace_do_not_run_at_once(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    import fcntl
    import os

    from quietwire.desk import WorkspaceError

    ws = open_workspace(tmp_path / "ws", desk_url, editors["alice"])
    fd = os.open(ws.root / ".pull.lock", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as a running `desk pull` in another process holds it
        with pytest.raises(WorkspaceError, match="another `desk pull`"):
            ws.pull()
    finally:
        os.close(fd)
    assert ws.pull().rejected == {}
