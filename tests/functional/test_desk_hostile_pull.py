"""Issue 13 item 3 end to end: a hostile file no longer stops every desk.

A source sends a photo, then a submission of hostile files (a FlateDecode chain bomb, a
zip-bomb .docx, a PNG decompression bomb), then another photo, through the real source
app. The editor runs the real `quietwire desk pull` in a child process: with limits loose
enough that the bomb would spin for ten minutes, Ctrl-C (SIGINT to its process group, as
a terminal sends it) stops it within seconds, acknowledging the first photo and leaving
no plaintext and no scrubbing process behind; the next pull, with the limits of the
workspace's desk.toml, imports the rest and marks each hostile file with its reason.
After kill -9 of the desk instead, its scrubbing processes die with it and the next
command that opens the workspace removes the plaintext it left in tmp/.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from tests.support.components import require_tool
from tests.support.hostile import docx_zip_bomb, flate_chain_bomb, png_bomb
from tests.support.planted import jpeg_with_metadata
from tests.support.server import QUIETWIRE, RunningServer, run_cli
from tests.support.source_client import SourceClient

from quietwire.desk import Workspace

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LOOSE = "\n[scrub]\ncpu_seconds = 600\nwall_seconds = 600\n"
LOW = "\n[scrub]\ncpu_seconds = 2\nwall_seconds = 60\nmemory_mib = 400\noutput_mib = 64\n"


def _scrub_servers() -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            cmdline = (entry / "cmdline").read_bytes() if entry.name.isdigit() else b""
        except OSError:
            continue
        if b"quietwire.desk._scrub_server" in cmdline:
            found.append(entry.name)
    return found


def _set_limits(ws: Path, table: str) -> None:
    config = ws / "desk.toml"
    text = config.read_text(encoding="utf-8").split("\n[scrub]")[0]
    config.write_text(text.rstrip("\n") + "\n" + table, encoding="utf-8")


def _wait_for(condition: object, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.1)


def _workspace_with_waiting(
    running: RunningServer, editor_key: tuple[Path, str], tmp_path: Path
) -> tuple[Path, dict[str, tuple[bytes, str]]]:
    """A desk workspace, and three submissions waiting for it: a photo, the hostile files
    (name -> (bytes, type)), another photo."""
    made = tmp_path / "made"
    made.mkdir()
    photo = jpeg_with_metadata(made / "p.jpg").read_bytes()
    hostile = {
        "report.pdf": (flate_chain_bomb(made / "bomb.pdf").read_bytes(), "application/pdf"),
        "minutes.docx": (docx_zip_bomb(made / "bomb.docx", mib=128).read_bytes(), DOCX),
        "map.png": (png_bomb(made / "bomb.png").read_bytes(), "image/png"),
    }
    added = run_cli(
        "editors", "add", "alice", "--dir", str(running.dir), "--recipient", editor_key[1]
    )
    token = added.stdout.splitlines()[-1]
    ws = tmp_path / "desk"
    run_cli(
        *("desk", "init", "--dir", str(ws), "--server", running.desk),
        *("--token", token, "--identity", str(editor_key[0])),
    )
    source = SourceClient(running.source)
    try:
        source.new_source()
        for text, files in (
            ("first", [("first.jpg", photo, "image/jpeg")]),
            ("hostile", [(name, data, ctype) for name, (data, ctype) in hostile.items()]),
            ("last", [("last.jpg", photo, "image/jpeg")]),
        ):
            assert source.submit(text=text, files=files).status_code == 303
    finally:
        source.close()
    return ws, hostile


def _pull_until_the_bomb(ws: Path) -> subprocess.Popen[str]:
    """`desk pull` in its own process group, once it is scrubbing the bomb (the first
    photo imported before it), with limits under which the bomb runs for ten minutes."""
    _set_limits(ws, LOOSE)
    pull = subprocess.Popen(
        [*QUIETWIRE, "desk", "pull", "--dir", str(ws)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell gives a command
    )
    try:
        _wait_for(
            lambda: (
                len(list((ws / "originals").iterdir())) == 1
                and list(ws.glob("tmp/stage-*/.scrub-job-*"))
            ),
            120,
        )
    except BaseException:
        pull.kill()
        raise
    time.sleep(1)
    return pull


def _no_plaintext(ws: Path, hostile: dict[str, tuple[bytes, str]]) -> None:
    for path in ws.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert all(data[:4096] not in content for data, _ in hostile.values()), path


def test_kill_9_of_the_desk_leaves_no_scrubber_and_the_next_start_sweeps(
    running: RunningServer, editor_key: tuple[Path, str], tmp_path: Path
) -> None:
    ws, hostile = _workspace_with_waiting(running, editor_key, tmp_path)
    pull = _pull_until_the_bomb(ws)
    assert _scrub_servers()
    pull.kill()  # SIGKILL: no clean-up of its own runs
    pull.communicate(timeout=30)
    # The server and its child die with the desk (PR_SET_PDEATHSIG)
    _wait_for(lambda: _scrub_servers() == [], 10)
    assert list((ws / "tmp").iterdir()), "the killed pull left its plaintext in tmp/"
    # And the next command that opens the workspace removes what it left
    run_cli("desk", "list", "--dir", str(ws))
    assert list((ws / "tmp").iterdir()) == []
    _no_plaintext(ws, hostile)


def test_ctrl_c_in_a_bomb_stops_cleanly_and_the_next_pull_marks_it(
    running: RunningServer, editor_key: tuple[Path, str], tmp_path: Path
) -> None:
    require_tool("mat2", "mat2")
    ws, hostile = _workspace_with_waiting(running, editor_key, tmp_path)
    # When the editor pulls, and presses Ctrl-C while the bomb is being scrubbed
    pull = _pull_until_the_bomb(ws)
    try:
        os.killpg(pull.pid, signal.SIGINT)
        started = time.monotonic()
        out, err = pull.communicate(timeout=60)
    finally:
        if pull.poll() is None:
            pull.kill()
    # Then it stops within seconds, says what it imported, and leaves nothing behind
    assert time.monotonic() - started < 20
    assert pull.returncode == 130, out + err
    assert "Imported 1 submission(s)." in out
    assert "run `quietwire desk pull` again to continue" in " ".join(err.split())
    assert list((ws / "tmp").iterdir()) == []
    assert _scrub_servers() == []
    _no_plaintext(ws, hostile)

    # When the next pull runs with the workspace's low limits
    _set_limits(ws, LOW)
    second = run_cli("desk", "pull", "--dir", str(ws))
    # Then it imports the other two (the first was acknowledged), and names each hostile
    # file with its reason
    assert "Imported 2 submission(s)." in second.stdout, second.stdout + second.stderr
    reasons = {
        "report.pdf": "not scrubbed: it needed more than 2 s of processor time",
        "minutes.docx": "not scrubbed: the document unzips to 128 MiB (limit 64 MiB)",
        "map.png": "image declares too many pixels: not scrubbed",
    }
    for name, reason in reasons.items():
        assert f"{name}: {reason}" in " ".join(second.stderr.split()), second.stderr
    with Workspace.open(ws) as opened:
        subs = {s.text: s for s in opened.submissions()}
    assert set(subs) == {"first", "hostile", "last"}
    assert subs["first"].files[0].scrubbed and subs["last"].files[0].scrubbed
    assert {f.name: (f.scrubbed, f.note) for f in subs["hostile"].files} == {
        name: (False, reason) for name, reason in reasons.items()
    }
    listed = run_cli("desk", "list", "--dir", str(ws)).stdout
    assert "3 file(s), 3 NOT SCRUBBED" in listed
    shown = run_cli("desk", "show", "--dir", str(ws), subs["hostile"].id).stdout
    assert "NOT SCRUBBED: not scrubbed: it needed more than 2 s" in " ".join(shown.split())
    assert list((ws / "tmp").iterdir()) == [] and _scrub_servers() == []
