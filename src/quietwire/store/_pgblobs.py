"""Blobs inside PostgreSQL, so several stateless server nodes can share one database.

Ciphertext is written in 1 MiB chunks, each committed as it fills so memory stays flat;
the blob's record flips to `complete` only after its last chunk, and readers refuse
incomplete blobs. The same two-step visibility as the file store: a crash mid-write
leaves an incomplete record, and a crash before the row commits an unreferenced one. A
serving node marks its blobs with its node id: once its lease runs out, a live node's sweep
removes them (`_leases`); blobs written outside a serving node are swept by `sweep` once a
day old.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import BinaryIO, cast

from sqlalchemy import func, select, update

from quietwire.store._blobs import check_key
from quietwire.store._db import Database
from quietwire.store._errors import BlobIntegrityError
from quietwire.store._leases import db_clock, drop_blobs
from quietwire.store._models import BlobChunk, BlobRecord, NodeLease

CHUNK = 1024 * 1024
HEAD = 64 * 1024  # how much of its start a blob being written remembers (`head`)
STALE_AFTER = timedelta(hours=24)  # longer than the slowest upload over Tor could take


class _PgWriter(io.RawIOBase):
    def __init__(self, db: Database, key: str) -> None:
        self._db = db
        self._key = key
        self._buf = bytearray()
        self._seq = 0
        self._head = b""
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self._buf += data
        n = len(data)
        self.size += n
        while len(self._buf) >= CHUNK:
            self._store(bytes(self._buf[:CHUNK]))
            del self._buf[:CHUNK]
        return n

    def head(self, limit: int) -> bytes:
        return (self._head or bytes(self._buf[:HEAD]))[: min(limit, HEAD)]

    def flush_all(self) -> None:
        if self._buf:
            self._store(bytes(self._buf))
            self._buf.clear()

    def _store(self, data: bytes) -> None:
        if self._seq == 0:
            self._head = data[:HEAD]
        with self._db.session() as s:
            s.add(BlobChunk(key=self._key, seq=self._seq, data=data))
        self._seq += 1

    @property
    def chunks(self) -> int:
        return self._seq


class _PendingPg:
    def __init__(self, db: Database, node: str | None) -> None:
        self._db = db
        self.key = f"{secrets.token_hex(16)}.age"
        with db.session() as s:
            s.add(BlobRecord(key=self.key, size=0, complete=False, node=node))
        self._writer = _PgWriter(db, self.key)
        self._done = False

    @property
    def file(self) -> BinaryIO:
        return cast(BinaryIO, self._writer)

    def finish(self) -> tuple[str, int]:
        self._writer.flush_all()
        with self._db.session() as s:
            # If this node was presumed dead (its lease lapsed) another node may have swept
            # the blob under it: then this upload fails rather than being acknowledged
            # without its ciphertext.
            chunks = s.scalar(select(func.count()).where(BlobChunk.key == self.key))
            flipped = s.execute(
                update(BlobRecord)
                .where(BlobRecord.key == self.key, BlobRecord.complete.is_(False))
                .values(complete=True, size=self._writer.size)
            ).rowcount  # type: ignore[attr-defined]
            if flipped != 1 or chunks != self._writer.chunks:
                raise BlobIntegrityError("blob removed while it was written")
        self._done = True
        return self.key, self._writer.size

    def abort(self) -> None:
        if not self._done:
            self._done = True
            drop_blobs(self._db, [self.key])

    def direct_fd(self) -> None:
        return None  # chunks go into rows: everything passes through `file`

    def head(self, limit: int) -> bytes:
        return self._writer.head(limit)

    def write_back(self) -> None:
        pass  # each chunk is committed as it fills


class _PgReader(io.RawIOBase):
    def __init__(self, db: Database, key: str, chunks: int) -> None:
        self._db = db
        self._key = key
        self._chunks = chunks
        self._seq = 0
        self._current = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._current and self._seq < self._chunks:
            with self._db.session() as s:
                data = s.scalar(
                    select(BlobChunk.data).where(
                        BlobChunk.key == self._key, BlobChunk.seq == self._seq
                    )
                )
            if data is None:
                raise BlobIntegrityError("blob chunk missing")
            self._current = memoryview(data)
            self._seq += 1
        n = min(len(buffer), len(self._current))
        buffer[:n] = self._current[:n]
        self._current = self._current[n:]
        return n


class PgBlobStore:
    """The BlobStore protocol over the `blob_records` and `blob_chunks` tables."""

    def __init__(self, db: Database, node: str | None = None) -> None:
        self.db = db
        self.node = node  # the serving node's id (its lease), None outside `serve`

    def begin(self) -> _PendingPg:
        return _PendingPg(self.db, self.node)

    def _record(self, key: str) -> BlobRecord:
        with self.db.session() as s:
            record = s.get(BlobRecord, check_key(key))
        if record is None or not record.complete:
            raise BlobIntegrityError("blob missing from the store")
        return record

    def open(self, key: str) -> BinaryIO:
        self._record(key)
        with self.db.session() as s:
            chunks = s.scalar(select(func.count()).where(BlobChunk.key == key)) or 0
        return cast(BinaryIO, io.BufferedReader(_PgReader(self.db, key, chunks), CHUNK))

    def size(self, key: str) -> int:
        return self._record(key).size

    def delete(self, key: str) -> None:
        drop_blobs(self.db, [check_key(key)])

    def keys(self) -> Iterator[str]:
        with self.db.session() as s:
            yield from list(s.scalars(select(BlobRecord.key).where(BlobRecord.complete)))

    def sweep(self, referenced: Iterable[str]) -> int:
        """The fallback: drop blobs no row points at once they are STALE_AFTER old, except
        those of a node still renewing its lease. On a node shared with others, a
        submission's finished file envelopes wait unreferenced until its row commits,
        perhaps on another node still receiving the next file; a dead node's are swept
        within minutes by `sweep_dead_nodes`. (The file store serves one node and sweeps
        at once.)"""
        keep = set(referenced)
        cutoff = datetime.now(UTC) - STALE_AFTER
        with self.db.session() as s:
            live = select(NodeLease.node).where(NodeLease.expires >= db_clock(self.db, s))
            rows = s.scalars(
                select(BlobRecord.key).where(
                    BlobRecord.created < cutoff,
                    BlobRecord.node.is_(None) | BlobRecord.node.not_in(live),
                )
            )
            doomed = [key for key in rows if key not in keep]
        drop_blobs(self.db, doomed)
        return len(doomed)
