"""Real components for desk tests: the desk API under uvicorn on a loopback socket, editors
with their own age identities, sources and submissions written by the intake services."""

from __future__ import annotations

import contextlib
import io
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from tests.conftest import FAST_KDF
from tests.support.server import serve_asgi

from quietwire import instance as instance_mod
from quietwire.crypto import SourceKeys, derive_source_keys, generate_codename, new_identity
from quietwire.desk import Workspace
from quietwire.deskapi import add_editor, create_app
from quietwire.instance import Instance
from quietwire.intake.services import SubmissionWriter, register_source


@contextmanager
def desk_api(instance: Instance) -> Iterator[str]:
    """Serve the desk API for `instance` on a free loopback port; yield its base URL."""
    with serve_asgi(create_app(instance), lifespan="off") as url:
        yield url


@dataclass(frozen=True)
class EditorKit:
    name: str
    token: str
    identity_file: Path
    recipient: str


@dataclass(frozen=True)
class Editors:
    instance: Instance
    by_name: dict[str, EditorKit]

    def __getitem__(self, name: str) -> EditorKit:
        return self.by_name[name]


@contextmanager
def editors_instance(root: Path, database_url: str, names: list[str]) -> Iterator[Editors]:
    """A fresh instance whose recipients are the age keys of `names`, each with an editor
    account (token) and an identity file under `root`."""
    pairs = {name: new_identity() for name in names}
    inst = instance_mod.create(
        root / "instance", [p.recipient for p in pairs.values()], database_url
    )
    kits = {}
    for name, pair in pairs.items():
        path = root / f"{name}-identity.txt"
        path.write_text(f"# {name}\n{pair.secret.reveal()}\n")
        path.chmod(0o600)
        kits[name] = EditorKit(name, add_editor(inst, name, pair.recipient), path, pair.recipient)
    try:
        yield Editors(inst, kits)
    finally:
        inst.close()


def new_source(instance: Instance) -> SourceKeys:
    keys = derive_source_keys(generate_codename("en"), instance.settings.pepper, FAST_KDF)
    register_source(instance, keys)
    return keys


def submit(
    instance: Instance,
    source: SourceKeys,
    text: str,
    files: list[tuple[str, str, bytes]] = [],  # noqa: B006 - never mutated
    report: dict[str, str] | None = None,
) -> str:
    writer = SubmissionWriter(instance, source.source_id, "en")
    for name, ctype, data in files:
        writer.add_file(name, ctype, io.BytesIO(data))
    return writer.commit(text, report or {})


def open_workspace(root: Path, url: str, editor: EditorKit) -> Workspace:
    return Workspace.init(root, url, editor.token, editor.identity_file)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def get(url: str, path: str, token: str, **kwargs: object) -> httpx.Response:
    return httpx.get(url + path, headers=auth(token), timeout=30, **kwargs)  # type: ignore[arg-type]


class CuttingProxy:
    """A real TCP proxy on loopback that forwards at most `budget` bytes from the server
    before cutting every connection (None: unlimited). `stop()` makes the port refuse."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.budget: int | None = None
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            threading.Thread(target=self._pipe, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, True), daemon=True).start()

    def _take(self, n: int) -> int:
        with self._lock:
            if self.budget is None:
                return n
            allowed = min(n, self.budget)
            self.budget -= allowed
            return allowed

    def _pipe(self, src: socket.socket, dst: socket.socket, metered: bool) -> None:
        with contextlib.suppress(OSError):  # either side going away ends the pipe
            while data := src.recv(65536):
                allowed = self._take(len(data)) if metered else len(data)
                dst.sendall(data[:allowed])
                if allowed < len(data):
                    break
        for sock in (src, dst):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def stop(self) -> None:
        self._stopped = True
        self._listener.close()


# Fixtures shared by tests/unit/desk and tests/unit/deskapi (imported by their conftests).


@pytest.fixture
def editors(tmp_path: Path, database_url: str) -> Iterator[Editors]:
    """An instance on SQLite or PostgreSQL whose recipients are alice's and bob's keys."""
    with editors_instance(tmp_path, database_url, ["alice", "bob"]) as kit:
        yield kit


@pytest.fixture
def inst(editors: Editors) -> Instance:
    return editors.instance


@pytest.fixture
def desk_url(inst: Instance) -> Iterator[str]:
    with desk_api(inst) as url:
        yield url
