"""kill -9 of the server in the middle of uploads: no half envelope, every acknowledged
submission intact after the restart."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.support.server import RunningServer, run_cli, serve
from tests.support.source_client import SourceClient, streamed_upload
from tests.support.store import counts, decrypted_submissions


def test_kill_9_during_uploads(running: RunningServer, editor_key: tuple[Path, str]) -> None:
    # Given three acknowledged submissions
    client = SourceClient(running.source)
    client.new_source()
    sent = []
    for i in range(3):
        payload = os.urandom(200_000 + i)
        assert (
            client.submit(
                text=f"done {i}", files=[(f"f{i}.bin", payload, "application/x")]
            ).status_code
            == 303
        )
        sent.append(payload)

    # And four uploads still streaming when the server dies
    started = threading.Barrier(5)

    def slow_upload() -> None:
        other = SourceClient(running.source)
        other.new_source()
        boundary = "CrashBoundary"

        def pieces() -> Iterator[bytes]:
            for n in range(400):
                yield os.urandom(32 * 1024)
                if n == 20:
                    started.wait(timeout=30)
                time.sleep(0.01)

        try:
            other.submit_raw(streamed_upload(other.csrf, pieces(), boundary), boundary=boundary)
        except httpx.HTTPError:
            pass  # expected: the server was killed under us
        finally:
            other.close()

    threads = [threading.Thread(target=slow_upload) for _ in range(4)]
    for t in threads:
        t.start()
    started.wait(timeout=30)
    time.sleep(0.3)
    assert any(p.name.endswith(".part") for p in (running.dir / "blobs").iterdir())

    # When the server is killed without any chance to clean up
    os.kill(running.process.pid, signal.SIGKILL)
    running.process.wait()
    for t in threads:
        t.join(timeout=60)
    client.close()

    # Then, after a restart, only the acknowledged submissions exist, whole
    with serve(running.dir) as again:
        httpx.get(again.source + "/").raise_for_status()
        leftovers = [
            p.name for p in (running.dir / "blobs").iterdir() if not p.name.endswith(".age")
        ]
        assert leftovers == []
        c = counts(running.dir)
        assert c["submissions"] == 3 and c["envelopes"] == 6 and c["blobs"] == 6
        opened = decrypted_submissions(running.dir, editor_key[0])
        assert [m.text for m, _ in opened] == ["done 0", "done 1", "done 2"]
        assert [next(iter(files.values())) for _, files in opened] == sent


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_postgres_blob_store_survives_kill_9_too(
    tmp_path: Path, database_url: str, editor_key: tuple[Path, str]
) -> None:
    # Given an instance that keeps its ciphertext in PostgreSQL (several nodes, one database)
    d = tmp_path / "pgblobs"
    run_cli(
        "init",
        "--dir",
        str(d),
        "--recipient",
        editor_key[1],
        "--database-url",
        database_url,
        "--blob-store",
        "postgres",
    )
    payload = os.urandom(3 * 1024 * 1024 + 5)
    with serve(d) as server:
        client = SourceClient(server.source)
        client.new_source()
        assert (
            client.submit(text="in the database", files=[("a.bin", payload, "x/y")]).status_code
            == 303
        )
        client.close()
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait()
    # Then nothing lives on disk, and the stock age CLI opens what the database holds
    assert not (d / "blobs").exists() or not list((d / "blobs").iterdir())
    [(manifest, files)] = decrypted_submissions(d, editor_key[0])
    assert manifest.text == "in the database" and list(files.values()) == [payload]


def test_init_against_an_unreachable_database_leaves_nothing(
    tmp_path: Path, editor_key: tuple[Path, str]
) -> None:
    from tests.support.components import free_port

    d = tmp_path / "nodb"
    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none"
    result = run_cli(
        "init", "--dir", str(d), "--recipient", editor_key[1], "--database-url", url, check=False
    )
    assert result.returncode == 1 and "cannot reach or migrate the database" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (d / "quietwire.toml").exists()
