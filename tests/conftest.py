"""Fixtures shared by every test: instances on SQLite and PostgreSQL, fast KDF for unit tests."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support.components import PostgresCluster, create_database, running_postgres

from quietwire import instance as instance_mod
from quietwire.crypto import KdfParams, new_identity
from quietwire.instance import Instance

# Unit tests that derive many keys use these; one test pins the production floor.
# Like SecureDrop's insecure scrypt fixture: never reachable from a config file.
FAST_KDF = KdfParams(memory_kib=256, time_cost=1, parallelism=1)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresCluster]:
    """The session's throwaway PostgreSQL cluster, with its data directory and log."""
    with running_postgres(tmp_path_factory.mktemp("pg")) as cluster:
        yield cluster


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresCluster) -> str:
    """Admin URL of the session's cluster; `database_url` makes a fresh database on it."""
    return postgres_server.url


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every database-touching test runs twice: SQLite and PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'quietwire.db'}"
    admin = request.getfixturevalue("postgres_url")
    return create_database(admin, f"t_{secrets.token_hex(6)}")


@pytest.fixture
def editor_identity() -> tuple[str, str]:
    """(secret, recipient) of a throwaway editor key pair."""
    pair = new_identity()
    return pair.secret.reveal(), pair.recipient


@pytest.fixture
def instance(
    tmp_path: Path, database_url: str, editor_identity: tuple[str, str]
) -> Iterator[Instance]:
    inst = instance_mod.create(tmp_path / "instance", [editor_identity[1]], database_url)
    yield inst
    inst.close()
