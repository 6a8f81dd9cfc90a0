"""Deleting from the store: submissions, and sources under the two-editor safeguard.

Threat: one stolen editor token (or one editor under duress) must not be able to destroy
what the other editors have not fetched yet. So `request_deletion` by one editor only
withdraws that editor's own copies; the source, its submissions and replies go once no
other active editor still has one of its submissions to fetch, or every such editor has
asked for the deletion too. With a single active editor, or once the others have pulled,
the deletion is immediate. A real emergency that cannot wait for the others is
`quietwire sources delete` on the server (`delete_source_now`): it needs the server, which
a token alone does not give. On the desk the editor's own copy is deleted at once either
way: that is what protects the journalist whose laptop is at risk (the server holds only
ciphertext).

Blobs are deleted only after the rows that point at them are gone (a crash in between
leaves an unreferenced blob, which `sweep_orphans` removes at the next start), so no row
ever points at a missing blob.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, delete, exists, or_, select, update
from sqlalchemy.orm import Session

from quietwire.instance import Instance
from quietwire.store import (
    DeletionRequest,
    Delivery,
    Editor,
    Envelope,
    Reply,
    Seal,
    Source,
    Submission,
    now_hour,
)


@dataclass(frozen=True, slots=True)
class DeletionOutcome:
    """What a deletion request did: `deleted` now, or held for `waiting` other editors."""

    deleted: bool
    waiting: int


def request_deletion(instance: Instance, source_id: str, editor_id: str) -> DeletionOutcome | None:
    """Editor `editor_id` asks for source `source_id` to be deleted. None: no such source.

    Their own copies still to fetch are withdrawn (marked done) at once; the rest waits
    until no other active editor has anything of this source left to fetch.
    """
    with instance.db.session() as s:
        if s.get(Source, source_id) is None:
            return None
        if s.get(DeletionRequest, (source_id, editor_id)) is None:
            s.add(DeletionRequest(source_id=source_id, editor_id=editor_id))
        s.execute(
            update(Delivery)
            .where(
                Delivery.editor_id == editor_id,
                Delivery.acknowledged.is_(None),
                Delivery.submission_id.in_(
                    select(Submission.id).where(Submission.source_id == source_id)
                ),
            )
            .values(acknowledged=now_hour())
        )
    if settle(instance, [source_id]):
        return DeletionOutcome(deleted=True, waiting=0)
    with instance.db.session() as s:
        return DeletionOutcome(deleted=False, waiting=len(_blockers(s, source_id)))


def settle(instance: Instance, source_ids: Iterable[str] | None = None) -> int:
    """Carry out the deletion requests (of `source_ids`, or all) nobody blocks any more.
    Returns how many sources went."""
    with instance.db.session() as s:
        query = select(DeletionRequest.source_id).distinct()
        if source_ids is not None:
            query = query.where(DeletionRequest.source_id.in_(list(source_ids)))
        due = [source for source in s.scalars(query).all() if not _blockers(s, source)]
    return sum(delete_source_now(instance, source) for source in due)


def _blockers(s: Session, source_id: str) -> list[str]:
    """Active editors who have not asked for the deletion and still have one of the
    source's submissions to fetch: delivered and unacknowledged, or sealed to their key
    and not delivered yet (they will be at their next pull)."""
    subs = select(Submission.id).where(Submission.source_id == source_id)
    requested = select(DeletionRequest.editor_id).where(DeletionRequest.source_id == source_id)
    unfetched = select(Delivery.editor_id).where(
        Delivery.submission_id.in_(subs), Delivery.acknowledged.is_(None)
    )
    undelivered = (
        sealed_undelivered().where(Seal.submission_id.in_(subs)).with_only_columns(Editor.id)
    )
    return list(
        s.scalars(
            select(Editor.id).where(
                Editor.revoked.is_(None),
                Editor.id.not_in(requested),
                or_(Editor.id.in_(unfetched), Editor.id.in_(undelivered)),
            )
        )
    )


def sealed_undelivered() -> Select[str, str]:
    """(submission, editor) pairs sealed to an active editor's key and not delivered to
    them yet: that editor waits for it (their next listing delivers it)."""
    return (
        select(Seal.submission_id, Editor.id)
        .join(Editor, Editor.recipient == Seal.recipient)
        .where(
            Editor.revoked.is_(None),
            ~exists().where(
                Delivery.submission_id == Seal.submission_id, Delivery.editor_id == Editor.id
            ),
        )
    )


def pending_requests(instance: Instance) -> dict[str, int]:
    """Source id -> how many editors asked for its deletion, for sources still held."""
    with instance.db.session() as s:
        rows = s.execute(select(DeletionRequest.source_id, DeletionRequest.editor_id)).all()
    counts: dict[str, int] = {}
    for source, _ in rows:
        counts[source] = counts.get(source, 0) + 1
    return counts


def delete_submissions(instance: Instance, submission_ids: Iterable[str]) -> int:
    """Delete submissions' rows, then their blobs. Returns how many submissions went."""
    ids = list(submission_ids)
    if not ids:
        return 0
    with instance.db.session() as s:
        keys = list(s.scalars(select(Envelope.blob_key).where(Envelope.submission_id.in_(ids))))
        s.execute(delete(Delivery).where(Delivery.submission_id.in_(ids)))
        s.execute(delete(Seal).where(Seal.submission_id.in_(ids)))
        s.execute(delete(Envelope).where(Envelope.submission_id.in_(ids)))
        gone = len(list(s.scalars(select(Submission.id).where(Submission.id.in_(ids)))))
        s.execute(delete(Submission).where(Submission.id.in_(ids)))
    for key in keys:
        instance.blobs.delete(key)
    checkpoint(instance)
    return gone


def delete_source_now(instance: Instance, source_id: str) -> bool:
    """Delete a source with its submissions, envelopes, replies and their blobs, at once,
    whoever has not fetched them. The emergency path: server access only."""
    with instance.db.session() as s:
        if s.get(Source, source_id) is None:
            return False
        subs = list(s.scalars(select(Submission.id).where(Submission.source_id == source_id)))
    delete_submissions(instance, subs)
    with instance.db.session() as s:
        keys = list(s.scalars(select(Reply.blob_key).where(Reply.source_id == source_id)))
        s.execute(delete(Reply).where(Reply.source_id == source_id))
        s.execute(delete(DeletionRequest).where(DeletionRequest.source_id == source_id))
        s.execute(delete(Source).where(Source.id == source_id))
    for key in keys:
        instance.blobs.delete(key)
    checkpoint(instance)
    return True


def checkpoint(instance: Instance) -> None:
    # SQLite keeps old pages in the WAL until a checkpoint; secure_delete zeroes them in
    # the main file only once they are checkpointed.
    if instance.db.is_sqlite:
        with instance.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
