"""Shared pieces of the scrubbers: limits, a handler's outcome, and sniffing the kind."""

from __future__ import annotations

import dataclasses
import os
import signal
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
ANSWER = "answer.json"  # what a scrubbing child writes in its scratch folder
# glibc's exit status when it cannot allocate a thread's storage for a library (qpdf hits
# this under RLIMIT_AS instead of raising bad_alloc): the process ran out of memory.
TLS_ABORT = 127


@dataclass(frozen=True)
class Limits:
    """Bounds on the work one hostile file can make the desk do.

    The pixel cap bounds memory and decoding time for images (a 50-megapixel RGBA image
    is 200 MB decoded); a decompression bomb beyond it is refused unread. The object cap
    bounds a PDF's parse, the expansion cap an office document's unzipped members.

    The last four bound the child process every scrub runs in (desk._scrub_child), for
    what the caps above cannot foresee: a 70 KB PDF whose streams are chains of
    FlateDecode decodes to 50 GiB, and a PDF of millions of tiny objects takes gigabytes
    to list. cpu_seconds is processor time (RLIMIT_CPU), wall_seconds the time the desk
    waits before it kills the child, memory_bytes its address space (RLIMIT_AS) and
    output_bytes the largest file it may write (RLIMIT_FSIZE). mat2 inherits them.
    """

    image_bytes: int = 100 * MB
    pdf_bytes: int = 200 * MB
    office_bytes: int = 100 * MB
    text_bytes: int = 20 * MB
    max_pixels: int = 50_000_000
    max_pdf_objects: int = 200_000
    max_pdf_images: int = 500
    cpu_seconds: int = 30
    wall_seconds: int = 90
    memory_bytes: int = 2048 * MB
    output_bytes: int = 1024 * MB

    def cap(self, kind: str) -> int:
        """The largest input, in bytes, that the scrubber for `kind` will read (0: none)."""
        return {
            "image": self.image_bytes,
            "pdf": self.pdf_bytes,
            "office": self.office_bytes,
            "text": self.text_bytes,
        }.get(kind, 0)

    def largest_cap(self) -> int:
        """Above this no scrubber reads a file: its plaintext need never reach the disk."""
        return max(self.cap(kind) for kind in ("image", "pdf", "office", "text"))


# The `[scrub]` table of a workspace's desk.toml: key -> (Limits field, unit in bytes).
CONFIG_KEYS = {
    "cpu_seconds": ("cpu_seconds", 1),
    "wall_seconds": ("wall_seconds", 1),
    "memory_mib": ("memory_bytes", MB),
    "output_mib": ("output_bytes", MB),
    "image_mib": ("image_bytes", MB),
    "pdf_mib": ("pdf_bytes", MB),
    "office_mib": ("office_bytes", MB),
    "text_mib": ("text_bytes", MB),
    "max_pixels": ("max_pixels", 1),
    "max_pdf_objects": ("max_pdf_objects", 1),
    "max_pdf_images": ("max_pdf_images", 1),
}


def limits_from_config(table: Mapping[str, object]) -> Limits:
    """Limits from a `[scrub]` table; absent keys keep their defaults. Raises ValueError
    naming the key for an unknown key or a value that is not a positive whole number."""
    changes: dict[str, int] = {}
    for key, value in table.items():
        if key not in CONFIG_KEYS:
            known = ", ".join(sorted(CONFIG_KEYS))
            raise ValueError(f"unknown setting scrub.{key} (known: {known})")
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"scrub.{key} must be a positive whole number, not {value!r}")
        field, unit = CONFIG_KEYS[key]
        changes[field] = value * unit
    return dataclasses.replace(Limits(), **changes)


def limit_note(returncode: int, limits: Limits) -> str:
    """Why a scrubbing process (the child, or mat2) that ended with `returncode` stopped,
    as the editor's note."""
    if returncode == -signal.SIGXCPU:
        return f"not scrubbed: it needed more than {limits.cpu_seconds} s of processor time"
    if returncode == -signal.SIGXFSZ:
        return f"not scrubbed: its copy grew past {limits.output_bytes // MB} MiB"
    if returncode == TLS_ABORT:
        return memory_note(limits)
    if returncode < 0:
        return f"not scrubbed: the scrubber crashed (signal {-returncode}), perhaps out of memory"
    return f"not scrubbed: the scrubber failed (exit status {returncode})"


def wall_note(limits: Limits) -> str:
    """The note for a scrub stopped because it ran past wall_seconds."""
    return f"not scrubbed: it took longer than {limits.wall_seconds} s"


def memory_note(limits: Limits) -> str:
    """The note for a scrub that ran out of its address space."""
    return f"not scrubbed: it needed more than {limits.memory_bytes // MB} MiB of memory"


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


@dataclass(frozen=True)
class ScrubResult:
    """What `scrub` did with one file.

    path: the scrubbed copy inside out_dir, or None when no copy was written.
    scrubbed: True only when the copy is believed free of metadata and safe to show.
    kind: "image", "pdf", "office", "text" or "other" (from the file's bytes, not its name).
    note: a short, human-readable account for the editor (never contains file contents).
    """

    path: Path | None
    scrubbed: bool
    kind: str
    note: str


def link_free_name(tmp: Path, out_dir: Path, name: str) -> Path:
    """Give `tmp` the first free variant of `name` in out_dir; never overwrite a file."""
    stem, suffix = os.path.splitext(name)
    for n in range(1, 10_000):
        candidate = out_dir / (name if n == 1 else f"{stem}-{n}{suffix}")
        try:
            os.link(tmp, candidate)  # atomic, and fails rather than replace
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(f"no free name for {name!r} in the output directory")
