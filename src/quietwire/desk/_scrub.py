"""Scrubbed viewing copies of submitted files.

A source's camera, phone or word processor writes things into a file that can identify
them: GPS coordinates, the device serial number, the author's name, the time of the
edit, a thumbnail of the uncropped picture. The desk keeps every original only in
encrypted form and makes a *copy* for viewing from which such metadata is gone.

`scrub` never modifies its input, never raises for a bad or hostile file, and says
honestly what it did: a copy it could not clean completely is reported as not scrubbed
(or, for a PDF whose embedded images it could not all rebuild, "partially scrubbed",
which also counts as not scrubbed), and such a copy must never be shown inline.

How each kind is cleaned:

    image   JPEG, PNG, WebP, GIF, TIFF, BMP (and HEIC when a Pillow plugin reads it):
            rotated upright from its EXIF orientation, then rebuilt from its pixels
            alone, so EXIF, GPS, XMP, IPTC, ICC profiles, comments and thumbnails are
            left behind (see _scrub_image)
    pdf     pikepdf: document information, XMP streams, application data and the
            document id removed; embedded JPEGs rebuilt from pixels (see _scrub_pdf)
    office  docx/xlsx/pptx/odt/ods/odp/epub: Debian's mat2 in a subprocess with a
            timeout, its result checked with `mat2 --show` (see _scrub_office)
    text    plain UTF-8 text and CSV carry no hidden metadata: copied as they are
    other   not scrubbed, no copy

`scrub` runs in the calling process; the desk calls it through `scrub_isolated`
(_scrub_child), in a child process with limits on time, memory and output.
"""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from collections.abc import Callable
from pathlib import Path

from quietwire.desk._scrub_image import scrub_image
from quietwire.desk._scrub_office import OFFICE_EXTENSIONS, scrub_office
from quietwire.desk._scrub_pdf import scrub_pdf
from quietwire.desk._scrub_types import Limits, Outcome, ScrubResult, link_free_name, sniff

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "ScrubResult",
    "link_free_name",
    "safe_filename",
    "scrub",
]

DEFAULT_LIMITS = Limits()

_TEXT_EXTENSIONS = {".txt", ".csv", ".text", ".md"}
_UNSAFE = re.compile(r"[^\w.\- ]+")


def safe_filename(name: str, *, default: str = "file") -> str:
    """A file name derived from an untrusted `name` that is safe to use inside a directory.

    Directory parts, control and path characters, leading dots and Windows device tricks
    are removed; the result is at most 120 characters and never empty, "." or "..".
    The name is only ever used as the last component of a path we choose.
    """
    base = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).strip(" .")
    base = base.lstrip("-")
    if len(base) > 120:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 110 - len(ext)] + dot + ext[:10]) if dot and len(ext) <= 10 else base[:120]
    return base or default


def scrub(
    name: str,
    content_type: str,
    data_path: Path,
    out_dir: Path,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> ScrubResult:
    """Write a scrubbed copy of the file at `data_path` into `out_dir`, and say what happened.

    name, content_type: what the source's browser claimed; used only as hints (the kind is
        sniffed from the bytes) and, sanitised, for the copy's name.
    data_path: the plaintext original; read only, never modified.
    out_dir: an existing directory the editor owns; the copy gets a fresh name there
        (an existing file is never overwritten) and permissions 0600.
    Guarantees: returns for any input (corrupt, hostile or huge files give
    scrubbed=False); a copy is written whole or not at all; scrubbed=True only when every
    step that removes metadata succeeded. Raises OSError only when data_path cannot be
    read or out_dir cannot be written, and MemoryError when the process runs out of
    memory (in the scrubbing child, under RLIMIT_AS: reported as that limit). Time is not
    bounded here: that is the child's job (desk._scrub_child).
    """
    size = data_path.stat().st_size
    with data_path.open("rb") as fh:
        head = fh.read(64)
    suffix = os.path.splitext(safe_filename(name))[1].lower()
    kind = sniff(head, name, content_type)
    if kind == "office" and suffix not in OFFICE_EXTENSIONS:
        kind = "other"  # a zip that is not a document we know: an archive, not scrubbed
    cap = limits.cap(kind)
    if cap and size > cap:
        return ScrubResult(None, False, kind, f"too large to scrub ({size} bytes, limit {cap})")

    handlers: dict[str, Callable[[Path, Path, Limits, str], Outcome]] = {
        "image": scrub_image,
        "pdf": scrub_pdf,
        "office": scrub_office,
        "text": _copy_text,
    }
    handler = handlers.get(kind)
    if handler is None:
        return ScrubResult(None, False, kind, "unknown file type: not scrubbed, download only")

    tmp = out_dir / f".scrub-{secrets.token_hex(8)}.part"
    try:
        outcome = handler(data_path, tmp, limits, suffix)
        if not outcome.written:
            return ScrubResult(None, False, kind, outcome.note)
        os.chmod(tmp, 0o600)
        final = link_free_name(tmp, out_dir, _copy_name(name, kind, outcome.extension))
        return ScrubResult(final, outcome.scrubbed, kind, outcome.note)
    finally:
        tmp.unlink(missing_ok=True)


def _copy_text(src: Path, dst: Path, limits: Limits, suffix: str) -> Outcome:
    """Plain text has no hidden metadata, provided it really is text."""
    data = src.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return Outcome(False, False, "", "not valid UTF-8 text: not scrubbed")
    if b"\x00" in data:
        return Outcome(False, False, "", "contains NUL bytes, not plain text: not scrubbed")
    fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return Outcome(True, True, "", "plain text carries no hidden metadata: copied")


def _copy_name(name: str, kind: str, extension: str) -> str:
    safe = safe_filename(name)
    stem, suffix = os.path.splitext(safe)
    if kind == "text" and suffix.lower() not in _TEXT_EXTENSIONS:
        suffix = ".txt"
    return f"{stem or 'file'}{extension or suffix}"
