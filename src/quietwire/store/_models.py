"""Database tables. What is here is what a seizure of the database reveals.

No codenames, no IP addresses, no user agents, no file names: a source is known only by
an Argon2id-derived id and the public half of its reply key, and every time is cut to the
hour before it is stored (`UtcHour`), so rows cannot be matched with a network log.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Annotated, Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UtcHour(TypeDecorator[datetime]):
    """A UTC-aware datetime truncated to the hour on the way in.

    SQLite hands back naive datetimes where PostgreSQL gives aware ones; both come out
    aware here. Truncating on write means no code path can store a finer time.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC time")
        return value.astimezone(UTC).replace(minute=0, second=0, microsecond=0)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        stored: datetime = value
        return stored.replace(tzinfo=UTC) if stored.tzinfo is None else stored.astimezone(UTC)


def now_hour() -> datetime:
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def new_id() -> str:
    """An opaque random id: 128 bits, hex. Reveals neither order nor time."""
    return secrets.token_hex(16)


HexId = Annotated[str, mapped_column(String(32), primary_key=True, default=new_id)]
Hour = Annotated[datetime, mapped_column(UtcHour(), default=now_hour)]
SourceRef = Annotated[
    str, mapped_column(String(64), ForeignKey("sources.id", ondelete="CASCADE"), index=True)
]


class Base(DeclarativeBase):
    pass


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # Argon2id-derived
    reply_recipient: Mapped[str] = mapped_column(String(100))
    created: Mapped[Hour]


class Submission(Base):
    __tablename__ = "submissions"

    # seq gives editors a stable sync cursor; id is what leaves the database.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(32), unique=True, default=new_id)
    source_id: Mapped[SourceRef]
    created: Mapped[Hour]
    size: Mapped[int] = mapped_column(BigInteger)


class Envelope(Base):
    """One age file in the blob store: a submission's manifest, or one of its files."""

    __tablename__ = "envelopes"

    id: Mapped[HexId]
    submission_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # "manifest" | "file"
    position: Mapped[int] = mapped_column(Integer)
    blob_key: Mapped[str] = mapped_column(String(80), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)


class Reply(Base):
    """A reply from the desk, encrypted on the desk to the source's reply recipient."""

    __tablename__ = "replies"

    id: Mapped[HexId]
    source_id: Mapped[SourceRef]
    blob_key: Mapped[str] = mapped_column(String(80), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created: Mapped[Hour]


class Editor(Base):
    """An editor: a name, a token (its hash) and the age key submissions are sealed to.

    The active editors' recipients are what the server encrypts to (with any key in
    `unclaimed_recipients`). `recipient` is None only for an account made before editors
    had keys: `doctor` and `serve` refuse such an account until it is given one.
    """

    __tablename__ = "editors"

    id: Mapped[HexId]
    name: Mapped[str] = mapped_column(String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of a 256-bit random token
    created: Mapped[Hour]
    revoked: Mapped[datetime | None] = mapped_column(UtcHour(), default=None)
    recipient: Mapped[str | None] = mapped_column(String(100), default=None, index=True)


class UnclaimedRecipient(Base):
    """An age key the server encrypts to that no active editor holds (yet).

    What an upgraded instance's config listed, or `recipients add` and `init --recipient`
    gave. Submissions sealed to it wait (see `Seal`) for an editor with that key.
    """

    __tablename__ = "unclaimed_recipients"

    recipient: Mapped[str] = mapped_column(String(100), primary_key=True)
    created: Mapped[Hour]


class Seal(Base):
    """One recipient a submission was encrypted to: whoever holds that key (now or later)
    is delivered the submission, so none waits for an editor that was added after it."""

    __tablename__ = "seals"

    submission_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    recipient: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class DeletionRequest(Base):
    """An editor asked for a source to be deleted; it goes once no active editor still has
    one of its submissions to fetch (or every such editor asked too)."""

    __tablename__ = "deletion_requests"

    source_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True
    )
    editor_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("editors.id", ondelete="CASCADE"), primary_key=True
    )
    created: Mapped[Hour]


class Delivery(Base):
    """One editor's copy of a submission to fetch; acknowledged once they have it."""

    __tablename__ = "deliveries"

    submission_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    )
    editor_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("editors.id", ondelete="CASCADE"), primary_key=True
    )
    acknowledged: Mapped[datetime | None] = mapped_column(UtcHour(), default=None)


class BlobChunk(Base):
    """Ciphertext chunks for the PostgreSQL blob store (several server nodes, one database)."""

    __tablename__ = "blob_chunks"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes]


class BlobRecord(Base):
    """A PostgreSQL-stored blob; `complete` flips only after its last chunk is written."""

    __tablename__ = "blob_records"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(default=False)
    created: Mapped[Hour]
    # The serving node writing it, while it is not yet owned by a row: once that node's
    # lease has run out, an incomplete or unreferenced blob of its is debris of a crash.
    node: Mapped[str | None] = mapped_column(String(32), default=None, index=True)


class InstanceSettings(Base):
    """What every node of one instance must share, recorded by the first node at `init`.

    Not the pepper: an HMAC keyed with it (`pepper_check`), which tells a node with another
    pepper apart but gives whoever holds a dump nothing to test codenames against.
    """

    __tablename__ = "instance_settings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1: one row
    pepper_check: Mapped[str] = mapped_column(String(64))
    kdf_memory_kib: Mapped[int] = mapped_column(Integer)
    kdf_time_cost: Mapped[int] = mapped_column(Integer)
    blob_store: Mapped[str] = mapped_column(String(16))


class NodeLease(Base):
    """A serving node's lease, renewed every few seconds; a node past `expires` is dead.

    `expires` is in seconds on the database's clock, so nodes' clocks need not agree. It
    says when a node was last alive, nothing about any source.
    """

    __tablename__ = "node_leases"

    node: Mapped[str] = mapped_column(String(32), primary_key=True)
    expires: Mapped[int] = mapped_column(BigInteger)
