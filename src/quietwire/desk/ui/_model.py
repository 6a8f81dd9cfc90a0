"""What the desk UI's pages show: small frozen records, free of storage details."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from quietwire.errors import Error


class DeskUIError(Error):
    """Something the editor asked of the UI failed; the message is safe to show them."""


@dataclass(frozen=True, slots=True)
class FileItem:
    submission: str
    position: int
    name: str  # as the source named it: untrusted, escaped by the templates
    size: int
    scrubbed: bool
    note: str
    copy: Path | None  # the viewing copy, if one was written (may be NOT scrubbed)
    image_type: str | None  # "image/jpeg" or "image/png" when the copy is a scrubbed image

    @property
    def inline_image(self) -> bool:
        """Only a fully scrubbed image copy is ever shown in the page."""
        return self.scrubbed and self.copy is not None and self.image_type is not None


@dataclass(frozen=True, slots=True)
class SubmissionItem:
    id: str
    received: str
    text: str
    answers: tuple[tuple[str, str], ...]  # (field, value) in the report form's order
    files: tuple[FileItem, ...]
    read: bool
    starred: bool


@dataclass(frozen=True, slots=True)
class ReplyItem:
    sent: str
    text: str


@dataclass(frozen=True, slots=True)
class SourceRow:
    designation: str
    submissions: int
    unread: int
    starred: int  # how many of its submissions carry a star
    latest: str


@dataclass(frozen=True, slots=True)
class SourcePage:
    row: SourceRow
    submissions: tuple[SubmissionItem, ...]
    replies: tuple[ReplyItem, ...]
