"""A hostile file no longer stops the desk: the pull imports it "not scrubbed: <why>" and
goes on; the workspace's [scrub] limits are read from desk.toml; plaintext left by a
killed pull is swept when the workspace is next opened."""

from __future__ import annotations

import fcntl
import io
import os
import time
from pathlib import Path

import pytest
from tests.support.hostile import flate_chain_bomb
from tests.support.planted import jpeg_with_metadata
from tests.unit.desk.deskkit import Editors, new_source, open_workspace, submit

from quietwire.desk import PullInterrupted, Workspace, WorkspaceError
from quietwire.desk._scrub_types import MB

LOW = "\n[scrub]\ncpu_seconds = 2\nwall_seconds = 60\nmemory_mib = 400\n"


def _with_limits(root: Path, table: str = LOW) -> Workspace:
    with (root / "desk.toml").open("a", encoding="utf-8") as fh:
        fh.write(table)
    return Workspace.open(root)


def test_a_bomb_is_imported_not_scrubbed_and_the_pull_goes_on(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    inst = editors.instance
    photo = jpeg_with_metadata(tmp_path / "p.jpg").read_bytes()
    bomb = flate_chain_bomb(tmp_path / "bomb.pdf").read_bytes()
    source = new_source(inst)
    before = submit(inst, source, "before", [("a.jpg", "image/jpeg", photo)])
    hostile = submit(
        inst,
        source,
        "hostile",
        [("report.pdf", "application/pdf", bomb), ("n.txt", "text/plain", b"a note")],
    )
    after = submit(inst, source, "after", [("b.jpg", "image/jpeg", photo)])
    open_workspace(tmp_path / "ws", desk_url, editors["alice"]).close()
    ws = _with_limits(tmp_path / "ws")
    assert ws.limits.cpu_seconds == 2 and ws.limits.memory_bytes == 400 * MB

    started = time.monotonic()
    report = ws.pull()
    assert time.monotonic() - started < 120
    assert sorted(report.imported) == sorted([before, hostile, after]) and not report.rejected
    [pdf, note] = ws.submission(hostile).files
    assert not pdf.scrubbed and pdf.scrubbed_path is None
    assert pdf.note == "not scrubbed: it needed more than 2 s of processor time"
    assert note.scrubbed  # the other file of the same submission is scrubbed as usual
    assert all(ws.submission(s).files[0].scrubbed for s in (before, after))
    # The original is kept encrypted and opens to exactly what the source sent.
    out = io.BytesIO()
    ws.decrypt_original(hostile, 1, out)
    assert out.getvalue() == bomb
    assert list(ws.paths.tmp.iterdir()) == []
    # Acknowledged: the next pull has nothing to do.
    assert ws.pull().imported == []


def test_opening_an_idle_workspace_sweeps_what_a_killed_pull_left(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    ws = open_workspace(tmp_path / "ws", desk_url, editors["alice"])
    ws.close()

    def leave_debris() -> None:
        # What kill -9 in the middle of a scrub leaves: the plaintext, a stage with the
        # scrubbing child's scratch folder and its half-written copy.
        (ws.paths.tmp / "1234.plain").write_bytes(b"PLAINTEXT")
        scratch = ws.paths.tmp / "stage-x" / ".scrub-job-y"
        scratch.mkdir(parents=True)
        (scratch / "copy.jpg").write_bytes(b"PLAINTEXT")

    leave_debris()
    fd = os.open(ws.root / ".pull.lock", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # a pull running in another process owns tmp/
        Workspace.open(ws.root).close()
        assert len(list(ws.paths.tmp.rglob("*"))) == 4
    finally:
        os.close(fd)
    Workspace.open(ws.root).close()  # the next `desk list`, `desk ui` or `desk pull`
    assert list(ws.paths.tmp.iterdir()) == []


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[scrub]\ncpu_second = 3\n", "unknown setting scrub.cpu_second"),
        ("[scrub]\nmemory_mib = 0\n", "scrub.memory_mib must be a positive whole number"),
        ("[scrub]\nwall_seconds = '9'\n", "scrub.wall_seconds must be a positive whole number"),
        ("scrub = 3\n", r"\[scrub\] must be a table"),
    ],
)
def test_bad_scrub_limits_are_refused_by_name(
    tmp_path: Path, editors: Editors, desk_url: str, table: str, message: str
) -> None:
    open_workspace(tmp_path / "ws", desk_url, editors["alice"]).close()
    with pytest.raises(WorkspaceError, match=message):
        _with_limits(tmp_path / "ws", "\n" + table)


def test_ctrl_c_in_the_middle_of_a_download_keeps_what_was_imported_and_resumes(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    inst = editors.instance
    source = new_source(inst)
    small = submit(inst, source, "small", [("n.txt", "text/plain", b"a note")])
    big_data = os.urandom(6 * MB)
    big = submit(inst, source, "big", [("video.bin", "application/octet-stream", big_data)])
    ws = open_workspace(tmp_path / "ws", desk_url, editors["alice"])
    seen = 0

    def ctrl_c_after_two_mib(n: int) -> None:
        # Called as bytes arrive, in the pull's own thread: where a Ctrl-C would land.
        nonlocal seen
        seen += n
        if seen > 2 * MB:
            raise KeyboardInterrupt

    with pytest.raises(PullInterrupted, match="after importing 1 submission") as stopped:
        ws.pull(on_bytes=ctrl_c_after_two_mib)
    assert stopped.value.report.imported == [small]
    assert list(ws.paths.tmp.iterdir()) == []  # no plaintext of the half-decrypted file
    partial = [p.stat().st_size for p in ws.paths.incoming.iterdir()]
    assert partial and 0 < max(partial) < len(big_data)  # kept, still encrypted
    assert big_data[:4096] not in b"".join(p.read_bytes() for p in ws.paths.incoming.iterdir())
    # The next pull resumes the download and imports the rest; the first was acknowledged.
    report = ws.pull()
    assert report.imported == [big] and report.resumed_bytes > 0
    out = io.BytesIO()
    ws.decrypt_original(big, 1, out)
    assert out.getvalue() == big_data
