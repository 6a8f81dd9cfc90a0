"""Two real `quietwire serve` nodes on one PostgreSQL with the PostgreSQL blob store: a
joined node recognises the other's codenames, a node with another pepper refuses to start,
and a node killed mid-upload has its upload swept by the other within the lease."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from tests.support.components import free_port
from tests.support.server import run_cli, serve
from tests.support.source_client import SourceClient, streamed_upload

from quietwire.instance import read_config_values, write_config
from quietwire.store import BlobRecord, Database, PgBlobStore, new_node_id
from quietwire.store._leases import renew

pytestmark = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
FAST_LEASE = {"QUIETWIRE_LEASE_RENEW_SECONDS": "1", "QUIETWIRE_LEASE_SECONDS": "3"}


def _first_and_joined(tmp_path: Path, url: str, recipient: str) -> tuple[Path, Path]:
    first, second = tmp_path / "node-a", tmp_path / "node-b"
    run_cli("init", "--dir", str(first), "--recipient", recipient, "--database-url", url,
            "--blob-store", "postgres")  # fmt: skip
    run_cli("init", "--join", "--dir", str(second), "--database-url", url,
            "--pepper-file", str(first / "quietwire.toml"))  # fmt: skip
    return first, second


def test_a_joined_node_knows_the_codenames_and_a_stranger_pepper_is_refused(
    tmp_path: Path, database_url: str, editor_key: tuple[Path, str]
) -> None:
    # Given a first node, and a second that joined it with a copy of its config
    first, second = _first_and_joined(tmp_path, database_url, editor_key[1])
    a, b = read_config_values(first), read_config_values(second)
    assert b["pepper"] == a["pepper"] and b["blob_store"] == "postgres"

    # Then a plain `init` on the same database is refused, and so is a wrong pepper file
    plain = run_cli("init", "--dir", str(tmp_path / "node-c"), "--database-url", database_url,
                    check=False)  # fmt: skip
    assert plain.returncode == 1 and "holds a QuietWire instance already" in plain.stderr
    assert "init --join" in plain.stderr and not (tmp_path / "node-c" / "quietwire.toml").exists()
    wrong = tmp_path / "wrong-pepper"
    wrong.write_text(os.urandom(32).hex())
    joined = run_cli("init", "--join", "--dir", str(tmp_path / "node-d"), "--database-url",
                     database_url, "--pepper-file", str(wrong), check=False)  # fmt: skip
    assert joined.returncode == 1 and "is not this instance's" in joined.stderr

    # And a node whose pepper was changed afterwards refuses to start, and doctor says why
    stranger = tmp_path / "node-e"
    run_cli("init", "--join", "--dir", str(stranger), "--database-url", database_url,
            "--pepper-file", str(first / "quietwire.toml"))  # fmt: skip
    write_config(stranger / "quietwire.toml", {**b, "pepper": os.urandom(32).hex()})
    refused = run_cli("serve", "--dir", str(stranger), "--source-port", str(free_port()),
                      "--desk-port", str(free_port()), "--public-port", str(free_port()),
                      check=False)  # fmt: skip
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    said = " ".join(refused.stderr.split())
    assert "this node's pepper differs from the instance's" in said
    assert "copy the pepper from the first node's quietwire.toml" in said
    doctor = run_cli("doctor", "--dir", str(stranger), check=False)
    assert doctor.returncode == 1 and "pepper differs" in " ".join(doctor.stdout.split())

    # When a source gets a codename on the first node and sends something
    with serve(first) as node_a, serve(second) as node_b:
        source = SourceClient(node_a.source)
        codename = source.new_source()
        assert source.submit(text="sent through A").status_code == 303
        source.close()
        # Then the joined node recognises that codename
        other = SourceClient(node_b.source)
        assert other.login(codename).status_code == 303
        other.close()
    assert run_cli("doctor", "--dir", str(second)).returncode == 0


def test_a_killed_nodes_upload_is_swept_by_the_other_within_the_lease(
    tmp_path: Path, database_url: str, editor_key: tuple[Path, str]
) -> None:
    first, second = _first_and_joined(tmp_path, database_url, editor_key[1])
    db = Database(database_url)
    go_on = threading.Event()  # lets the first node's upload finish
    results: dict[str, int] = {}

    def upload(base: str, name: str, hold: bool) -> None:
        client = SourceClient(base)
        client.new_source()
        boundary = "NodeBoundary"

        def pieces() -> Iterator[bytes]:
            for n in range(600):  # 18.75 MiB at most, 1.5 MiB of it at once
                yield os.urandom(32 * 1024)
                if n >= 48:
                    if hold and go_on.wait(timeout=0.05):
                        break
                    time.sleep(0.05)

        try:
            sent = streamed_upload(client.csrf, pieces(), boundary)
            results[name] = client.submit_raw(sent, boundary=boundary).status_code
        except httpx.HTTPError:
            results[name] = -1  # the node died under it
        finally:
            client.close()

    with serve(first, env=FAST_LEASE) as node_a, serve(second, env=FAST_LEASE) as node_b:
        # Given a slow upload under way on each node, each past its first stored chunk
        live = threading.Thread(target=upload, args=(node_a.source, "a", True))
        live.start()
        [a_key] = _wait_for_records(db, 1)
        doomed = threading.Thread(target=upload, args=(node_b.source, "b", False))
        doomed.start()
        b_key = next(k for k in _wait_for_records(db, 2) if k != a_key)

        # When node B is killed without any chance to clean up
        os.kill(node_b.process.pid, signal.SIGKILL)
        node_b.process.wait()
        killed = time.monotonic()
        doomed.join(timeout=60)

        # Then node A removes B's upload within the lease (3 s) and a renewal or two
        while b_key in _incomplete(db) and time.monotonic() - killed < 30:
            time.sleep(0.2)
        assert b_key not in _incomplete(db) and time.monotonic() - killed < 10
        assert not _chunks(db, b_key)
        # And A's own upload, still running, is untouched; doctor counts it
        assert a_key in _incomplete(db) and _chunks(db, a_key)
        report = " ".join(run_cli("doctor", "--dir", str(first)).stdout.split())
        assert "incomplete: 1;" in report and "left by dead nodes" in report
        assert "(removed by the next sweep of a live node): 0 " in report
        go_on.set()
        live.join(timeout=60)
        assert results == {"a": 303, "b": -1}
        assert _incomplete(db) == set()

    # And a dead node's leftover that no node has swept yet is counted by doctor
    dead = new_node_id()
    renew(db, dead, -5)
    left = PgBlobStore(db, dead).begin()
    left.file.write(os.urandom(1024 * 1024 + 1))
    report = " ".join(run_cli("doctor", "--dir", str(first)).stdout.split())
    assert "(removed by the next sweep of a live node): 1 (1048576 bytes)" in report
    db.dispose()


def _incomplete(db: Database) -> set[str]:
    with db.session() as s:
        return set(s.scalars(select(BlobRecord.key).where(BlobRecord.complete.is_(False))))


def _chunks(db: Database, key: str) -> int:
    from sqlalchemy import func

    from quietwire.store import BlobChunk

    with db.session() as s:
        return s.scalar(select(func.count()).where(BlobChunk.key == key)) or 0


def _wait_for_records(db: Database, n: int) -> set[str]:
    """The keys of `n` incomplete blobs, once each holds a stored chunk (bounded wait)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        keys = _incomplete(db)
        if len(keys) == n and all(_chunks(db, k) for k in keys):
            return keys
        time.sleep(0.1)
    raise AssertionError(f"expected {n} uploads under way, found {len(_incomplete(db))}")
