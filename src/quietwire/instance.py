"""An instance on disk: its settings, database and blob store, opened together.

`create()` is what `quietwire init` does; `open()` is what every server-side command
does first. The instance directory holds the config (with the pepper), the SQLite
database by default and the blobs: 0700, files 0600.

The age recipients the server encrypts to live in the database, not the config: they are
the active editors' keys (plus any key no editor holds yet, `unclaimed_recipients`), so an
editor and the key sealed to them are one thing. An older config's `recipients` list is
moved into the database by `migrate()`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import tomli_w
from sqlalchemy import Select, select, union

from quietwire import config, nodes
from quietwire.config import Settings
from quietwire.crypto import parse_recipient
from quietwire.errors import ConfigError
from quietwire.store import (
    BlobStore,
    Database,
    Editor,
    Envelope,
    FileBlobStore,
    Reply,
    Source,
    UnclaimedRecipient,
)


@dataclass(frozen=True, slots=True)
class Instance:
    settings: Settings
    db: Database
    blobs: BlobStore

    def close(self) -> None:
        self.db.dispose()


def create(
    directory: Path,
    recipients: list[str],
    database_url: str | None = None,
    *,
    demo: bool = False,
    extra: dict[str, object] | None = None,
    joining: bool = False,
) -> Instance:
    """Write a new instance's config and schema. Refuses to overwrite an existing one.

    `recipients` become unclaimed recipients: `quietwire editors add` gives each an editor.
    `joining`: this is another node of the instance in `database_url` (`extra` holds its
    shared settings, `nodes.joined_values`); else the database must hold no instance yet.
    """
    canonical_recipients(recipients)  # raises RecipientError with a clear message
    path = directory / config.CONFIG_NAME
    if path.exists():
        raise ConfigError(f"{path} exists already: this directory holds an instance")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    values: dict[str, object] = {
        "pepper": secrets.token_hex(32),
        "database_url": database_url or config.default_database_url(directory),
        "demo": demo,
        **(extra or {}),
    }
    settings = config.from_values(directory, values)  # refuse before writing anything
    write_config(path, values)
    instance = open_instance(directory, settings)
    try:
        fresh = not instance.db.is_migrated()
        instance.db.migrate(legacy_recipients=canonical_recipients(recipients))
        _claim(instance, joining, fresh)
    except Exception:
        # Leave no half-made instance behind: the next `init` must be able to start afresh.
        instance.close()
        path.unlink(missing_ok=True)
        raise
    return instance


def _claim(instance: Instance, joining: bool, fresh: bool) -> None:
    """Record a new instance's shared settings, or check a joining node's against them.
    `fresh`: the database had no schema before this `init` (else it may hold an instance
    made before the record existed: one with sources, editors or keys is refused).

    A second `init` on a database that holds an instance used to succeed with a pepper of
    its own, and that node then recognised none of the sources' codenames.
    """
    db, settings = instance.db, instance.settings
    if nodes.recorded(db) is None and not joining:
        with db.session() as s:
            used = [
                s.scalar(select(column).limit(1))
                for column in (Source.id, Editor.id, UnclaimedRecipient.recipient)
            ]
        if fresh or used == [None, None, None]:
            nodes.record(db, settings)
            return
    elif joining:
        problems = nodes.differences(db, settings)
        if problems:
            raise ConfigError("; ".join(problems))
        return
    raise ConfigError(
        "this database holds a QuietWire instance already: to add a node to it, run "
        "`quietwire init --join --dir DIR --database-url URL --pepper-file "
        "FIRST_NODE/quietwire.toml` (README, Several nodes)"
    )


def shared_settings_problems(instance: Instance) -> list[str]:
    """Why this node may not serve the instance in its database ([] if it may). An instance
    made before the record existed records this node's settings: its first node's."""
    if nodes.recorded(instance.db) is None:
        nodes.record(instance.db, instance.settings)
    return nodes.differences(instance.db, instance.settings)


def write_config(path: Path, values: dict[str, object]) -> None:
    """Write the config atomically, 0600 from the first byte (it holds the pepper)."""
    header = (
        "# QuietWire instance configuration. Keep this file secret: the pepper in it\n"
        "# protects codenames if the database is seized. Editors and their public age\n"
        "# keys are kept in the database: `quietwire editors`, `quietwire recipients`.\n"
    )
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(header + tomli_w.dumps(values))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_config_values(directory: Path) -> dict[str, object]:
    import tomllib

    return dict(tomllib.loads((directory / config.CONFIG_NAME).read_text(encoding="utf-8")))


def open_instance(
    directory: Path, settings: Settings | None = None, node: str | None = None
) -> Instance:
    """`node`: the serving node's id, which marks the blobs it writes (see `store._leases`)."""
    settings = settings or config.load(directory)
    db = Database(settings.database_url)
    if settings.blob_store == "postgres":
        from quietwire.store import PgBlobStore

        blobs: BlobStore = PgBlobStore(db, node)
    else:
        blobs = FileBlobStore(settings.blob_dir)
    return Instance(settings=settings, db=db, blobs=blobs)


def referenced_blob_keys(instance: Instance) -> set[str]:
    """Every blob key a row points at; any other blob is debris of an interrupted write."""
    with instance.db.session() as s:
        referenced = set(s.scalars(select(Envelope.blob_key)))
        referenced.update(s.scalars(select(Reply.blob_key)))
    return referenced


def sweep_orphans(instance: Instance) -> int:
    """Delete blobs that no row points at (a crash between rename and commit)."""
    return instance.blobs.sweep(referenced_blob_keys(instance))


def migrate(instance: Instance) -> list[str]:
    """Bring the schema to the newest revision and move an older config's recipients into
    the database (then out of the config, so there is one list). Idempotent.

    Returns the recipients no active editor holds, for the caller to report: submissions
    sealed to them wait for an editor, and are purged unread if none comes in time.
    """
    legacy = canonical_recipients(instance.settings.recipients)
    instance.db.migrate(legacy_recipients=legacy)
    if legacy:
        with instance.db.session() as s:
            known = set(s.scalars(current_recipients_query()))
            new = [r for r in dict.fromkeys(legacy) if r not in known]
            s.add_all(UnclaimedRecipient(recipient=r) for r in new)
        # Only once they are committed in the database does the config lose them.
        values = read_config_values(instance.settings.dir)
        values.pop("recipients", None)
        write_config(instance.settings.config_path, values)
    with instance.db.session() as s:
        query = select(UnclaimedRecipient.recipient).order_by(UnclaimedRecipient.created)
        return list(s.scalars(query))


def canonical_recipients(texts: Iterable[str]) -> list[str]:
    """Recipients in the one form they are stored and compared in (an editor's key must
    match its seals exactly). Raises RecipientError for anything that is not one."""
    return list(dict.fromkeys(str(parse_recipient(t)) for t in texts))


def current_recipients_query() -> Select[str]:
    """The recipients submissions are encrypted to: active editors' keys, unclaimed keys."""
    held = select(Editor.recipient).where(Editor.revoked.is_(None), Editor.recipient.is_not(None))
    return select(union(held, select(UnclaimedRecipient.recipient)).subquery().c[0])


def current_recipients(instance: Instance) -> tuple[str, ...]:
    """What a new submission is encrypted to, sorted (a stable key for parse caches)."""
    with instance.db.session() as s:
        return tuple(sorted(r for r in s.scalars(current_recipients_query()) if r))
