"""The redaction guard knows every report pulled into the desk, with no manual step."""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from tests.unit.desk.deskkit import Editors, new_source, open_workspace, submit

from quietwire.desk import WorkspaceError
from quietwire.desk._bulletins_publish import Draft, check, new_bulletin
from quietwire.publish import BulletinError

REPORT = (
    "On Tuesday morning the fighters came to the school near the clock tower and ordered every "
    "man between eighteen and forty to line up and give blood for their wounded"
)


def test_pulled_reports_and_designations_are_guarded(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    # Given a report pulled into the desk
    source = new_source(editors.instance)
    submit(editors.instance, source, REPORT, report={"where": "Raqqa"})
    root = tmp_path / "ws"
    ws = open_workspace(root, desk_url, editors["alice"])
    ws.pull()
    [view] = ws.sources()
    ws.close()

    # When a bulletin copies the source's own words, or names the source's designation
    copied = new_bulletin(root, Draft(title="Blood", body=f"Residents say: {REPORT}."))
    named = new_bulletin(root, Draft(title="Blood", body=f"Our source {view.designation} said so."))
    clean = new_bulletin(root, Draft(title="Blood", body="Men were forced to give blood."))

    # Then the guard refuses both, and lets a rewritten bulletin through
    assert any(
        "verbatim" in msg.lower() or "copied" in msg.lower() for _, msg in check(root, copied)
    )
    assert any(
        view.designation in msg or "designation" in msg.lower() for _, msg in check(root, named)
    )
    assert check(root, clean) == []


def test_the_desks_own_ids_are_refused_even_shortened(
    tmp_path: Path, editors: Editors, desk_url: str
) -> None:
    source = new_source(editors.instance)
    submission = submit(editors.instance, source, "The checkpoint moved north.")
    root = tmp_path / "ws"
    open_workspace(root, desk_url, editors["alice"]).pull()
    for leaked in (submission[:12], source.source_id[:16], submission.upper()):
        bid = new_bulletin(root, Draft(title="Checkpoint", body=f"Reference {leaked}."))
        assert any("internal" in fid or "id" in msg for fid, msg in check(root, bid)), leaked
    # A workspace others can read stops the check rather than running it blind.
    bid = new_bulletin(root, Draft(title="Checkpoint", body="The checkpoint moved."))
    root.chmod(0o755)
    with pytest.raises(WorkspaceError, match="other users"):
        check(root, bid)


def _png_with_private_chunk(secret: bytes) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 40)).save(buf, "PNG")
    png = buf.getvalue()
    chunk = b"prVt" + secret
    extra = struct.pack(">I", len(secret)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    at = 8 + 25  # after the signature and the IHDR chunk
    return png[:at] + extra + png[at:]


def test_media_is_rebuilt_and_renamed_before_it_can_be_published(tmp_path: Path) -> None:
    root = tmp_path / "pub"
    secret = b"Jane Informant, original IMG_20240301_153012"
    jpeg = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(jpeg, "JPEG")
    photo = tmp_path / "IMG_20240301_153012.jpg"
    photo.write_bytes(jpeg.getvalue() + secret)  # data after the end of the image
    chart = tmp_path / "chart.png"
    chart.write_bytes(_png_with_private_chunk(secret))
    bid = new_bulletin(
        root, Draft(title="Market", body="Shelling hit the market.", media=(photo, chart))
    )
    stored = sorted((root / "bulletins").rglob("*.*"))
    published = [p for p in stored if p.suffix in (".jpg", ".png")]
    assert len(published) == 2
    for path in published:
        data = path.read_bytes()
        assert secret not in data and b"prVt" not in data
        assert path.name == f"{hashlib.sha256(data).hexdigest()[:16]}{path.suffix}"
        with Image.open(path) as image:
            assert image.size == (40, 30)
    assert "IMG_2024" not in json.dumps([str(p) for p in stored])
    # What cannot be rebuilt is refused, and leaves nothing behind
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + secret)
    fake = tmp_path / "photo.jpg"
    fake.write_text("not an image at all")
    for bad, says in ((video, "video cannot be scrubbed"), (fake, "not published")):
        before = sorted((root / "bulletins").rglob("*"))
        with pytest.raises(BulletinError, match=says):
            new_bulletin(root, Draft(title="T", body="B", media=(bad,)))
        assert sorted((root / "bulletins").rglob("*")) == before
    assert bid
