"""Blob stores: nothing visible until finished, nothing left after an abort or a crash."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from quietwire.store import BlobIntegrityError, BlobStore, Database, FileBlobStore, PgBlobStore
from quietwire.store._models import BlobRecord
from quietwire.store._pgblobs import STALE_AFTER


@pytest.fixture(params=["file", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BlobStore]:
    if request.param == "file":
        yield FileBlobStore(tmp_path / "blobs")
        return
    from tests.support.components import create_database

    url = create_database(request.getfixturevalue("postgres_url"), f"b_{secrets.token_hex(6)}")
    db = Database(url)
    db.migrate()
    yield PgBlobStore(db)
    db.dispose()


def test_finished_blob_reads_back_exactly(store: BlobStore) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)
    pending = store.begin()
    pending.file.write(data[:1000])
    pending.file.write(data[1000:])
    key, size = pending.finish()
    assert size == len(data) == store.size(key)
    with store.open(key) as fh:
        assert fh.read() == data
    assert key in set(store.keys())


def test_unfinished_blob_is_invisible_and_abort_leaves_nothing(store: BlobStore) -> None:
    pending = store.begin()
    pending.file.write(b"x" * 5000)
    assert list(store.keys()) == []
    pending.abort()
    assert list(store.keys()) == []
    if isinstance(store, FileBlobStore):
        assert os.listdir(store.root) == []


def test_delete_removes_the_blob(store: BlobStore) -> None:
    pending = store.begin()
    pending.file.write(b"gone soon")
    key, _ = pending.finish()
    store.delete(key)
    with pytest.raises(BlobIntegrityError):
        store.open(key)


def test_sweep_removes_unreferenced_blobs_only(store: BlobStore) -> None:
    keep_p, drop_p = store.begin(), store.begin()
    keep_p.file.write(b"keep")
    drop_p.file.write(b"drop")
    keep, _ = keep_p.finish()
    _drop, _ = drop_p.finish()
    if isinstance(store, PgBlobStore):
        # Shared by several nodes: a finished envelope may belong to a submission another
        # node is still receiving, so a fresh one stays until it is STALE_AFTER old.
        assert store.sweep({keep}) == 0 and set(store.keys()) == {keep, _drop}
        with store.db.session() as s:
            s.execute(
                update(BlobRecord).values(
                    created=datetime.now(UTC) - STALE_AFTER - timedelta(hours=1)
                )
            )
    assert store.sweep({keep}) >= 1
    assert set(store.keys()) == {keep}


@pytest.mark.parametrize(
    "key",
    ["../../etc/passwd", "/etc/passwd", "abc.age", "A" * 32 + ".age", "0" * 32 + ".age/../x", ""],
)
def test_keys_cannot_smuggle_paths(tmp_path: Path, key: str) -> None:
    store = FileBlobStore(tmp_path / "blobs")
    with pytest.raises(BlobIntegrityError, match="malformed"):
        store.open(key)


def test_file_store_leftovers_of_a_crash_are_swept(tmp_path: Path) -> None:
    # Given a temporary file a killed process left behind mid-write
    store = FileBlobStore(tmp_path / "blobs")
    pending = store.begin()
    pending.file.write(b"half")
    pending.file.close()  # the process dies: the handle goes, the file stays
    assert any(name.endswith(".part") for name in os.listdir(store.root))
    # When the next start sweeps
    store.sweep(set())
    # Then nothing is left
    assert os.listdir(store.root) == []


def test_file_store_times_are_cut_to_the_hour(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path / "blobs")
    pending = store.begin()
    pending.file.write(b"t")
    key, _ = pending.finish()
    st = (store.root / key).stat()
    assert int(st.st_mtime) % 3600 == 0 and int(st.st_atime) % 3600 == 0
    assert (st.st_mode & 0o777) == 0o600
