"""Engines, sessions and migrations for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from importlib.resources import files
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from quietwire.store._errors import StoreError


class Database:
    """An engine and a session factory. One per process; pass it in, never import it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        try:
            self.engine = _make_engine(url)
        except (SQLAlchemyError, ValueError) as exc:
            raise StoreError(f"cannot open the database: {type(exc).__name__}") from None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Writers of this process take turns on a lock instead of meeting SQLite's: a
        # writer that finds the database locked sleeps in growing steps (up to 100 ms)
        # before it retries, and under load a few unlucky submissions waited a second.
        self._write_lock = threading.Lock()
        self._queued: list[tuple[Callable[[Connection], None], Future[None]]] = []
        self._queue_lock = threading.Lock()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self._sessions.begin() as session:
            yield session

    def write(self, job: Callable[[Connection], None]) -> None:
        """Run `job` in a write transaction, committed before this returns (group commit).

        `job` gets a Core connection: writers on hot paths skip the ORM's unit of work.

        Jobs that arrive while another commit is under way are run together in the next
        transaction, so a burst of writers pays one commit (and one fsync) between them.
        If that transaction fails, each of its jobs is retried alone, so one bad job
        fails only its own caller. Raises what `job` raised, or StoreError.
        """
        done: Future[None] = Future()
        with self._queue_lock:
            self._queued.append((job, done))
        with self._write_lock:
            with self._queue_lock:
                batch, self._queued = self._queued, []
            if batch:  # else an earlier turn already ran this job with its own batch
                self._run_batch(batch)
        done.result()

    def _run_batch(self, batch: list[tuple[Callable[[Connection], None], Future[None]]]) -> None:
        try:
            with self.engine.begin() as connection:
                for job, _ in batch:
                    job(connection)
        except Exception as exc:
            if len(batch) == 1:
                batch[0][1].set_exception(_as_store_error(exc))
                return
            for one in batch:  # each job alone: one bad job fails only its own caller
                self._run_batch([one])
            return
        except BaseException as exc:  # interrupted: nobody may wait forever
            for _, done in batch:
                done.set_exception(exc)
            raise
        for _, done in batch:
            done.set_result(None)

    def migrate(self, legacy_recipients: Sequence[str] = (), revision: str = "head") -> None:
        """Bring the schema to `revision`, the newest by default (idempotent).

        `legacy_recipients`: the recipients an older config listed, which revision 0002
        moves into the database (ignored once the schema is past it).
        """
        cfg = _alembic_config()
        cfg.attributes["legacy_recipients"] = tuple(legacy_recipients)
        try:
            with self.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
        except SQLAlchemyError as exc:
            raise _unreachable(exc) from None

    def is_migrated(self) -> bool:
        try:
            return "alembic_version" in inspect(self.engine).get_table_names()
        except SQLAlchemyError as exc:
            raise _unreachable(exc) from None

    def is_current(self) -> bool:
        """Whether the schema is at the newest revision (else `migrate` is due)."""
        if not self.is_migrated():
            return False
        head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision() == head

    def dispose(self) -> None:
        self.engine.dispose()


def _unreachable(exc: SQLAlchemyError) -> StoreError:
    # The driver's message can name hosts and users; the type says enough here.
    cause = type(getattr(exc, "orig", None) or exc).__name__
    return StoreError(f"cannot reach or migrate the database ({cause})")


def _alembic_config() -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(files("quietwire.store") / "migrations"))
    return cfg


def _as_store_error(exc: Exception) -> Exception:
    if isinstance(exc, SQLAlchemyError):
        # The driver's message can quote values; the type says enough.
        cause = type(getattr(exc, "orig", None) or exc).__name__
        return StoreError(f"could not write to the database ({cause})")
    return exc


def _make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    path = url.removeprefix("sqlite:///")
    if path and path != ":memory:" and not os.path.exists(path):
        # Create the file private before SQLite does it with the process umask; its WAL
        # and shared-memory files inherit these permissions.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        # WAL lets readers go on while a submission commits; synchronous=FULL makes a
        # commit survive power loss, not only a crash: an acknowledged submission stays.
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        # Deleted rows are overwritten with zeros in the database file (not in old WAL
        # frames until a checkpoint, which we force after deletions).
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()

    return engine
