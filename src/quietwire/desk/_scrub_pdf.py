"""PDFs: remove the document's metadata with pikepdf, and rebuild embedded JPEGs.

Where a PDF hides who made it:
- the trailer's /Info dictionary (Author, Creator, Producer, dates);
- XMP streams under /Metadata, on the catalogue and on any page, image or font;
- /PieceInfo, private data an application such as Illustrator keeps per page;
- the document /ID, which can tie the file to the author's original copy;
- annotation authors (/T on comments) and their dates;
- JPEG images inside, which keep their own EXIF (camera, GPS) and comments.

The first five go. An embedded JPEG that carries metadata markers is rebuilt from its
pixels; one we cannot rebuild (CMYK, JPEG 2000) and attached files make the result
"partially scrubbed", which is not scrubbed.

Hostile PDFs: the trailer's /Size (the number of objects the file declares) is checked
straight after opening, before listing the objects: a 4 MB file of a million tiny objects
in object streams took 730 MB to list, a 21 MB one 3.3 GB. A file that understates its
/Size, and streams that are chains of FlateDecode (qpdf decodes them to rewrite them:
70 KB can decode to 50 GiB), are bounded by the child process's limits instead
(desk._scrub_child); running out of memory is reported as such, not as a broken file.

Traps (FINDINGS.md): reading `pdf.docinfo` creates an empty /Info, and `open_metadata()`
stamps pikepdf as the editor, so neither is touched here. Unreferenced objects (the old
XMP streams) are not written by qpdf, and a full rewrite leaves no earlier incremental
revision behind. Object streams are disabled so that a plain search can audit the copy.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

import pikepdf
from PIL import Image

from quietwire.desk._scrub_types import Limits, Outcome

_PRIVATE_KEYS = ("/Metadata", "/PieceInfo")
# JPEG segments that carry nothing about the author: JFIF header and Adobe colour transform.
_HARMLESS_JPEG_MARKERS = {"APP0", "APP14"}


def scrub_pdf(src: Path, dst: Path, limits: Limits, suffix: str = "") -> Outcome:
    """Write a copy of the PDF at `src` without its metadata to the new file `dst`."""
    try:
        with pikepdf.open(src) as pdf:
            if _declared_objects(pdf) > limits.max_pdf_objects:
                return Outcome(False, False, "", "PDF has too many objects: not scrubbed")
            if len(pdf.objects) > limits.max_pdf_objects:
                return Outcome(False, False, "", "PDF has too many objects: not scrubbed")
            problems = _strip(pdf, limits)
            fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                pdf.save(
                    out,
                    deterministic_id=True,
                    fix_metadata_version=False,
                    object_stream_mode=pikepdf.ObjectStreamMode.disable,
                )
    except pikepdf.PasswordError:
        return Outcome(False, False, "", "PDF is password-protected: not scrubbed")
    except MemoryError:
        dst.unlink(missing_ok=True)
        raise  # the child reports the limit it reached (desk._scrub_child)
    except Exception:  # any failure of the parser on untrusted bytes means "not scrubbed"
        dst.unlink(missing_ok=True)
        return Outcome(False, False, "", "PDF could not be read: not scrubbed")
    if problems:
        return Outcome(True, False, ".pdf", "partially scrubbed: " + "; ".join(problems))
    return Outcome(True, True, ".pdf", "document information, XMP and image metadata removed")


def _declared_objects(pdf: pikepdf.Pdf) -> int:
    """The trailer's /Size: how many objects the file says it has (0 if it says nothing)."""
    try:
        return int(pdf.trailer.get("/Size", 0))
    except (TypeError, ValueError):
        return 0


def _strip(pdf: pikepdf.Pdf, limits: Limits) -> list[str]:
    """Remove what identifies the author in place; return what could not be cleaned."""
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]
    problems: list[str] = []
    images_left = 0
    images_seen = 0
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        for key in _PRIVATE_KEYS:
            if key in obj:
                del obj[key]
        if obj.get("/Type") == pikepdf.Name.Annot and obj.get("/Subtype") != pikepdf.Name.Widget:
            # A comment's /T is, by convention, its author's name (a form field's is its name).
            for key in ("/T", "/M", "/CreationDate"):
                if key in obj:
                    del obj[key]
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Image:
            images_seen += 1
            if images_seen > limits.max_pdf_images or not _clean_image(obj, limits):
                images_left += 1
    for key in _PRIVATE_KEYS:
        if key in pdf.Root:
            del pdf.Root[key]
    if images_left:
        problems.append(f"{images_left} embedded image(s) may keep their own metadata")
    names = pdf.Root.get("/Names")
    if isinstance(names, pikepdf.Dictionary) and "/EmbeddedFiles" in names:
        problems.append("the PDF carries attached files, which were not scrubbed")
    return problems


def _clean_image(stream: pikepdf.Stream, limits: Limits) -> bool:
    """Make one image XObject free of metadata; False if that could not be done."""
    filters = stream.get("/Filter")
    if filters is None or filters in (pikepdf.Name.FlateDecode, pikepdf.Name.LZWDecode):
        return True  # raw or zipped pixel samples: there is nowhere for metadata to hide
    if filters in (pikepdf.Name.CCITTFaxDecode, pikepdf.Name.JBIG2Decode):
        return True  # fax and JBIG2 bitstreams carry no metadata segments we keep
    if filters != pikepdf.Name.DCTDecode:
        return False  # JPEG 2000 and filter chains: not inspected
    raw = bytes(stream.read_raw_bytes())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as im:
                markers = {marker for marker, _ in getattr(im, "applist", [])}
                if markers <= _HARMLESS_JPEG_MARKERS:
                    return True
                width, height = im.size
                if im.mode not in {"L", "RGB"} or width * height > limits.max_pixels:
                    return False
                im.load()
                clean = Image.frombytes(im.mode, im.size, im.tobytes())
    except MemoryError:
        raise
    except Exception:  # an undecodable image stays as it is, flagged
        return False
    buf = io.BytesIO()
    clean.save(buf, format="JPEG", quality=92)
    stream.write(buf.getvalue(), filter=pikepdf.Name.DCTDecode)
    if "/DecodeParms" in stream:
        del stream["/DecodeParms"]
    return True
