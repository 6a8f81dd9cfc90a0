"""An instance on disk: its settings, database and blob store, opened together.

`create()` is what `quietwire init` does; `open()` is what every server-side command
does first. The instance directory holds the config (with the pepper), the SQLite
database by default and the blobs: 0700, files 0600.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import tomli_w
from sqlalchemy import select

from quietwire import config
from quietwire.config import Settings
from quietwire.crypto import parse_recipients
from quietwire.errors import ConfigError
from quietwire.store import BlobStore, Database, Envelope, FileBlobStore, Reply


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
) -> Instance:
    """Write a new instance's config and schema. Refuses to overwrite an existing one."""
    parse_recipients(recipients)  # raises RecipientError with a clear message
    path = directory / config.CONFIG_NAME
    if path.exists():
        raise ConfigError(f"{path} exists already: this directory holds an instance")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    values: dict[str, object] = {
        "pepper": secrets.token_hex(32),
        "recipients": list(recipients),
        "database_url": database_url or config.default_database_url(directory),
        "demo": demo,
        **(extra or {}),
    }
    settings = config.from_values(directory, values)  # refuse before writing anything
    write_config(path, values)
    instance = open_instance(directory, settings)
    try:
        instance.db.migrate()
    except Exception:
        # Leave no half-made instance behind: the next `init` must be able to start afresh.
        instance.close()
        path.unlink(missing_ok=True)
        raise
    return instance


def write_config(path: Path, values: dict[str, object]) -> None:
    """Write the config atomically, 0600 from the first byte (it holds the pepper)."""
    header = (
        "# QuietWire instance configuration. Keep this file secret: the pepper in it\n"
        "# protects codenames if the database is seized. Recipients are PUBLIC age keys.\n"
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


def open_instance(directory: Path, settings: Settings | None = None) -> Instance:
    settings = settings or config.load(directory)
    db = Database(settings.database_url)
    if settings.blob_store == "postgres":
        from quietwire.store import PgBlobStore

        blobs: BlobStore = PgBlobStore(db)
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
