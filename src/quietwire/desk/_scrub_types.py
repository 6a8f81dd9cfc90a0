"""Shared pieces of the scrubbers: limits, a handler's outcome, and sniffing the kind."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Bounds on the work one hostile file can make the desk do.

    The pixel cap bounds memory and decoding time for images (a 50-megapixel RGBA image
    is 200 MB decoded); a decompression bomb beyond it is refused unread. The object cap
    bounds a PDF's parse; the timeout bounds mat2.
    """

    image_bytes: int = 100 * MB
    pdf_bytes: int = 200 * MB
    office_bytes: int = 100 * MB
    text_bytes: int = 20 * MB
    max_pixels: int = 50_000_000
    max_pdf_objects: int = 200_000
    max_pdf_images: int = 500
    subprocess_seconds: float = 60.0

    def cap(self, kind: str) -> int:
        """The largest input, in bytes, that the scrubber for `kind` will read (0: none)."""
        return {
            "image": self.image_bytes,
            "pdf": self.pdf_bytes,
            "office": self.office_bytes,
            "text": self.text_bytes,
        }.get(kind, 0)


@dataclass(frozen=True)
class Outcome:
    """What one handler did: whether it wrote the output, whether that output is clean,
    the file extension it chose (empty: keep the original's), and a note for the editor."""

    written: bool
    scrubbed: bool
    extension: str
    note: str


_TEXT_TYPES = {"text/plain", "text/csv"}
_TEXT_EXTENSIONS = (".txt", ".csv", ".text", ".md")


def sniff(head: bytes, name: str, content_type: str) -> str:
    """The kind of a file from its first bytes; the name and type only decide text."""
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        return "image"
    if head[:6] in (b"GIF87a", b"GIF89a") or head[:2] == b"BM":
        return "image"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"heif", b"avif"):
        return "image"
    if b"%PDF-" in head[:16]:
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        return "office"
    ctype = content_type.split(";", 1)[0].strip().lower()
    if ctype in _TEXT_TYPES or name.lower().endswith(_TEXT_EXTENSIONS):
        return "text"
    return "other"
