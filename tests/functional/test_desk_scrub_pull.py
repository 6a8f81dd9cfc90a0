"""Issue #3 end to end: what a source uploads reaches the editor's viewing copies without
its metadata, checked with the stock exiftool, while the encrypted original still decrypts
with the stock age command to exactly the bytes the source sent.

Everything is real: `quietwire serve`, a source over HTTP, `quietwire desk init` and
`quietwire desk pull` in child processes, exiftool and age. The workspace is named relative
to the current directory, as an editor types it (`desk pull --dir desk`): office documents
once stayed unscrubbed there because mat2 was handed a path it could not find.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest
from tests.support.components import require_tool
from tests.support.planted import (
    assert_clean,
    docx_with_author,
    exiftool_tags,
    jpeg_with_metadata,
    pdf_with_metadata,
)
from tests.support.server import RunningServer, run_cli
from tests.support.source_client import SourceClient

from quietwire.desk import Workspace

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_photo_pdf_and_document_are_scrubbed_and_originals_decrypt_exactly(
    running: RunningServer,
    editor_key: tuple[Path, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    age = require_tool("age", "age")
    require_tool("mat2", "mat2")
    # Given a phone photo with its GPS position, camera and a comment, a PDF that names its
    # author and creator in DocInfo and XMP, and a Word document that names its author
    made = tmp_path / "source-files"
    made.mkdir()
    jpeg = jpeg_with_metadata(made / "IMG_0042.jpg")
    pdf = pdf_with_metadata(made / "report.pdf")
    docx = docx_with_author(made / "brief.docx")
    photo_tags = exiftool_tags(jpeg)
    assert {"EXIF:GPS:GPSLatitude", "EXIF:IFD0:Model", "File:Comment"} <= photo_tags.keys()
    assert photo_tags["EXIF:IFD0:Model"] == "SecretCam Pocket 7"
    pdf_tags = exiftool_tags(pdf)
    assert pdf_tags["PDF:Author"] == "Author Secret" and pdf_tags["PDF:Creator"] == "CreatorSecret"
    assert pdf_tags["XMP:XMP-dc:Creator"] == "XmpSecret"
    assert exiftool_tags(docx)["XML:LastModifiedBy"] == "Author Secret"
    sent = {
        "IMG_0042.jpg": ("image/jpeg", jpeg.read_bytes()),
        "report.pdf": ("application/pdf", pdf.read_bytes()),
        "brief.docx": (DOCX, docx.read_bytes()),
    }
    # And an editor whose desk workspace is a path relative to where the editor works
    added = run_cli(
        "editors", "add", "alice", "--dir", str(running.dir), "--recipient", editor_key[1]
    )
    token = added.stdout.splitlines()[-1]
    monkeypatch.chdir(tmp_path)
    run_cli(
        *("desk", "init", "--dir", "desk", "--server", running.desk),
        *("--token", token, "--identity", str(editor_key[0])),
    )

    # When the source submits the three files
    source = SourceClient(running.source)
    try:
        source.new_source()
        files = [(name, data, ctype) for name, (ctype, data) in sent.items()]
        assert source.submit(text="the files", files=files).status_code == 303
    finally:
        source.close()
    # And the editor pulls with the real command
    pulled = run_cli("desk", "pull", "--dir", "desk")
    assert "Imported 1 submission" in pulled.stdout, pulled.stdout + pulled.stderr

    # Then every file has a viewing copy that exiftool finds clean
    with Workspace.open(Path("desk")) as ws:
        [submission] = ws.submissions()
    assert [f.name for f in submission.files] == list(sent)
    kinds = {"IMG_0042.jpg": "JPEG", "report.pdf": "PDF", "brief.docx": "DOCX"}
    originals = Path("desk", "originals", submission.id)
    for f in submission.files:
        assert f.scrubbed, f"{f.name}: {f.note}"
        assert f.scrubbed_path is not None and f.scrubbed_path.is_file(), f.name
        assert exiftool_tags(f.scrubbed_path)["File:FileType"] == kinds[f.name]
        assert_clean(f.scrubbed_path)
        # And the workspace's encrypted original opens with the stock age and the editor's
        # identity to exactly the bytes the source sent
        envelope = originals / f.original
        assert sent[f.name][1] not in envelope.read_bytes()
        opened = subprocess.run(
            [age, "--decrypt", "--identity", str(editor_key[0]), str(envelope)],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
        assert sha256(opened) == sha256(sent[f.name][1]) == f.sha256, f.name
