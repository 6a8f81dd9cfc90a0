from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from quietwire.store import Database, Source


def test_times_are_stored_no_finer_than_the_hour_and_come_back_aware(database_url: str) -> None:
    db = Database(database_url)
    db.migrate()
    db.migrate()  # idempotent
    when = datetime(2026, 3, 4, 17, 42, 13, 999, tzinfo=timezone(timedelta(hours=3)))
    with db.session() as s:
        s.add(Source(id="a" * 64, reply_recipient="age1x", created=when))
    with db.session() as s:
        stored = s.scalar(select(Source.created))
    assert stored == datetime(2026, 3, 4, 14, 0, tzinfo=UTC)
    assert stored is not None and stored.tzinfo is not None
    db.dispose()


def test_naive_datetimes_are_refused(database_url: str) -> None:
    from sqlalchemy.exc import StatementError

    db = Database(database_url)
    db.migrate()
    with pytest.raises(StatementError, match="naive"), db.session() as s:
        s.add(Source(id="b" * 64, reply_recipient="age1x", created=datetime(2026, 1, 1)))
        s.flush()
    db.dispose()
