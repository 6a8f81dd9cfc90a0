"""Real external components for the tests: a throwaway PostgreSQL cluster, the stock CLIs.

Nothing here is skipped when missing: `make test` installs the Debian packages, and a test
run without them fails with a message naming the package to install.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_BIN_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def require_tool(name: str, package: str) -> str:
    """Path of a command-line tool, or a failed test naming the Debian package."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"`{name}` not found: install the Debian package `{package}` (make test does)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class PostgresCluster:
    """A running throwaway cluster: its admin URL and the files it writes, for forensics."""

    url: str
    #: The cluster's root: `data_dir`, `log` and the Unix socket, nothing else.
    root: Path
    #: PGDATA: heap and index files of every database, the WAL (pg_wal), commit logs.
    data_dir: Path
    #: The server's log (pg_ctl -l).
    log: Path

    def checkpoint(self) -> None:
        """CHECKPOINT: write every dirty shared buffer into the heap files, so a search of
        `data_dir` sees what the server holds in memory as well as what the WAL has."""
        import psycopg

        dsn = self.url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("CHECKPOINT")


@contextmanager
def running_postgres(root: Path) -> Iterator[PostgresCluster]:
    """Start a throwaway PostgreSQL on loopback; yield it (URL, data directory, log)."""
    if not PG_BIN_CANDIDATES:
        pytest.fail("PostgreSQL server not found: install the Debian package `postgresql`")
    bindir = PG_BIN_CANDIDATES[0]
    # pytest's temp tree is private to root, where the postgres user cannot reach: use a
    # directory of our own under /tmp and remove it afterwards.
    root = Path(tempfile.mkdtemp(prefix="quietwire-pg-"))
    data = root / "pgdata"
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        # initdb refuses to run as root: hand the directory to the postgres user.
        shutil.chown(root, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    _run(
        [
            *as_postgres,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ]
    )
    port = free_port()
    log = root / "pg.log"
    _run(
        [
            *as_postgres,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-w",
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off "
            "-c max_connections=300",
            "start",
        ]
    )
    try:
        yield PostgresCluster(
            url=f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres",
            root=root,
            data_dir=data,
            log=log,
        )
    finally:
        subprocess.run(
            [*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


def _run(cmd: list[str]) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.fail(f"{cmd[-1] if cmd else cmd} failed: {result.stdout}{result.stderr}")


def create_database(admin_url: str, name: str) -> str:
    """A fresh database on the cluster, so each test starts empty."""
    import psycopg

    dsn = admin_url.replace("postgresql+psycopg://", "postgresql://")
    for _ in range(50):
        try:
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            break
        except psycopg.OperationalError:
            time.sleep(0.1)
    return admin_url.rsplit("/", 1)[0] + f"/{name}"
