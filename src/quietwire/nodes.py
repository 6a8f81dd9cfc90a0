"""Several `quietwire serve` nodes on one database: the settings they must share.

A source is found by an id derived from their codename with the instance's pepper and KDF
parameters, so a node with another pepper, or other parameters, does not recognise a
single codename made on the others; a node on the file blob store cannot read what the
others keep in PostgreSQL. The first node records these settings in `instance_settings`
at `init`, and every node's `serve` and `doctor` compare their own with them.

The pepper stays off the database (docs/security.md: a dump alone must not let anyone
test codenames offline). What is stored is HMAC-SHA256 keyed with the pepper over a fixed
label: equal for equal peppers, and without the pepper (256 random bits) of no use.
So a second node cannot take the pepper from the database: `init --join` reads it from a
copy of the first node's config, checks it against the record, and takes the rest (KDF
parameters, blob store) from the database.

The recipients need no such check: they live in the database (`editors`,
`unclaimed_recipients`), the same for every node.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import tomllib
from pathlib import Path

from quietwire.config import Settings
from quietwire.errors import ConfigError
from quietwire.store import Database, InstanceSettings

_LABEL = b"quietwire instance pepper check, v1"
SHARED_KEYS = ("kdf_memory_kib", "kdf_time_cost", "blob_store")


def pepper_check(pepper: bytes) -> str:
    return hmac.new(pepper, _LABEL, hashlib.sha256).hexdigest()


def recorded(db: Database) -> InstanceSettings | None:
    with db.session() as s:
        return s.get(InstanceSettings, 1)


def record(db: Database, settings: Settings) -> None:
    """Record this node's shared settings as the instance's (the first node, at `init`)."""
    with db.session() as s:
        s.add(
            InstanceSettings(
                id=1,
                pepper_check=pepper_check(settings.pepper),
                kdf_memory_kib=settings.kdf_memory_kib,
                kdf_time_cost=settings.kdf_time_cost,
                blob_store=settings.blob_store,
            )
        )


def differences(db: Database, settings: Settings) -> list[str]:
    """Why this node's settings are not the instance's, one sentence each; [] if they are
    (or if nothing is recorded yet: an instance made before revision 0003)."""
    shared = recorded(db)
    if shared is None:
        return []
    problems = []
    if not hmac.compare_digest(shared.pepper_check, pepper_check(settings.pepper)):
        problems.append(
            f"this node's pepper differs from the instance's, so codenames made on the other "
            f"nodes are not recognised here: copy the pepper from the first node's "
            f"quietwire.toml into {settings.config_path} (or set the node up again with "
            "`quietwire init --join --pepper-file FIRST_NODE/quietwire.toml`)"
        )
    for key in SHARED_KEYS:
        mine, theirs = getattr(settings, key), getattr(shared, key)
        if mine != theirs:
            shown = json.dumps(theirs)  # as it is written in TOML: "postgres", 2
            problems.append(
                f"this node's {key} ({json.dumps(mine)}) differs from the instance's "
                f"({shown}): set {key} = {shown} in {settings.config_path}"
            )
    return problems


def joined_values(database_url: str, pepper_file: Path) -> dict[str, object]:
    """The config of a node joining the instance in `database_url`: the pepper from
    `pepper_file` (the first node's quietwire.toml, or a file holding only the pepper in
    hex), checked against the record; the KDF parameters and blob store from the database.
    Raises ConfigError."""
    pepper = read_pepper(pepper_file)
    db = Database(database_url)
    try:
        if not db.is_migrated() or "instance_settings" not in _tables(db):
            raise ConfigError(
                "this database holds no QuietWire instance to join (or one made before this "
                "version: run `quietwire serve` on its first node once): run `quietwire init` "
                "without --join for a new instance"
            )
        shared = recorded(db)
    finally:
        db.dispose()
    if shared is None:
        raise ConfigError(
            "the instance in this database has not recorded its settings yet: run "
            "`quietwire serve` on its first node once, then join"
        )
    if not hmac.compare_digest(shared.pepper_check, pepper_check(bytes.fromhex(pepper))):
        raise ConfigError(
            f"the pepper in {pepper_file} is not this instance's: copy quietwire.toml from "
            "the first node (the one whose database this is)"
        )
    return {
        "pepper": pepper,
        "database_url": database_url,
        **{key: getattr(shared, key) for key in SHARED_KEYS},
    }


def read_pepper(path: Path) -> str:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the pepper file {path}: {type(exc).__name__}") from None
    try:
        pepper = str(tomllib.loads(raw).get("pepper", ""))
    except tomllib.TOMLDecodeError:
        pepper = raw.strip()  # a file holding only the pepper
    try:
        if len(bytes.fromhex(pepper)) >= 32:
            return pepper
    except ValueError:
        pass
    raise ConfigError(
        f"{path} holds no pepper: give the first node's quietwire.toml, or a file holding "
        "only its pepper (64 hex digits)"
    )


def _tables(db: Database) -> list[str]:
    from sqlalchemy import inspect

    return inspect(db.engine).get_table_names()
