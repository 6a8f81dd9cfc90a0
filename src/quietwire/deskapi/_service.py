"""What the desk API does to the store: deliver, list, acknowledge, expire, store replies.

Every function takes the `Instance` and runs in one database transaction. A submission is
delivered to every active editor whose key it was sealed to (`Seal`), whenever that
editor appears: at submission time, when the editor is added or given the key, and at
their every listing (which also repairs a delivery two concurrent transactions missed).
Deletion, and its safeguard, is in `_deletion`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import BinaryIO

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quietwire.deskapi._deletion import delete_submissions, sealed_undelivered, settle
from quietwire.instance import Instance
from quietwire.store import (
    Delivery,
    Editor,
    Envelope,
    Reply,
    Seal,
    Source,
    Submission,
    UnclaimedRecipient,
    held_submissions,
)

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


def deliver_sealed(s: Session, editor_id: str, recipient: str) -> int:
    """Deliver to `editor_id` every stored submission sealed to `recipient` that they do
    not have a delivery of yet (never again one they acknowledged), except a report held for
    its source's codename (`held_submissions`). Returns how many."""
    due = list(
        s.scalars(
            select(Seal.submission_id).where(
                Seal.recipient == recipient,
                ~exists().where(
                    Delivery.submission_id == Seal.submission_id, Delivery.editor_id == editor_id
                ),
                Seal.submission_id.not_in(held_submissions()),
            )
        )
    )
    if due:
        s.execute(insert(Delivery), [{"submission_id": i, "editor_id": editor_id} for i in due])
    return len(due)


def _catch_up(instance: Instance, editor_id: str) -> None:
    try:
        with instance.db.session() as s:
            recipient = s.scalar(select(Editor.recipient).where(Editor.id == editor_id))
            if recipient is not None:
                deliver_sealed(s, editor_id, recipient)
    except IntegrityError:
        pass  # a concurrent listing by the same editor delivered the same rows first


def pending(instance: Instance, editor_id: str, after: int, limit: int) -> list[PendingSubmission]:
    """Submissions delivered to `editor_id`, not yet acknowledged, with seq > `after`."""
    after = min(after, MAX_SEQ)  # a cursor past any real seq must not overflow the column
    if after == 0:
        _catch_up(instance, editor_id)  # once per listing, at its first page
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
        sources = set(s.scalars(select(Submission.source_id).where(Submission.id.in_(known))))
    delete_submissions(instance, done)
    settle(instance, sources)  # a deletion another editor asked for may be due now
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
    gone = delete_submissions(instance, done)
    settle(instance)  # the revoked editor no longer holds back a deletion
    return gone


def _delivered(s: Session, submission_ids: list[str]) -> set[str]:
    """Those of `submission_ids` that some editor has acknowledged and no active editor
    still waits for (deliveries of revoked editors do not hold a submission back), nor an
    unclaimed key."""
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
    # Sealed to an active editor's key but not delivered to them yet (their next listing
    # will): they wait for it as much as those with a delivery row.
    undelivered = s.scalars(
        sealed_undelivered()
        .where(Seal.submission_id.in_(submission_ids))
        .with_only_columns(Seal.submission_id)
    )
    # A key no editor holds yet keeps its submissions here (until the retention period):
    # the editor who claims it is delivered them, rather than finding them gone.
    unclaimed = s.scalars(
        select(Seal.submission_id)
        .join(UnclaimedRecipient, UnclaimedRecipient.recipient == Seal.recipient)
        .where(Seal.submission_id.in_(submission_ids))
    )
    return set(acknowledged) - set(waiting) - set(undelivered) - set(unclaimed)


def purge_expired(instance: Instance, now: datetime | None = None) -> int:
    """Delete submissions older than `envelope_retention_days`, acknowledged or not."""
    days = instance.settings.envelope_retention_days
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    with instance.db.session() as s:
        old = list(s.scalars(select(Submission.id).where(Submission.created < cutoff)))
    gone = delete_submissions(instance, old)
    if gone:
        settle(instance)
    return gone


def list_sources(instance: Instance) -> list[Source]:
    with instance.db.session() as s:
        return list(s.scalars(select(Source).order_by(Source.created, Source.id)))


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
