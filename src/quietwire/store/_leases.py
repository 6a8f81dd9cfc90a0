"""Node leases: which serving nodes are alive, so a dead node's uploads are known dead.

Each `quietwire serve` on the PostgreSQL blob store has a random node id and renews its
lease row every `lease_renew_seconds`; each blob it begins carries that id until a row owns
it. A node whose lease ran out (`lease_seconds` after its last renewal, on the database's
clock) is dead: any live node's sweep removes its incomplete blobs and the finished ones no
row points at, and hands its referenced ones over (their `node` cleared). A blob of a node
that is still renewing is never touched, however long its upload takes.

The renewal runs in its own thread, not on the event loop or its thread pool, so a busy
server does not miss its own renewals. A node that does miss them all (stopped for longer
than its lease) finds its lease gone at the next renewal and takes it up again; a blob
removed under it meanwhile fails that upload at `finish` (see `_pgblobs`), so no
submission is acknowledged without its ciphertext.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from quietwire.store._db import Database
from quietwire.store._models import BlobChunk, BlobRecord, NodeLease

log = logging.getLogger("quietwire.store.leases")


def new_node_id() -> str:
    return secrets.token_hex(16)


def db_clock(db: Database, s: Session) -> int:
    """Seconds since the epoch on the database's clock (SQLite is this machine's)."""
    if db.is_sqlite:
        return int(time.time())
    return int(s.scalar(text("SELECT extract(epoch FROM clock_timestamp())")) or 0)


def renew(db: Database, node: str, lease_seconds: int) -> bool:
    """Extend `node`'s lease; False if it had lapsed and been taken away (taken up again)."""
    with db.session() as s:
        expires = db_clock(db, s) + lease_seconds
        found = s.execute(
            update(NodeLease).where(NodeLease.node == node).values(expires=expires)
        ).rowcount  # type: ignore[attr-defined]
        if not found:
            s.add(NodeLease(node=node, expires=expires))
    return bool(found)


def release(db: Database, node: str) -> None:
    """A node stopping cleanly gives up its lease: what it left is swept at once."""
    with db.session() as s:
        s.execute(delete(NodeLease).where(NodeLease.node == node))


def _dead_blobs(db: Database, s: Session) -> list[tuple[str, bool]]:
    """(key, complete) of every blob whose node holds no live lease."""
    live = select(NodeLease.node).where(NodeLease.expires >= db_clock(db, s))
    rows = s.execute(
        select(BlobRecord.key, BlobRecord.complete).where(
            BlobRecord.node.is_not(None), BlobRecord.node.not_in(live)
        )
    )
    return [(key, complete) for key, complete in rows]


def sweep_dead_nodes(db: Database, referenced: Callable[[], Iterable[str]]) -> int:
    """Remove dead nodes' incomplete and unreferenced blobs; return how many went.

    `referenced` is called only when a dead node left something, so a sweep with nothing
    to do costs two small queries.
    """
    with db.session() as s:
        dead = _dead_blobs(db, s)
        lapsed = select(NodeLease.node).where(NodeLease.expires < db_clock(db, s))
        stale_leases = list(s.scalars(lapsed))
    doomed: list[str] = []
    if dead:
        keep = set(referenced())
        doomed = [key for key, complete in dead if not complete or key not in keep]
        owned = [key for key, complete in dead if complete and key in keep]
        with db.session() as s:
            # A row owns these now: no node's crash makes them debris any more.
            s.execute(update(BlobRecord).where(BlobRecord.key.in_(owned)).values(node=None))
        drop_blobs(db, doomed)
        with db.session() as s:
            # Chunks a dying writer inserted after its record had gone.
            s.execute(delete(BlobChunk).where(BlobChunk.key.not_in(select(BlobRecord.key))))
    if stale_leases:
        with db.session() as s:
            s.execute(delete(NodeLease).where(NodeLease.node.in_(stale_leases)))
    return len(doomed)


def drop_blobs(db: Database, keys: list[str]) -> None:
    if not keys:
        return
    with db.session() as s:
        s.execute(delete(BlobChunk).where(BlobChunk.key.in_(keys)))
        s.execute(delete(BlobRecord).where(BlobRecord.key.in_(keys)))


@dataclass(frozen=True, slots=True)
class BlobCensus:
    """What `doctor` reports of the PostgreSQL blob store."""

    unreferenced: int  # finished, no row points at it (yet: a submission may be under way)
    incomplete: int  # still being written, or left by a crash
    dead: int  # of those, left by a node whose lease ran out: the next sweep removes them
    dead_bytes: int


def census(db: Database, referenced: Iterable[str]) -> BlobCensus:
    keep = set(referenced)
    with db.session() as s:
        dead = {key for key, complete in _dead_blobs(db, s) if not complete or key not in keep}
        finished = s.scalars(select(BlobRecord.key).where(BlobRecord.complete))
        unreferenced = sum(1 for key in finished if key not in keep)
        pending = select(func.count()).select_from(BlobRecord).where(BlobRecord.complete.is_(False))
        incomplete = s.scalar(pending) or 0
        size = func.coalesce(func.sum(func.length(BlobChunk.data)), 0)
        dead_bytes = s.scalar(select(size).where(BlobChunk.key.in_(dead))) if dead else 0
    return BlobCensus(unreferenced, incomplete, len(dead), int(dead_bytes or 0))


class LeaseKeeper:
    """The serving node's lease: renewed, and dead nodes swept, every `renew_seconds`."""

    def __init__(
        self,
        db: Database,
        node: str,
        referenced: Callable[[], Iterable[str]],
        lease_seconds: int,
        renew_seconds: int,
    ) -> None:
        self._db = db
        self.node = node
        self._referenced = referenced
        self._lease = lease_seconds
        self._every = renew_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="quietwire-lease", daemon=True)

    def start(self) -> None:
        """Take the lease (before any upload can begin), then keep it in the background."""
        renew(self._db, self.node, self._lease)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self._every + 10)
        try:
            release(self._db, self.node)
        except Exception as exc:  # the database is away: the lease runs out by itself
            log.warning("could not give up the lease: %s", type(exc).__name__)

    def _run(self) -> None:
        while True:
            self.tick()
            if self._stop.wait(self._every):
                return

    def tick(self) -> None:
        try:
            if not renew(self._db, self.node, self._lease):
                log.warning("this node's lease had lapsed; uploads it held may fail")
            sweep_dead_nodes(self._db, self._referenced)
        except Exception as exc:  # the database is away: try again at the next turn
            log.warning("lease renewal or sweep failed: %s", type(exc).__name__)
