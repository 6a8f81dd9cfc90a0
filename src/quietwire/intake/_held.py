"""Reports sent after a session ended: held encrypted, then attached or delivered.

A source on a slow café connection who spends more than the idle limit on a report used
to press Send and lose it all ("your session has ended", and Back shows an empty form).
Now the report is received as always (encrypted to the editors as it streams in, nothing
in plaintext anywhere) under a placeholder source, and held back from the editors for a
while. The source is asked for their codename: logging in (or creating a codename) with
the claim cookie the answer set attaches the held reports, which are then delivered at
once and answered like any other (`attach_held`). If they never log in, the sweeper
delivers them when the hold ends, marked as unattached: nothing the source wrote is lost,
but nobody can be replied to (`deliver_held`). No codename is involved until login, and
none is stored or logged. docs/security.md describes the trade-offs.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Select, select, update

from quietwire.instance import Instance
from quietwire.intake.services import _INSERT_DELIVERIES
from quietwire.store import UNATTACHED, Source, Submission, held_submissions


def attach_held(instance: Instance, placeholder: str, reply_recipient: str) -> bool:
    """Attach the reports held under `placeholder` to the source with `reply_recipient`,
    and deliver them to the editors. Returns False if there is nothing (left) to attach.

    The manifests inside name the placeholder and cannot change (the desk checks that a
    manifest names the source the server lists), so the placeholder stays their source;
    it takes the codename's reply key instead: the editors' replies to it are encrypted to
    the codename's key, and the source reads them with their own (`aliases_of`).
    """
    attached = False

    def write(conn: Connection) -> None:
        nonlocal attached
        changed = conn.execute(
            update(Source)
            .where(Source.id == placeholder, Source.reply_recipient == UNATTACHED)
            .values(reply_recipient=reply_recipient)
        )
        if changed.rowcount == 1:
            attached = True
            _deliver(conn, select(Submission.id).where(Submission.source_id == placeholder))

    instance.db.write(write)
    return attached


def deliver_held(instance: Instance, received_by: datetime) -> int:
    """Deliver the reports held unattached since before `received_by` (their source never
    logged in): the editors get them, under a placeholder they cannot reply to."""
    held = held_submissions().where(Submission.created <= received_by)
    with instance.db.session() as s:
        if s.execute(held.limit(1)).first() is None:
            return 0  # the usual case, every 30 s: no write at all
    count = 0

    def write(conn: Connection) -> None:
        nonlocal count
        count = _deliver(conn, held)

    instance.db.write(write)
    return count


def _deliver(conn: Connection, submissions: Select[str]) -> int:
    ids = list(conn.execute(submissions).scalars())
    for sub_id in ids:
        conn.execute(_INSERT_DELIVERIES, {"submission": sub_id})
    return len(ids)


def aliases_of(instance: Instance, reply_recipient: str) -> list[str]:
    """The ids of every source that holds `reply_recipient`: the codename's own and the
    placeholders of reports it attached."""
    with instance.db.session() as s:
        return list(s.scalars(select(Source.id).where(Source.reply_recipient == reply_recipient)))
