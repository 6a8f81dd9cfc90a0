"""The settings every node of an instance shares: recorded at init, checked at join,
serve and doctor; the pepper itself never reaches the database."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import delete, text

from quietwire import config, instance, nodes
from quietwire.errors import ConfigError
from quietwire.store import InstanceSettings


def test_a_second_plain_init_on_the_same_database_is_refused(
    tmp_path: Path, database_url: str, editor_identity: tuple[str, str]
) -> None:
    # Given an instance
    first = instance.create(tmp_path / "a", [editor_identity[1]], database_url)
    first.close()
    # When another `init` is pointed at its database, it is refused and leaves no config
    with pytest.raises(ConfigError, match=r"holds a QuietWire instance already.*init --join"):
        instance.create(tmp_path / "c", [], database_url)
    assert not (tmp_path / "c" / config.CONFIG_NAME).exists()


def test_join_takes_the_shared_settings_and_checks_the_pepper(
    tmp_path: Path, database_url: str, editor_identity: tuple[str, str]
) -> None:
    # Given a first node with KDF parameters above the defaults
    first = instance.create(
        tmp_path / "a", [editor_identity[1]], database_url, extra={"kdf_time_cost": 3}
    )
    first.close()
    # When a node joins with a copy of its config
    values = nodes.joined_values(database_url, tmp_path / "a" / config.CONFIG_NAME)
    joined = instance.create(tmp_path / "b", [], database_url, extra=values, joining=True)
    # Then it has the same pepper and parameters, and nothing differs
    assert joined.settings.pepper == first.settings.pepper
    assert joined.settings.kdf_time_cost == 3
    assert nodes.differences(joined.db, joined.settings) == []
    # And the database holds no pepper, only the check
    with joined.db.engine.connect() as conn:
        dumped = repr(conn.execute(text("SELECT * FROM instance_settings")).all())
    assert first.settings.pepper.hex() not in dumped
    assert nodes.pepper_check(first.settings.pepper) in dumped
    joined.close()

    # And a file holding only the pepper works; another pepper or no pepper is refused
    bare = tmp_path / "pepper.txt"
    bare.write_text(first.settings.pepper.hex() + "\n")
    assert nodes.joined_values(database_url, bare)["pepper"] == first.settings.pepper.hex()
    bare.write_text(os.urandom(32).hex())
    with pytest.raises(ConfigError, match="is not this instance's"):
        nodes.joined_values(database_url, bare)
    bare.write_text("not a pepper")
    with pytest.raises(ConfigError, match="holds no pepper"):
        nodes.joined_values(database_url, bare)


def test_each_differing_setting_is_named(
    tmp_path: Path, database_url: str, editor_identity: tuple[str, str]
) -> None:
    inst = instance.create(tmp_path / "a", [editor_identity[1]], database_url)
    other = config.with_overrides(inst.settings, pepper=os.urandom(32), kdf_time_cost=4)
    problems = nodes.differences(inst.db, other)
    assert len(problems) == 2
    assert problems[0].startswith("this node's pepper differs from the instance's")
    expected = "kdf_time_cost (4) differs from the instance's (2): set kdf_time_cost = 2"
    assert expected in problems[1]
    inst.close()


def test_an_instance_from_before_the_record_takes_its_first_serving_nodes(
    tmp_path: Path, database_url: str, editor_identity: tuple[str, str]
) -> None:
    # Given an instance whose database has no record yet (made before revision 0003)
    inst = instance.create(tmp_path / "a", [editor_identity[1]], database_url)
    with inst.db.session() as s:
        s.execute(delete(InstanceSettings))
    # Then a plain init on it is still refused: it holds the instance's keys
    with pytest.raises(ConfigError, match="holds a QuietWire instance already"):
        instance.create(tmp_path / "c", [], database_url)
    # And the first node to serve records its settings, which then bind the others
    assert instance.shared_settings_problems(inst) == []
    assert nodes.recorded(inst.db) is not None
    stranger = config.with_overrides(inst.settings, pepper=os.urandom(32))
    assert nodes.differences(inst.db, stranger) != []
    inst.close()
