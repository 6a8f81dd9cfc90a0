"""Writing sources and submissions: everything encrypted before it touches the disk."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from pyrage import x25519
from sqlalchemy import Connection, String, bindparam, insert, select

from quietwire.crypto import (
    HEADER_MAX,
    CipherJob,
    EnvelopeError,
    FileEntry,
    Manifest,
    SourceKeys,
    encrypt_bytes,
    encrypt_stream,
    header_digest,
    parse_recipients,
)
from quietwire.crypto._envelope import Readable
from quietwire.instance import Instance, current_recipients
from quietwire.intake.errors import SubmissionTooLarge
from quietwire.store import (
    UNATTACHED,
    Delivery,
    Editor,
    Envelope,
    PendingBlob,
    Seal,
    Source,
    StoreError,
    Submission,
    new_id,
    now_hour,
)

# Core statements built once: a submission is four INSERTs, and every active editor whose
# key it was sealed to gets a delivery chosen inside the INSERT, without a round trip to
# read the editors first. An editor who holds a sealed key later gets it then (deskapi).
_INSERT_SUBMISSION = insert(Submission)
_INSERT_ENVELOPE = insert(Envelope)
_INSERT_SEALS = insert(Seal)
_INSERT_DELIVERIES = insert(Delivery).from_select(
    ["submission_id", "editor_id"],
    select(Seal.submission_id, Editor.id)
    .join(Editor, Editor.recipient == Seal.recipient)
    .where(Seal.submission_id == bindparam("submission", type_=String), Editor.revoked.is_(None)),
)
_SOURCE_EXISTS = select(Source.id).where(Source.id == bindparam("id"))
_INSERT_SOURCE = insert(Source).values(id=bindparam("id"), reply_recipient=bindparam("reply"))
_PUMP_BYTES = 1024 * 1024
WRITE_BACK = 64 * 1024 * 1024


@functools.lru_cache(maxsize=4)
def _parsed(recipients: tuple[str, ...]) -> tuple[x25519.Recipient, ...]:
    # Once per set of recipients, not once per submission: they change only with the config.
    return tuple(parse_recipients(recipients))


def register_source(instance: Instance, keys: SourceKeys) -> bool:
    """Record a source (id and reply recipient only). Returns False if it already existed."""
    created = False

    def write(conn: Connection) -> None:
        nonlocal created
        if conn.execute(_SOURCE_EXISTS, {"id": keys.source_id}).first() is None:
            conn.execute(_INSERT_SOURCE, {"id": keys.source_id, "reply": keys.reply_recipient})
            created = True

    instance.db.write(write)
    return created


def source_exists(instance: Instance, source_id: str) -> bool:
    with instance.db.session() as s:
        return s.get(Source, source_id) is not None


class _CountingReader:
    """Counts plaintext on its way into the encryptor, enforcing the size budget."""

    def __init__(self, inner: Readable, budget: int) -> None:
        self._inner = inner
        self._budget = budget
        self.size = 0
        self.over_budget = False

    def readinto(self, buffer: bytearray | memoryview) -> int:
        n = self._inner.readinto(buffer) or 0
        if not n:
            return 0
        self.size += n
        if self.size > self._budget:
            self.over_budget = True
            raise OSError("submission over the size limit")
        return n

    def read(self, size: int = -1) -> bytes:
        # pyrage pulls with read(); route it through readinto so counting stays in one place.
        buffer = bytearray(size if size > 0 else 64 * 1024)
        return bytes(buffer[: self.readinto(buffer)])


def _write_back_while(job: CipherJob, pending: PendingBlob) -> None:
    """While `job` writes into the blob itself, start the disk writing every WRITE_BACK
    bytes, rather than all of it in the fsync the source waits for."""
    fd = pending.direct_fd()
    done = 0
    while not job.wait(0.05):
        if fd is not None and os.fstat(fd).st_size - done >= WRITE_BACK:
            done = os.fstat(fd).st_size
            pending.write_back()


def _header(pending: PendingBlob) -> str:
    """The header digest of the envelope `pending` holds, for the manifest to bind it."""
    digest = header_digest(pending.head(HEADER_MAX))
    if digest is None:
        raise EnvelopeError("the encryption wrote no complete age header")
    return digest


@dataclass
class SubmissionWriter:
    """Builds one submission: each file its own envelope, then the manifest, then the rows.

    Blocking: call from a worker thread. Uploads go through `start_encryption` and
    `add_encrypted` (a child process encrypts); `add_file` encrypts in the calling thread
    (tools, tests). Nothing becomes visible until `commit()`; any failure, or `abort()`,
    removes every blob written so far.
    """

    instance: Instance
    source_id: str
    lang: str
    # A report sent on an ended session: held undelivered under a placeholder source until
    # the source logs in (`attach_held`) or the hold ends (`deliver_held`).
    held: bool = False
    new_placeholder: bool = False  # this report creates the placeholder source row
    submission_id: str = field(default_factory=new_id)
    _files: list[FileEntry] = field(default_factory=list)
    _blobs: list[tuple[str, str, int, str]] = field(default_factory=list)  # env id, key, size, kind
    _pending: PendingBlob | None = None
    _plain_bytes: int = 0

    def __post_init__(self) -> None:
        # The active editors' keys as they are now; the submission is sealed to these.
        self._recipient_texts = current_recipients(self.instance)
        self._recipients = _parsed(self._recipient_texts)

    @property
    def files(self) -> tuple[FileEntry, ...]:
        return tuple(self._files)

    @property
    def remaining_budget(self) -> int:
        return self.instance.settings.max_submission_bytes - self._plain_bytes

    def add_file(self, name: str, content_type: str, reader: Readable) -> FileEntry:
        """Encrypt one file from `reader` in this thread into its own envelope (tools, tests).

        Raises SubmissionTooLarge past the submission's budget.
        """
        counting = _CountingReader(reader, self.remaining_budget)
        key, size, header = self._write_blob(
            lambda out: encrypt_stream(counting, out, self._recipients),
            over_budget=lambda: counting.over_budget,
        )
        return self._record(name, content_type, counting.size, header, key, size)

    def start_encryption(self) -> CipherJob:
        """Begin a file envelope: a child process encrypting to this instance's recipients.

        Feed and close the job's stdin, and meanwhile call `add_encrypted` with it (from
        a worker thread). Where the blob store has a real file, the child writes into it.
        """
        pending = self.instance.blobs.begin()
        try:
            job = CipherJob.encrypt(self._recipient_texts, pending.direct_fd())
        except BaseException:
            pending.abort()
            raise
        self._pending = pending
        return job

    def add_encrypted(
        self, name: str, content_type: str, job: CipherJob, fed: Callable[[], int]
    ) -> FileEntry:
        """Store `job`'s envelope (begun by `start_encryption`) while the caller feeds it.

        `fed()` gives the plaintext bytes the caller wrote to the job, read once the job
        has ended. Blocking: run in a worker thread. The blob is published only if the job
        succeeds; on any failure the child is killed and nothing remains.
        """
        pending = self._pending
        if pending is None:
            raise StoreError("add_encrypted without start_encryption")
        try:
            if job.stdout is not None:
                while chunk := job.stdout.read(_PUMP_BYTES):
                    pending.file.write(chunk)
            else:
                _write_back_while(job, pending)
            counted = job.result().size  # None where the age command encrypted
            plain_size = fed()
            if counted is not None and counted != plain_size:
                raise EnvelopeError("the encryption did not read the whole file")
            if plain_size > self.remaining_budget:
                raise SubmissionTooLarge("over the size limit")
            header = _header(pending)
            key, size = pending.finish()
        except BaseException:
            job.kill()
            pending.abort()
            raise
        finally:
            self._pending = None
        return self._record(name, content_type, plain_size, header, key, size)

    def _record(
        self, name: str, content_type: str, plain_size: int, header: str, key: str, size: int
    ) -> FileEntry:
        env_id = new_id()
        self._plain_bytes += plain_size
        entry = FileEntry(
            envelope=env_id,
            position=len(self._files) + 1,
            name=name,
            type=content_type,
            size=plain_size,
            header_sha256=header,
        )
        self._files.append(entry)
        self._blobs.append((env_id, key, size, "file"))
        return entry

    def commit(self, text: str, report: dict[str, str]) -> str:
        """Write the manifest and the rows in one transaction; return the submission id."""
        try:
            manifest = Manifest(
                submission=self.submission_id,
                source=self.source_id,
                received=now_hour().isoformat(),
                lang=self.lang,
                text=text,
                report=report,
                files=tuple(self._files),
            )
            sealed = encrypt_bytes(manifest.to_bytes(), self._recipients)
            key, size, _ = self._write_blob(lambda out: out.write(sealed))
            self._blobs.insert(0, (new_id(), key, size, "manifest"))
            self._insert_rows()
        except BaseException:
            self.abort()
            raise
        return self.submission_id

    def abort(self) -> None:
        if self._pending is not None:
            self._pending.abort()
            self._pending = None
        for _, key, _, _ in self._blobs:
            self.instance.blobs.delete(key)
        self._blobs.clear()

    def _write_blob(
        self, fill: Callable[[BinaryIO], object], over_budget: Callable[[], bool] | None = None
    ) -> tuple[str, int, str]:
        """Write one blob through `fill`; return its key, size and header digest."""
        pending = self.instance.blobs.begin()
        self._pending = pending
        try:
            fill(pending.file)
            header = _header(pending)
            key, size = pending.finish()
        except BaseException as exc:
            pending.abort()
            self._pending = None
            if over_budget is not None and over_budget():
                raise SubmissionTooLarge("over the size limit") from None
            raise exc
        self._pending = None
        return key, size, header

    def _insert_rows(self) -> None:
        total = sum(size for _, _, size, _ in self._blobs)
        envelopes = [
            {
                "id": env_id,
                "submission_id": self.submission_id,
                "kind": kind,
                "position": position,
                "blob_key": key,
                "size": size,
            }
            for position, (env_id, key, size, kind) in enumerate(self._blobs)
        ]
        seals = [
            {"submission_id": self.submission_id, "recipient": r} for r in self._recipient_texts
        ]

        def write(conn: Connection) -> None:
            if self.new_placeholder:
                conn.execute(_INSERT_SOURCE, {"id": self.source_id, "reply": UNATTACHED})
            conn.execute(
                _INSERT_SUBMISSION,
                {"id": self.submission_id, "source_id": self.source_id, "size": total},
            )
            conn.execute(_INSERT_ENVELOPE, envelopes)
            conn.execute(_INSERT_SEALS, seals)
            if not self.held:
                conn.execute(_INSERT_DELIVERIES, {"submission": self.submission_id})

        self.instance.db.write(write)
