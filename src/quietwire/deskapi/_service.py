"""What the desk API does to the store: list, acknowledge, expire, delete, store replies.

Every function takes the `Instance` and runs in one database transaction. Blobs are
deleted only after the rows that point at them are gone (a crash in between leaves an
unreferenced blob, which `sweep_orphans` removes at the next start), so no row ever
points at a missing blob.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import BinaryIO

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from quietwire.instance import Instance
from quietwire.store import Delivery, Editor, Envelope, Reply, Source, Submission

MAX_SEQ = 2**31 - 1  # submissions.seq is a 32-bit integer on PostgreSQL


@dataclass(frozen=True, slots=True)
class EnvelopeInfo:
    id: str
    kind: str
    position: int
    size: int


@dataclass(frozen=True, slots=True)
class PendingSubmission:
    cursor: str
    id: str
    source: str
    created: datetime
    size: int
    envelopes: tuple[EnvelopeInfo, ...]


def pending(instance: Instance, editor_id: str, after: int, limit: int) -> list[PendingSubmission]:
    """Submissions delivered to `editor_id`, not yet acknowledged, with seq > `after`."""
    after = min(after, MAX_SEQ)  # a cursor past any real seq must not overflow the column
    with instance.db.session() as s:
        subs = s.scalars(
            select(Submission)
            .join(Delivery, Delivery.submission_id == Submission.id)
            .where(
                Delivery.editor_id == editor_id,
                Delivery.acknowledged.is_(None),
                Submission.seq > after,
            )
            .order_by(Submission.seq)
            .limit(limit)
        ).all()
        envs = s.scalars(
            select(Envelope)
            .where(Envelope.submission_id.in_([sub.id for sub in subs]))
            .order_by(Envelope.submission_id, Envelope.position)
        ).all()
    by_sub: dict[str, list[EnvelopeInfo]] = {}
    for e in envs:
        by_sub.setdefault(e.submission_id, []).append(
            EnvelopeInfo(id=e.id, kind=e.kind, position=e.position, size=e.size)
        )
    return [
        PendingSubmission(
            cursor=str(sub.seq),
            id=sub.id,
            source=sub.source_id,
            created=sub.created,
            size=sub.size,
            envelopes=tuple(by_sub.get(sub.id, ())),
        )
        for sub in subs
    ]


def envelope_for(instance: Instance, editor_id: str, envelope_id: str) -> tuple[str, int] | None:
    """(blob key, size) of an envelope delivered to this editor, else None."""
    return envelopes_for(instance, editor_id, [envelope_id]).get(envelope_id)


def envelopes_for(
    instance: Instance, editor_id: str, envelope_ids: Iterable[str]
) -> dict[str, tuple[str, int]]:
    """`envelope_for` for many ids in one query: id -> (blob key, size); others left out."""
    ids = list(dict.fromkeys(envelope_ids))
    if not ids:
        return {}
    with instance.db.session() as s:
        rows = s.execute(
            select(Envelope.id, Envelope.blob_key, Envelope.size)
            .join(Delivery, Delivery.submission_id == Envelope.submission_id)
            .where(Envelope.id.in_(ids), Delivery.editor_id == editor_id)
        ).all()
    return {row[0]: (row[1], row[2]) for row in rows}


def acknowledge(instance: Instance, editor_id: str, submission_id: str) -> bool | None:
    """Mark the submission received by this editor. Returns None if it was never delivered
    to them, True if that was the last delivery and the submission is now deleted, else
    False (kept until the others acknowledge or `envelope_retention_days` passes)."""
    result = acknowledge_many(instance, editor_id, [submission_id])
    return result.get(submission_id)


def acknowledge_many(
    instance: Instance, editor_id: str, submission_ids: Iterable[str]
) -> dict[str, bool]:
    """`acknowledge` for many submissions in one transaction; unknown ids are left out of
    the result. Deletes, in one pass, those every editor now has."""
    ids = list(dict.fromkeys(submission_ids))
    with instance.db.session() as s:
        deliveries = s.scalars(
            select(Delivery).where(Delivery.editor_id == editor_id, Delivery.submission_id.in_(ids))
        ).all()
        now = datetime.now(UTC)
        for delivery in deliveries:
            if delivery.acknowledged is None:
                delivery.acknowledged = now
        s.flush()
        known = [d.submission_id for d in deliveries]
        done = _delivered(s, known)
    delete_submissions(instance, done)
    return {i: i in done for i in known}


def withdraw_deliveries(instance: Instance, editor_id: str) -> int:
    """Drop what a revoked editor had still to fetch, and delete the submissions every
    remaining editor now has. Returns how many submissions went.

    Without this, a submission waiting for a revoked editor would stay on the server until
    the retention period ends, though nobody will ever fetch it for them. One nobody else
    has acknowledged either (the revoked editor was its only reader) stays for retention.
    """
    with instance.db.session() as s:
        pending = Delivery.editor_id == editor_id, Delivery.acknowledged.is_(None)
        affected = list(s.scalars(select(Delivery.submission_id).where(*pending)))
        s.execute(delete(Delivery).where(*pending))
        s.flush()
        done = _delivered(s, affected)
    return delete_submissions(instance, done)


def _delivered(s: Session, submission_ids: list[str]) -> set[str]:
    """Those of `submission_ids` that some editor has acknowledged and no active editor
    still waits for (deliveries of revoked editors do not hold a submission back)."""
    acknowledged = s.scalars(
        select(Delivery.submission_id).where(
            Delivery.submission_id.in_(submission_ids), Delivery.acknowledged.is_not(None)
        )
    )
    waiting = s.scalars(
        select(Delivery.submission_id)
        .join(Editor, Editor.id == Delivery.editor_id)
        .where(
            Delivery.submission_id.in_(submission_ids),
            Delivery.acknowledged.is_(None),
            Editor.revoked.is_(None),
        )
    )
    return set(acknowledged) - set(waiting)


def purge_expired(instance: Instance, now: datetime | None = None) -> int:
    """Delete submissions older than `envelope_retention_days`, acknowledged or not."""
    days = instance.settings.envelope_retention_days
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    with instance.db.session() as s:
        old = list(s.scalars(select(Submission.id).where(Submission.created < cutoff)))
    return delete_submissions(instance, old)


def delete_submissions(instance: Instance, submission_ids: Iterable[str]) -> int:
    """Delete submissions' rows, then their blobs. Returns how many submissions went."""
    ids = list(submission_ids)
    if not ids:
        return 0
    with instance.db.session() as s:
        keys = list(s.scalars(select(Envelope.blob_key).where(Envelope.submission_id.in_(ids))))
        s.execute(delete(Delivery).where(Delivery.submission_id.in_(ids)))
        s.execute(delete(Envelope).where(Envelope.submission_id.in_(ids)))
        gone = len(list(s.scalars(select(Submission.id).where(Submission.id.in_(ids)))))
        s.execute(delete(Submission).where(Submission.id.in_(ids)))
    for key in keys:
        instance.blobs.delete(key)
    _checkpoint(instance)
    return gone


