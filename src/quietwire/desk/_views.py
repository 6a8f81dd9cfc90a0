"""Read-only views of the workspace, for the CLI and the local web UI."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class SourceView:
    id: str  # the server's opaque source id
    designation: str  # stable two-word name, e.g. "amber-heron"; never the codename
    submissions: int
    unread: int
    last_received: str | None


@dataclass(frozen=True, slots=True)
class FileView:
    position: int
    name: str  # as the source named it: untrusted, display escaped
    type: str  # as the source's browser claimed: untrusted
    size: int
    sha256: str | None  # of the plaintext; None for a file too large to scrub
    original: str  # file name of the age envelope under originals/<submission>/
    scrubbed: bool  # True only when the copy is believed free of metadata
    scrubbed_path: Path | None  # the viewing copy, if one was made (may be not scrubbed!)
    note: str


@dataclass(frozen=True, slots=True)
class SubmissionView:
    id: str
    source_id: str
    designation: str
    received: str  # ISO 8601, cut to the hour by the server
    lang: str
    text: str
    answers: dict[str, str]
    read: bool
    starred: bool
    files: tuple[FileView, ...]


@dataclass(frozen=True, slots=True)
class ReplyView:
    id: str
    text: str
    sent: str


def file_view(row: sqlite3.Row, scrubbed_dir: Path) -> FileView:
    copy = row["scrubbed_copy"]
    return FileView(
        position=row["position"],
        name=row["name"],
        type=row["type"],
        size=row["size"],
        sha256=row["sha256"],
        original=row["original"],
        scrubbed=bool(row["scrubbed"]),
        scrubbed_path=scrubbed_dir / copy if copy else None,
        note=row["note"],
    )
