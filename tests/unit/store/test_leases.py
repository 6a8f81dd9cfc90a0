"""Node leases: a dead node's uploads are swept by a live node, a live node's never."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from quietwire.store import (
    BlobIntegrityError,
    BlobRecord,
    Database,
    LeaseKeeper,
    NodeLease,
    PgBlobStore,
    census,
    new_node_id,
    sweep_dead_nodes,
)
from quietwire.store._leases import renew


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.migrate()
    yield database
    database.dispose()


def _records(db: Database) -> dict[str, tuple[bool, str | None]]:
    with db.session() as s:
        rows = s.execute(select(BlobRecord.key, BlobRecord.complete, BlobRecord.node))
        return {key: (complete, node) for key, complete, node in rows}


def test_a_dead_nodes_leftovers_go_and_a_live_nodes_uploads_stay(db: Database) -> None:
    # Given a live node (renewing) and a dead one (its lease ran out)
    live, dead = new_node_id(), new_node_id()
    renew(db, live, 120)
    renew(db, dead, -5)
    mine, theirs = PgBlobStore(db, live), PgBlobStore(db, dead)
    # And on each an upload under way, a finished blob no row points at, and one a row owns
    uploading_live = mine.begin()
    uploading_live.file.write(os.urandom(2 * 1024 * 1024))
    uploading_dead = theirs.begin()
    uploading_dead.file.write(os.urandom(2 * 1024 * 1024))
    finished_live = _finished(mine)
    unreferenced_dead = _finished(theirs)
    owned_dead = _finished(theirs)
    referenced = {owned_dead}

    # Then doctor's census sees the dead node's two leftovers among the incomplete
    found = census(db, referenced)
    assert (found.incomplete, found.dead, found.unreferenced) == (2, 2, 2)
    assert found.dead_bytes == 2 * 1024 * 1024 + 50

    # When a live node sweeps
    assert sweep_dead_nodes(db, lambda: referenced) == 2

    # Then the dead node's upload and unreferenced blob are gone, its owned blob stays
    # (no longer its), and the live node's upload and finished blob are untouched
    left = _records(db)
    assert uploading_dead.key not in left and unreferenced_dead not in left
    assert left[owned_dead] == (True, None)
    assert left[uploading_live.key] == (False, live) and left[finished_live] == (True, live)
    with db.session() as s:
        assert list(s.scalars(select(NodeLease.node))) == [live]
    # And the live upload finishes whole
    key, size = uploading_live.finish()
    assert size == 2 * 1024 * 1024 and mine.size(key) == size
    assert census(db, referenced).dead == 0


def test_an_upload_swept_under_a_lapsed_node_fails_instead_of_finishing(db: Database) -> None:
    # Given a node that missed its renewals (stopped) while it was receiving an upload
    node = new_node_id()
    renew(db, node, -5)
    pending = PgBlobStore(db, node).begin()
    pending.file.write(os.urandom(1024 * 1024 + 3))
    sweep_dead_nodes(db, set)
    # When it wakes and finishes the upload, it is refused: no acknowledged submission
    # may point at a blob that is gone
    with pytest.raises(BlobIntegrityError, match="removed while it was written"):
        pending.finish()
    # And its next renewal says the lease had lapsed, and takes it up again
    assert renew(db, node, 120) is False and renew(db, node, 120) is True


def test_the_keeper_renews_and_gives_up_its_lease_on_stop(db: Database) -> None:
    keeper = LeaseKeeper(db, new_node_id(), set, lease_seconds=60, renew_seconds=1)
    keeper.start()
    with db.session() as s:
        assert s.get(NodeLease, keeper.node) is not None
    keeper.stop()
    with db.session() as s:
        assert s.get(NodeLease, keeper.node) is None


def test_blobs_written_outside_a_node_are_left_to_the_day_old_rule(db: Database) -> None:
    pending = PgBlobStore(db).begin()
    pending.file.write(b"x" * 10)
    assert sweep_dead_nodes(db, set) == 0 and pending.key in _records(db)


def _finished(store: PgBlobStore) -> str:
    pending = store.begin()
    pending.file.write(b"y" * 50)
    return pending.finish()[0]
