"""Fixtures for whole flows: a real instance served by a real `quietwire serve` process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support.server import RunningServer, init_and_serve

from quietwire.crypto import new_identity


@pytest.fixture
def editor_key(tmp_path: Path) -> tuple[Path, str]:
    """An editor identity file kept OUTSIDE the instance, as in a real deployment."""
    pair = new_identity()
    path = tmp_path / "editor-identity.txt"
    path.write_text(pair.secret.reveal() + "\n")
    path.chmod(0o600)
    return path, pair.recipient


@pytest.fixture
def server_tmp(tmp_path: Path) -> Path:
    """The TMPDIR of the server process, searched by the forensics tests."""
    path = tmp_path / "server-tmp"
    path.mkdir()
    return path


@pytest.fixture
def running(
    tmp_path: Path, database_url: str, editor_key: tuple[Path, str], server_tmp: Path
) -> Iterator[RunningServer]:
    env = {"TMPDIR": str(server_tmp)}
    with init_and_serve(tmp_path / "instance", editor_key[1], database_url, env) as server:
        yield server
