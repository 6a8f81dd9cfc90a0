"""Database.write: concurrent writers share commits, and one bad job fails only its caller."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import Connection, event, func, insert, select

from quietwire.store import Database, Source, StoreError


def add_source(source_id: str, gate: threading.Event | None = None) -> Callable[[Connection], None]:
    def job(conn: Connection) -> None:
        if gate is not None:
            gate.wait(10)  # hold the commit open so that others queue behind it
        conn.execute(insert(Source), {"id": source_id, "reply_recipient": "age1x"})

    return job


def count(db: Database) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Source)) or 0)


def run_threads(db: Database, jobs: list[Callable[[Connection], None]]) -> list[BaseException]:
    errors: list[BaseException] = []

    def call(job: Callable[[Connection], None]) -> None:
        try:
            db.write(job)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return errors


def test_writers_that_arrive_together_share_one_commit(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    commits = 0

    def on_commit(_conn: object) -> None:
        nonlocal commits
        commits += 1

    event.listen(db.engine, "commit", on_commit)
    gate = threading.Event()
    first = threading.Thread(target=db.write, args=(add_source("0" * 64, gate),))
    first.start()
    followers = [add_source(f"{i:064x}") for i in range(1, 21)]
    waiting = threading.Thread(target=run_threads, args=(db, followers))
    waiting.start()
    # Let the followers queue behind the open commit, then release it.
    threading.Event().wait(0.3)
    gate.set()
    first.join(30)
    waiting.join(30)
    assert count(db) == 21
    assert commits < 21  # batched: far fewer commits than writers (typically 2)
    db.dispose()


def test_a_failing_job_fails_only_its_own_caller(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    db.write(add_source("d" * 64))
    gate = threading.Event()
    first = threading.Thread(target=db.write, args=(add_source("e" * 64, gate),))
    first.start()
    jobs = [add_source(f"{i:064x}") for i in range(1, 6)]
    jobs.insert(2, add_source("d" * 64))  # a duplicate key: this one must fail alone
    outcome: list[list[BaseException]] = []
    waiting = threading.Thread(target=lambda: outcome.append(run_threads(db, jobs)))
    waiting.start()
    threading.Event().wait(0.3)
    gate.set()
    first.join(30)
    waiting.join(30)
    [errors] = outcome
    assert len(errors) == 1 and isinstance(errors[0], StoreError)
    assert "d" * 64 not in str(errors[0])  # the driver's message, quoting the key, stays out
    assert count(db) == 1 + 1 + 5
    db.dispose()


def test_an_error_of_the_job_itself_reaches_its_caller(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()

    def broken(conn: Connection) -> None:
        raise ValueError("the job's own error")

    with pytest.raises(ValueError, match="own error"):
        db.write(broken)
    db.write(add_source("f" * 64))  # the lock was released
    assert count(db) == 1
    db.dispose()
