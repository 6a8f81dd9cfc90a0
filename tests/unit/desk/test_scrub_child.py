"""Hostile files against the scrubbing child: every limit ends the scrub with its reason,
leaves nothing behind, and the next file is scrubbed as usual by the same Scrubber.

The files are made by tests.support.hostile (each under 3 MB, made in about a second);
the limits are set low so that each test is bounded by seconds, not by the defaults.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support.components import require_tool
from tests.support.hostile import (
    docx_zip_bomb,
    flate_chain_bomb,
    large_blank_png,
    many_objects_pdf,
    png_bomb,
)
from tests.support.planted import assert_clean, jpeg_with_metadata

from quietwire.desk._scrub_child import Scrubber, _answer, _plain_file
from quietwire.desk._scrub_types import MB, Limits

LOW = Limits(cpu_seconds=2, wall_seconds=60, memory_bytes=300 * MB, output_bytes=64 * MB)


@pytest.fixture
def scrubber() -> Iterator[Scrubber]:
    with Scrubber(LOW) as s:
        yield s


def _servers() -> list[int]:
    """Scrubbing servers started by this process that are still running."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if b"quietwire.desk._scrub_server" in cmdline and ppid == os.getpid():
            found.append(int(entry.name))
    return found


def _scrub_then_photo(scrubber: Scrubber, tmp_path: Path, name: str, src: Path) -> str:
    """Scrub `src` (which must fail), check nothing is left, then check a photo still
    scrubs with the same Scrubber. Returns the hostile file's note."""
    out = tmp_path / f"out-{name}"
    out.mkdir()
    result = scrubber.scrub(name, "", src, out)
    assert not result.scrubbed and result.path is None, result
    assert list(out.iterdir()) == []
    photo = scrubber.scrub("p.jpg", "image/jpeg", jpeg_with_metadata(tmp_path / "p.jpg"), out)
    assert photo.scrubbed and photo.path is not None, photo.note
    assert_clean(photo.path)
    return result.note


def test_flate_chain_bomb_is_stopped_by_the_processor_time_limit(
    scrubber: Scrubber, tmp_path: Path
) -> None:
    # Given a 70 KB PDF whose 200 streams each decode through three FlateDecode layers to
    # 64 MiB (12.5 GiB in all): in the desk's own process this ran for many minutes
    bomb = flate_chain_bomb(tmp_path / "bomb.pdf")
    assert bomb.stat().st_size < 100_000
    started = time.monotonic()
    note = _scrub_then_photo(scrubber, tmp_path, "bomb.pdf", bomb)
    assert note == "not scrubbed: it needed more than 2 s of processor time"
    assert time.monotonic() - started < 50  # 2 s of CPU, on a busy machine


def test_flate_chain_bomb_is_stopped_by_the_wall_clock(tmp_path: Path) -> None:
    with Scrubber(dataclasses.replace(LOW, cpu_seconds=600, wall_seconds=2)) as scrubber:
        started = time.monotonic()
        note = _scrub_then_photo(scrubber, tmp_path, "x.pdf", flate_chain_bomb(tmp_path / "x"))
    assert note == "not scrubbed: it took longer than 2 s"
    assert time.monotonic() - started < 30


def test_many_objects_are_refused_before_they_are_listed(
    scrubber: Scrubber, tmp_path: Path
) -> None:
    # 600,000 objects in object streams (2.7 MB): listing them takes about 440 MB, more
    # than this child may have; the declared /Size is checked first, in a few MB.
    pdf = many_objects_pdf(tmp_path / "many.pdf", 600_000)
    assert _scrub_then_photo(scrubber, tmp_path, "m.pdf", pdf) == (
        "PDF has too many objects: not scrubbed"
    )


def test_many_objects_under_a_lying_size_hit_the_memory_limit(
    scrubber: Scrubber, tmp_path: Path
) -> None:
    pdf = many_objects_pdf(tmp_path / "liar.pdf", 600_000, declared=1000)
    assert _scrub_then_photo(scrubber, tmp_path, "m.pdf", pdf) == (
        "not scrubbed: it needed more than 300 MiB of memory"
    )


def test_image_bombs_are_refused_or_stopped_by_the_memory_limit(
    scrubber: Scrubber, tmp_path: Path
) -> None:
    # Declaring 120 megapixels: refused from the header, before any pixel is decoded.
    bomb = png_bomb(tmp_path / "bomb.png")
    assert bomb.stat().st_size < 200_000
    assert _scrub_then_photo(scrubber, tmp_path, "b.png", bomb) == (
        "image declares too many pixels: not scrubbed"
    )
    # 49 megapixels: under the pixel cap, but its decoded copies (49 MB each: decoded,
    # rotated upright, its bytes, the rebuilt image) do not fit in 200 MiB.
    blank = large_blank_png(tmp_path / "blank.png", side=7000)
    with Scrubber(dataclasses.replace(LOW, memory_bytes=200 * MB)) as small:
        assert _scrub_then_photo(small, tmp_path, "l.png", blank) == (
            "not scrubbed: it needed more than 200 MiB of memory"
        )


def test_docx_zip_bomb_is_refused_before_mat2_unzips_it(scrubber: Scrubber, tmp_path: Path) -> None:
    require_tool("mat2", "mat2")
    bomb = docx_zip_bomb(tmp_path / "bomb.docx", mib=128)
    assert bomb.stat().st_size < 2 * MB
    assert _scrub_then_photo(scrubber, tmp_path, "report.docx", bomb) == (
        "not scrubbed: the document unzips to 128 MiB (limit 64 MiB)"
    )


def test_ctrl_c_kills_the_child_and_leaves_nothing(tmp_path: Path) -> None:
    bomb = flate_chain_bomb(tmp_path / "bomb.pdf")
    out = tmp_path / "out"
    out.mkdir()
    scrubber = Scrubber(dataclasses.replace(LOW, cpu_seconds=600, wall_seconds=600))
    # The SIGINT a terminal sends on Ctrl-C, 3 s into the scrub (the server is up by then).
    timer = threading.Timer(3, os.kill, (os.getpid(), signal.SIGINT))
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            scrubber.scrub("bomb.pdf", "application/pdf", bomb, out)
    finally:
        timer.cancel()
    assert time.monotonic() - started < 30
    assert list(out.iterdir()) == []
    assert _servers() == []  # the server stopped, its child killed with it


def test_a_childs_answer_is_checked_not_trusted(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (tmp_path / "outside.txt").write_text("x")
    (scratch / "link.txt").symlink_to(tmp_path / "outside.txt")
    (scratch / "copy.png").write_bytes(b"png")
    assert _plain_file(scratch, "copy.png") == scratch / "copy.png"
    for name in ("link.txt", "../outside.txt", "answer.json", "", None, "missing"):
        assert _plain_file(scratch, name) is None, name
    for answer in (
        [1],
        {"copy": 3, "scrubbed": True, "kind": "image", "note": ""},
        {"copy": None, "scrubbed": "yes", "kind": "image", "note": ""},
        {"copy": None, "scrubbed": True, "kind": "exe", "note": ""},
    ):
        (scratch / "answer.json").write_text(json.dumps(answer))
        assert _answer(scratch) is None
    (scratch / "answer.json").write_bytes(b"\x80" * 100)
    assert _answer(scratch) is None
