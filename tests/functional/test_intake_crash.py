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
from tests.support.server import RunningServer, serve
from tests.support.source_client import SourceClient
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

        def body() -> Iterator[bytes]:
            yield (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{other.csrf}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="x.bin"\r\n\r\n'
            ).encode()
            for n in range(400):
                yield os.urandom(32 * 1024)
                if n == 20:
                    started.wait(timeout=30)
                time.sleep(0.01)
            yield f"\r\n--{boundary}--\r\n".encode()

        try:
            other.submit_raw(body(), boundary=boundary)
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
