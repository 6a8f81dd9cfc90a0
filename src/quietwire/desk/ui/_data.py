"""The desk workspace as the UI reads and changes it.

A thin adapter over `quietwire.desk.Workspace` that turns its views into the UI's
records and its errors into `DeskUIError`. The workspace holds one SQLite connection and
is not meant for concurrent writers, while the web server answers from a thread pool:
one lock serialises every call into it. Only the decryption of an original for download
runs outside the lock (it can take minutes for a large file), reading the envelope file
directly; it needs nothing from the database once the file is known.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from quietwire.desk import DeskError, NotFound, Workspace
from quietwire.desk import FileView as WsFile
from quietwire.desk import SubmissionView as WsSubmission
from quietwire.desk._views import report_rows
from quietwire.desk.ui._model import (
    DeskUIError,
    FileItem,
    ReplyItem,
    SourcePage,
    SourceRow,
    SubmissionItem,
)
from quietwire.desk.ui._stream import decrypt_chunks

_MAGIC = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


class DeskData:
    """Everything the pages need from one open workspace (thread-safe)."""

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace
        self._lock = threading.Lock()

    def sources(self) -> list[SourceRow]:
        with self._lock:
            sources = self.ws.sources()
            stars: dict[str, int] = {}
            for sub in self.ws.submissions():
                stars[sub.designation] = stars.get(sub.designation, 0) + int(sub.starred)
        return [
            SourceRow(
                designation=s.designation,
                submissions=s.submissions,
                unread=s.unread,
                starred=stars.get(s.designation, 0),
                latest=_when(s.last_received),
            )
            for s in sources
        ]

    def source(self, designation: str) -> SourcePage | None:
        with self._lock:
            try:
                summary = self.ws.source(designation)
                subs = self.ws.submissions(designation)
                replies = self.ws.replies(designation)
            except NotFound:
                return None
        row = SourceRow(
            designation=summary.designation,
            submissions=summary.submissions,
            unread=summary.unread,
            starred=sum(s.starred for s in subs),
            latest=_when(summary.last_received),
        )
        return SourcePage(
            row=row,
            submissions=tuple(self._submission(s) for s in reversed(subs)),
            replies=tuple(ReplyItem(sent=_when(r.sent), text=r.text) for r in replies),
        )

    def owner(self, submission_id: str) -> str | None:
        """The designation of the source that sent a submission, or None."""
        with self._lock:
            try:
                return self.ws.submission(submission_id).designation
            except NotFound:
                return None

    def file(self, submission_id: str, position: int) -> FileItem | None:
        found = self._find(submission_id, position)
        return None if found is None else self._file(submission_id, found)

    def original(self, submission_id: str, position: int) -> tuple[FileItem, Iterator[bytes]]:
        """The file and its original bytes, decrypted chunk by chunk from the envelope."""
        found = self._find(submission_id, position)
        if found is None:
            raise DeskUIError("no such file")
        envelope = self.ws.paths.originals / submission_id / found.original
        if not _inside(envelope, self.ws.paths.originals):
            raise DeskUIError("no such file")
        with self._lock:
            try:
                identities = self.ws.identities()
            except DeskError as exc:
                raise DeskUIError(str(exc)) from None
        return self._file(submission_id, found), decrypt_chunks(envelope, identities)

    def reply(self, designation: str, text: str) -> None:
        """Encrypt on this desk to the source's reply key and upload. DeskUIError if not sent."""
        with self._lock:
            try:
                self.ws.reply(designation, text)
            except DeskError as exc:
                raise DeskUIError(str(exc)) from None

    def set_starred(self, submission_id: str, starred: bool) -> None:
        with self._lock:
            try:
                self.ws.star(submission_id, starred)
            except NotFound as exc:
                raise DeskUIError(str(exc)) from None

    def set_read(self, submission_id: str, read: bool) -> None:
        with self._lock:
            try:
                self.ws.mark_read(submission_id, read)
            except NotFound as exc:
                raise DeskUIError(str(exc)) from None

    # -- helpers ------------------------------------------------------------------------

    def _find(self, submission_id: str, position: int) -> WsFile | None:
        with self._lock:
            try:
                sub = self.ws.submission(submission_id)
            except NotFound:
                return None
        return next((f for f in sub.files if f.position == position), None)

    def _submission(self, sub: WsSubmission) -> SubmissionItem:
        answers = tuple((key, sub.answers[key]) for key, _, _ in report_rows(sub.answers))
        return SubmissionItem(
            id=sub.id,
            received=_when(sub.received),
            text=sub.text,
            answers=answers,
            files=tuple(self._file(sub.id, f) for f in sub.files),
            read=sub.read,
            starred=sub.starred,
        )

    def _file(self, submission_id: str, f: WsFile) -> FileItem:
        copy = f.scrubbed_path
        if copy is not None and (not _inside(copy, self.ws.paths.scrubbed) or not copy.is_file()):
            copy = None
        return FileItem(
            submission=submission_id,
            position=f.position,
            name=f.name,
            size=f.size,
            scrubbed=f.scrubbed and copy is not None,
            note=f.note,
            copy=copy,
            image_type=_image_type(copy) if f.scrubbed and copy is not None else None,
        )


def _image_type(copy: Path) -> str | None:
    """The media type of a scrubbed copy that is an image, read from its bytes."""
    try:
        with copy.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return None
    return next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def _when(iso: str | None) -> str:
    """An ISO 8601 time as 'YYYY-MM-DD HH:MM' (UTC), for display."""
    if not iso:
        return ""
    return iso.replace("T", " ")[:16] + (" UTC" if len(iso) >= 16 else "")
