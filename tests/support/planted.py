"""Files with metadata planted where cameras and editors put it, and the stock exiftool
checks that look for exactly those strings afterwards.

Shared by the scrubber's unit tests and the end-to-end pull tests: a JPEG with EXIF GPS,
camera make and model, XMP and a comment; a PDF with DocInfo, XMP, a signed annotation and
an EXIF-laden image; a .docx with its author in docProps.
"""

from __future__ import annotations

import functools
import io
import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import ExifTags, Image
from tests.support.components import require_tool

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
    """No planted secret in the tags or the bytes, and no group or tag that carries metadata."""
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


def photo(orientation: int = 1, size: tuple[int, int] = (60, 30)) -> Image.Image:
    """A red image whose left third is blue, so rotation can be seen in the pixels."""
    im = Image.new("RGB", size, (220, 0, 0))
    im.paste((0, 0, 255), (0, 0, size[0] // 3, size[1]))
    return im


def jpeg_with_metadata(path: Path, orientation: int = 1) -> Path:
    """A phone photo: camera make and model, GPS position, XMP creator and a JPEG comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    exif[ExifTags.Base.Model] = "SecretCam Pocket 7"
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


def place_jpeg(
    pdf: pikepdf.Pdf, page: pikepdf.Page, jpeg: bytes, size: tuple[int, int], draw: bytes
) -> None:
    """Put a JPEG (its bytes as they are, EXIF and all) on `page` as image /Im0, drawn by
    the content stream `draw`."""
    image = pikepdf.Stream(
        pdf,
        jpeg,
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=size[0],
        Height=size[1],
        ColorSpace=pikepdf.Name.DeviceRGB,
        BitsPerComponent=8,
        Filter=pikepdf.Name.DCTDecode,
    )
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    page.Contents = pikepdf.Stream(pdf, draw)


def pdf_with_metadata(path: Path, *, attachment: bool = False) -> Path:
    """A one-page PDF with DocInfo, XMP, a commented annotation and an EXIF-laden JPEG."""
    jpeg = io.BytesIO()
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretCam"
    photo().save(jpeg, format="JPEG", exif=exif, comment=b"ComSecret")
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    place_jpeg(pdf, page, jpeg.getvalue(), (60, 30), b"q 120 0 0 60 40 70 cm /Im0 Do Q")
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


def docx_with_author(path: Path) -> Path:
    """A minimal Word document whose docProps name its author and last editor."""
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