def list_sources(instance: Instance) -> list[Source]:
    with instance.db.session() as s:
        return list(s.scalars(select(Source).order_by(Source.created, Source.id)))


def delete_source(instance: Instance, source_id: str) -> bool:
    """Delete a source with its submissions, envelopes, replies and their blobs."""
    with instance.db.session() as s:
        if s.get(Source, source_id) is None:
            return False
        subs = list(s.scalars(select(Submission.id).where(Submission.source_id == source_id)))
    delete_submissions(instance, subs)
    with instance.db.session() as s:
        keys = list(s.scalars(select(Reply.blob_key).where(Reply.source_id == source_id)))
        s.execute(delete(Reply).where(Reply.source_id == source_id))
        s.execute(delete(Source).where(Source.id == source_id))
    for key in keys:
        instance.blobs.delete(key)
    _checkpoint(instance)
    return True


def store_reply(instance: Instance, source_id: str, body: BinaryIO, limit: int) -> str | None:
    """Store an age file (already checked by the caller) as a reply. None: no such source.

    Reads at most `limit` + 1 bytes from `body`; the caller guarantees the size bound.
    """
    with instance.db.session() as s:
        if s.get(Source, source_id) is None:
            return None
    pending_blob = instance.blobs.begin()
    try:
        while chunk := body.read(64 * 1024):
            pending_blob.file.write(chunk)
        key, size = pending_blob.finish()
    except BaseException:
        pending_blob.abort()
        raise
    try:
        with instance.db.session() as s:
            reply = Reply(source_id=source_id, blob_key=key, size=size)
            s.add(reply)
            s.flush()
            return reply.id
    except BaseException:
        instance.blobs.delete(key)
        raise


def _checkpoint(instance: Instance) -> None:
    # SQLite keeps old pages in the WAL until a checkpoint; secure_delete zeroes them in
    # the main file only once they are checkpointed.
    if instance.db.is_sqlite:
        with instance.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
