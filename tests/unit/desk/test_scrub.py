"""Scrubbing: files with planted metadata come out clean by the stock exiftool; originals untouched.

Every fixture is generated here, with secrets planted where cameras and editors put them
(EXIF GPS, XMP, JPEG comments, PDF DocInfo, docProps), so the assertions can look for
exactly those strings.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import ExifTags, Image
from tests.support.components import require_tool

from quietwire.desk._scrub import Limits, ScrubResult, safe_filename, scrub

SECRETS = ["SecretCam", "XmpSecret", "ComSecret", "Author Secret", "CreatorSecret", "Ahmad Q"]
# exiftool family-0 groups that only exist when metadata survived.
LEAKY_GROUPS = {
    "EXIF",
    "XMP",
    "IPTC",
    "ICC_Profile",
    "Photoshop",
    "MakerNotes",
    "FlashPix",
    "APP12",
}
# In groups that also describe structure, only these tags may remain.
STRUCTURE = {
    "PDF": {"PDFVersion", "Linearized", "PageCount"},
    "PNG": {
        "ImageWidth",
        "ImageHeight",
        "BitDepth",
        "ColorType",
        "Compression",
        "Filter",
        "Interlace",
    },
}
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator><rdf:Seq><rdf:li>XmpSecret</rdf:li>'
    b"</rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
)


def exiftool_tags(path: Path) -> dict[str, Any]:
    """Every tag the stock exiftool finds, keyed "Family0:Family1:Tag" (embedded files too)."""
    tool = require_tool("exiftool", "libimage-exiftool-perl")
    require_archive_zip()
    done = subprocess.run(
        [tool, "-j", "-a", "-G0:1", "-ee", str(path)], capture_output=True, check=True, timeout=60
    )
    tags: dict[str, Any] = json.loads(done.stdout)[0]
    return tags


@functools.cache
def require_archive_zip() -> None:
    # Without Perl's Archive::Zip (a mere Recommends of exiftool) exiftool reads an office
    # document as a bare ZIP and reports no docProps at all: a check would pass blind.
    perl = require_tool("perl", "perl")
    if subprocess.run([perl, "-MArchive::Zip", "-e", "1"], capture_output=True).returncode:
        pytest.fail("exiftool cannot read office documents: install `libarchive-zip-perl`")


def assert_clean(path: Path) -> None:
    tags = exiftool_tags(path)
    text = json.dumps(tags, ensure_ascii=False)
    assert not [s for s in SECRETS if s in text], text
    leaked = [k for k in tags if leaks(k)]
    assert not leaked, leaked
    raw = path.read_bytes()
    assert not [s for s in SECRETS if s.encode() in raw]


def leaks(key: str) -> bool:
    if ":" not in key:
        return False  # SourceFile
    group, *_, tag = key.split(":")
    if group in LEAKY_GROUPS or tag in ("Comment", "ExifByteOrder") or tag.startswith("GPS"):
        return True
    allowed = STRUCTURE.get(group)
    return allowed is not None and tag not in allowed and not tag.startswith("EmbeddedImage")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def photo(orientation: int = 1, size: tuple[int, int] = (60, 30)) -> Image.Image:
    """A red image whose left third is blue, so rotation can be seen in the pixels."""
    im = Image.new("RGB", size, (220, 0, 0))
    im.paste((0, 0, 255), (0, 0, size[0] // 3, size[1]))
    return im


def jpeg_with_metadata(path: Path, orientation: int = 1) -> Path:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (33.0, 30.0, 7.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (36.0, 17.0, 3.0),
        }
    )
    photo().save(path, format="JPEG", exif=exif, xmp=XMP, comment=b"ComSecret", quality=95)
    return path


def scrub_into(tmp_path: Path, name: str, ctype: str, src: Path, **kw: Any) -> ScrubResult:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    return scrub(name, ctype, src, out, **kw)


def test_jpeg_with_gps_xmp_and_comment_comes_out_clean(tmp_path: Path) -> None:
    # Given a phone photo with GPS, camera make, XMP author and a JPEG comment
    src = jpeg_with_metadata(tmp_path / "upload.bin")
    before = exiftool_tags(src)
    assert "EXIF:GPS:GPSLatitude" in before and "File:Comment" in before
    assert "XMP:XMP-dc:Creator" in before
    original = digest(src)
    # When it is scrubbed
    result = scrub_into(tmp_path, "IMG_0042.JPG", "image/jpeg", src)
    # Then the copy is a clean JPEG and the original is byte-for-byte the same
    assert result.scrubbed and result.kind == "image" and result.path is not None
    assert result.path.name == "IMG_0042.jpg" and result.path.parent == tmp_path / "out"
    assert exiftool_tags(result.path)["File:FileType"] == "JPEG"
    assert_clean(result.path)
    assert digest(src) == original
    assert result.path.stat().st_mode & 0o777 == 0o600


def test_rotated_photo_comes_out_visually_rotated(tmp_path: Path) -> None:
    # Orientation 6: the camera was turned; viewers rotate 90 degrees clockwise.
    src = jpeg_with_metadata(tmp_path / "rotated.jpg", orientation=6)
    result = scrub_into(tmp_path, "rotated.jpg", "image/jpeg", src)
    assert result.scrubbed and result.path is not None
    with Image.open(result.path) as im:
        assert im.size == (30, 60)  # width and height swapped
        top = im.getpixel((15, 5))
        bottom = im.getpixel((15, 55))
    # The blue left third is now the top third; the orientation tag itself is gone.
    assert isinstance(top, tuple) and top[2] > 200 and top[0] < 60
    assert isinstance(bottom, tuple) and bottom[0] > 180 and bottom[2] < 60
    assert "EXIF:IFD0:Orientation" not in exiftool_tags(result.path)


def test_png_with_text_chunks_and_icc_becomes_clean_png(tmp_path: Path) -> None:
    from PIL import ImageCms, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Author Secret")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    src = tmp_path / "shot.png"
    photo().convert("RGBA").save(src, pnginfo=info, icc_profile=icc)
    result = scrub_into(tmp_path, "shot.png", "image/png", src)
    assert result.scrubbed and result.path is not None and result.path.suffix == ".png"
    assert_clean(result.path)
    with Image.open(result.path) as im:
        assert im.mode == "RGBA" and "icc_profile" not in im.info


@pytest.mark.parametrize("fmt", ["WEBP", "TIFF", "GIF"])
def test_webp_tiff_and_gif_with_metadata_become_clean_png(tmp_path: Path, fmt: str) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    exif[ExifTags.Base.Artist] = "Author Secret"
    src = tmp_path / "upload"
    im = photo()
    if fmt == "GIF":
        im.convert("P").save(src, format="GIF", comment=b"ComSecret")
    else:
        im.save(src, format=fmt, exif=exif, xmp=XMP)
    assert [s for s in SECRETS if s in json.dumps(exiftool_tags(src))]
    result = scrub_into(tmp_path, f"shot.{fmt.lower()}", "image/x-unknown", src)
    assert result.scrubbed and result.path is not None and result.path.suffix == ".png"
    assert_clean(result.path)
    with Image.open(result.path) as clean:
        assert clean.size == (60, 30)


def pdf_with_metadata(path: Path, *, attachment: bool = False) -> Path:
    """A one-page PDF with DocInfo, XMP, a commented annotation and an EXIF-laden JPEG."""
    jpeg = io.BytesIO()
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    photo().save(jpeg, format="JPEG", exif=exif, comment=b"ComSecret")
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    image = pikepdf.Stream(
        pdf,
        jpeg.getvalue(),
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=60,
        Height=30,
        ColorSpace=pikepdf.Name.DeviceRGB,
        BitsPerComponent=8,
        Filter=pikepdf.Name.DCTDecode,
    )
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Contents = pikepdf.Stream(pdf, b"q 120 0 0 60 40 70 cm /Im0 Do Q")
    note = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Text,
        Rect=[10, 10, 30, 30],
        Contents=pikepdf.String("see the market"),
        T=pikepdf.String("Ahmad Q"),
    )
    page.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(note)]))
    page.obj.Metadata = pdf.make_stream(XMP)
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:creator"] = ["XmpSecret"]
    pdf.docinfo["/Author"] = "Author Secret"
    pdf.docinfo["/Creator"] = "CreatorSecret"
    pdf.docinfo["/Producer"] = "CreatorSecret PDF"
    if attachment:
        pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(
            pdf, b"hello", mime_type="text/plain"
        )
    pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return path


def test_pdf_with_author_xmp_and_exif_image_comes_out_clean(tmp_path: Path) -> None:
    # Given a PDF with author and creator, XMP on the document and a page, an annotation
    # signed with a name, and a JPEG that carries its camera's EXIF and a comment
    src = pdf_with_metadata(tmp_path / "leak.pdf")
    before = json.dumps(exiftool_tags(src))
    assert "Author Secret" in before and "XmpSecret" in before
    assert b"SecretCam" in src.read_bytes() and b"Ahmad Q" in src.read_bytes()
    original = digest(src)
    # When it is scrubbed
    result = scrub_into(tmp_path, "report.pdf", "application/pdf", src)
    # Then nothing of it is left, the page still draws its image, and the original is intact
    assert result.scrubbed and result.kind == "pdf", result.note
    assert result.path is not None and result.path.suffix == ".pdf"
    assert_clean(result.path)
    with pikepdf.open(result.path) as clean:
        assert "/Info" not in clean.trailer and "/Metadata" not in clean.Root
        image = clean.pages[0].Resources.XObject.Im0
        with Image.open(io.BytesIO(image.read_raw_bytes())) as im:
            assert im.size == (60, 30) and "exif" not in im.info and "comment" not in im.info
        assert b"pikepdf" not in result.path.read_bytes()
    assert digest(src) == original


def test_pdf_with_attachment_is_only_partially_scrubbed(tmp_path: Path) -> None:
    src = pdf_with_metadata(tmp_path / "attached.pdf", attachment=True)
    result = scrub_into(tmp_path, "attached.pdf", "application/pdf", src)
    assert not result.scrubbed and result.path is not None
    assert result.note.startswith("partially scrubbed") and "attached" in result.note


def test_password_protected_pdf_is_not_scrubbed(tmp_path: Path) -> None:
    src = tmp_path / "locked.pdf"
    with pikepdf.open(pdf_with_metadata(tmp_path / "plain.pdf")) as pdf:
        pdf.save(src, encryption=pikepdf.Encryption(owner="o", user="u"))
    result = scrub_into(tmp_path, "locked.pdf", "application/pdf", src)
    assert result == ScrubResult(None, False, "pdf", "PDF is password-protected: not scrubbed")
    assert list((tmp_path / "out").iterdir()) == []


def docx_with_author(path: Path) -> Path:
    ns_w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    core_rel = (
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}" Target="word/document.xml"/>'
            f'<Relationship Id="rId2" Type="{core_rel}" Target="docProps/core.xml"/></Relationships>',
        )
        z.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{ns_w}"><w:body><w:p><w:r>'
            "<w:t>Checkpoint moved north</w:t></w:r></w:p></w:body></w:document>",
        )
        z.writestr(
            "docProps/core.xml",
            '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Author Secret</dc:creator>'
            "<cp:lastModifiedBy>Author Secret</cp:lastModifiedBy></cp:coreProperties>",
        )
    return path


def test_docx_with_author_is_cleaned_by_mat2(tmp_path: Path) -> None:
    require_tool("mat2", "mat2")
    src = docx_with_author(tmp_path / "upload")
    assert "Author Secret" in json.dumps(exiftool_tags(src))
    original = digest(src)
    result = scrub_into(tmp_path, "brief.docx", "application/octet-stream", src)
    assert result.scrubbed and result.kind == "office", result.note
    assert result.path is not None and result.path.name == "brief.docx"
    assert "Author Secret" not in json.dumps(exiftool_tags(result.path))
    with zipfile.ZipFile(result.path) as z:
        assert b"Checkpoint moved north" in z.read("word/document.xml")
        assert all(b"Author Secret" not in z.read(n) for n in z.namelist())
    assert digest(src) == original


def test_mat2_past_its_time_limit_is_not_scrubbed(tmp_path: Path) -> None:
    require_tool("mat2", "mat2")
    src = docx_with_author(tmp_path / "upload")
    result = scrub_into(tmp_path, "brief.docx", "", src, limits=Limits(subprocess_seconds=0.01))
    assert result.path is None and not result.scrubbed and result.kind == "office"
    assert list((tmp_path / "out").iterdir()) == []


def test_zip_that_is_not_a_document_is_not_scrubbed(tmp_path: Path) -> None:
    src = docx_with_author(tmp_path / "archive.zip")
    result = scrub_into(tmp_path, "archive.zip", "application/zip", src)
    assert result.path is None and not result.scrubbed and result.kind == "other"


@pytest.mark.parametrize(
    "data",
    [b"\xff\xd8\xff\xe0garbage" * 10, b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b"GIF89a\x01"],
)
def test_corrupt_image_is_not_scrubbed_and_leaves_nothing(tmp_path: Path, data: bytes) -> None:
    src = tmp_path / "broken"
    src.write_bytes(data)
    result = scrub_into(tmp_path, "broken.jpg", "image/jpeg", src)
    assert result.path is None and not result.scrubbed and result.kind == "image"
    assert "not scrubbed" in result.note
    assert list((tmp_path / "out").iterdir()) == []


def test_corrupt_pdf_is_not_scrubbed(tmp_path: Path) -> None:
    src = tmp_path / "broken.pdf"
    src.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    result = scrub_into(tmp_path, "broken.pdf", "application/pdf", src)
    assert result.path is None and not result.scrubbed
    assert list((tmp_path / "out").iterdir()) == []


def test_image_over_the_pixel_cap_is_refused_before_decoding(tmp_path: Path) -> None:
    src = tmp_path / "big.png"
    Image.new("1", (400, 300)).save(src)
    result = scrub_into(tmp_path, "big.png", "image/png", src, limits=Limits(max_pixels=100_000))
    assert result.path is None and not result.scrubbed and "400x300" in result.note


def test_decompression_bomb_is_not_scrubbed(tmp_path: Path) -> None:
    # A tiny PNG that declares 12,000 x 10,000 pixels: over twice Pillow's guard as we set it.
    src = tmp_path / "bomb.png"
    Image.new("1", (12_000, 10_000)).save(src, optimize=False)
    assert src.stat().st_size < 200_000
    result = scrub_into(tmp_path, "bomb.png", "image/png", src, limits=Limits(max_pixels=10**12))
    assert result.path is None and not result.scrubbed and "too many pixels" in result.note


def test_file_over_the_size_cap_is_not_scrubbed(tmp_path: Path) -> None:
    src = jpeg_with_metadata(tmp_path / "p.jpg")
    result = scrub_into(tmp_path, "p.jpg", "image/jpeg", src, limits=Limits(image_bytes=100))
    assert result.path is None and not result.scrubbed and "too large" in result.note


def test_unknown_binary_is_not_scrubbed_and_not_copied(tmp_path: Path) -> None:
    src = tmp_path / "blob"
    src.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(100))
    result = scrub_into(tmp_path, "tool.exe", "application/octet-stream", src)
    assert (
        result == ScrubResult(None, False, "other", result.note) and "not scrubbed" in result.note
    )


def test_plain_text_and_csv_pass_through(tmp_path: Path) -> None:
    src = tmp_path / "t"
    src.write_bytes("date,place\n2026-11-01,حلب\n".encode())
    result = scrub_into(tmp_path, "counts.csv", "text/csv", src)
    assert result.scrubbed and result.kind == "text" and result.path is not None
    assert result.path.read_bytes() == src.read_bytes() and result.path.name == "counts.csv"


def test_binary_claiming_to_be_text_is_not_scrubbed(tmp_path: Path) -> None:
    src = tmp_path / "t"
    src.write_bytes(b"hello\x00\xff\xfe")
    result = scrub_into(tmp_path, "notes.txt", "text/plain", src)
    assert result.path is None and not result.scrubbed


def test_same_name_twice_never_overwrites(tmp_path: Path) -> None:
    src = jpeg_with_metadata(tmp_path / "p.jpg")
    first = scrub_into(tmp_path, "photo.jpg", "image/jpeg", src)
    second = scrub_into(tmp_path, "photo.jpg", "image/jpeg", src)
    assert first.path is not None and second.path is not None
    assert first.path != second.path and second.path.name == "photo-2.jpg"
    assert [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")] == []


def test_hostile_name_never_escapes_the_output_directory(tmp_path: Path) -> None:
    src = jpeg_with_metadata(tmp_path / "p.jpg")
    result = scrub_into(tmp_path, "../../../etc/cron.d/x.jpg", "image/jpeg", src)
    assert result.path == tmp_path / "out" / "x.jpg"


@given(st.text(max_size=300))
def test_safe_filename_is_always_one_harmless_component(name: str) -> None:
    safe = safe_filename(name)
    assert safe not in ("", ".", "..") and len(safe) <= 120
    assert "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert not safe.startswith(("-", ".")) and safe == safe.strip()


def test_docx_scrubbed_when_the_output_directory_is_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Regression: with a relative workspace (`desk pull --dir ws`) mat2 ran in its own
    # temporary directory but was handed a path relative to ours, found no document,
    # still exited 0, and every office file stayed "not scrubbed".
    require_tool("mat2", "mat2")
    monkeypatch.chdir(tmp_path)
    src = docx_with_author(Path("upload"))
    Path("out").mkdir()
    result = scrub("brief.docx", "application/octet-stream", src, Path("out"))
    assert result.scrubbed and result.kind == "office", result.note
    assert result.path is not None and result.path.name == "brief.docx"
    assert_clean(result.path)
    assert [p.name for p in Path("out").iterdir()] == ["brief.docx"]
