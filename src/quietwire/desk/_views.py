"""Read-only views of the workspace, for the CLI and the local web UI."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from quietwire.crypto import REPORT_FIELDS

# The structured report as the desk shows it (the CLI and the UI): each field's label and
# the source's answer to "how do you know", in English and Arabic.
REPORT_LABELS: dict[str, dict[str, str]] = {
    "what": {"en": "What happened", "ar": "ماذا حدث"},
    "where": {"en": "Where", "ar": "أين"},
    "when": {"en": "When", "ar": "متى"},
    "how_many": {"en": "How many people", "ar": "كم شخصًا"},
    "how_known": {"en": "How the source knows", "ar": "كيف عرف المصدر"},
    "other": {"en": "Anything else", "ar": "أمور أخرى"},
}
HOW_KNOWN_LABELS: dict[str, dict[str, str]] = {
    "saw": {"en": "saw it themselves", "ar": "رآه بنفسه"},
    "witness": {"en": "heard it from a witness", "ar": "سمعه من شاهد"},
    "hearsay": {"en": "heard it from others", "ar": "سمعه من آخرين"},
}


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


def report_rows(answers: Mapping[str, str], lang: str = "en") -> list[tuple[str, str, str]]:
    """(field, label, value) for each answered field, in the report form's order, with
    labels (and the how_known choice) in `lang` ("en" or "ar"; English otherwise)."""
    rows = []
    for key in REPORT_FIELDS:
        value = answers.get(key, "")
        if not value:
            continue
        if key == "how_known" and value in HOW_KNOWN_LABELS:
            value = HOW_KNOWN_LABELS[value].get(lang, HOW_KNOWN_LABELS[value]["en"])
        label = REPORT_LABELS[key]
        rows.append((key, label.get(lang, label["en"]), value))
    return rows


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
