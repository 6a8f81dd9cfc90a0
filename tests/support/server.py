"""A real `quietwire serve` process on loopback, for functional tests."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from tests.support.components import free_port

QUIETWIRE = [sys.executable, "-m", "quietwire.cli"]


@dataclass(frozen=True)
class RunningServer:
    dir: Path
    source: str
    desk: str
    public: str
    process: subprocess.Popen[str]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def run_cli(
    *args: str, env: dict[str, str] | None = None, check: bool = True, input_text: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the `quietwire` command as a user would, in a child process."""
    result = subprocess.run(
        [*QUIETWIRE, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        input=input_text,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"quietwire {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result


@contextmanager
def init_and_serve(
    instance_dir: Path, recipient: str, database_url: str, env: dict[str, str] | None = None
) -> Iterator[RunningServer]:
    """A new instance (`quietwire init` with one recipient key) run by `quietwire serve`."""
    run_cli(
        "init", "--dir", str(instance_dir), "--recipient", recipient,
        "--database-url", database_url,
    )  # fmt: skip
    with serve(instance_dir, env=env) as server:
        yield server


@contextmanager
def serve(instance_dir: Path, env: dict[str, str] | None = None) -> Iterator[RunningServer]:
    """Start `quietwire serve` on free ports; yield its URLs once all three answer."""
    ports = {name: free_port() for name in ("source", "desk", "public")}
    log = instance_dir.parent / f"serve-{ports['source']}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                *QUIETWIRE,
                "serve",
                "--dir",
                str(instance_dir),
                "--source-port",
                str(ports["source"]),
                "--desk-port",
                str(ports["desk"]),
                "--public-port",
                str(ports["public"]),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "COLUMNS": "200", **(env or {})},
        )
    server = RunningServer(
        dir=instance_dir,
        source=f"http://127.0.0.1:{ports['source']}",
        desk=f"http://127.0.0.1:{ports['desk']}",
        public=f"http://127.0.0.1:{ports['public']}",
        process=process,
        log=log,
    )
    try:
        _wait_until_up(server)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(server: RunningServer, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"quietwire serve exited early:\n{server.output()}")
        if re.search(r"public: http://", server.output()):
            try:
                httpx.get(server.source + "/", timeout=2)
                return
            except httpx.TransportError:
                pass
        time.sleep(0.1)
    raise AssertionError(f"quietwire serve did not come up:\n{server.output()}")


@contextmanager
def serve_asgi(app: Any, lifespan: str = "auto") -> Iterator[str]:
    """Serve an ASGI app with uvicorn on a free loopback port, in a thread of this process;
    yield its base URL (no trailing slash). No access log, no server or date header."""
    import threading

    import uvicorn

    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan=lifespan,  # type: ignore[arg-type]
        access_log=False,
        server_header=False,
        date_header=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise AssertionError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
