"""Fixtures for the desk tests: an instance encrypting to two editors, served for real."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.unit.desk.deskkit import Editors, desk_api, editors_instance

from quietwire.instance import Instance


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
