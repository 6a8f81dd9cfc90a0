"""Held reports: what a source sent after its session ended, waiting for its codename.

Such a report is stored (encrypted to the editors like any other) under a placeholder
source whose reply recipient is `UNATTACHED`, with no delivery: the source may still log in
and attach it to their codename, so that replies reach them (intake's `_held.py`). Until it
is attached or released to the editors unattached, nothing may deliver it, however the
editors' keys change: `held_submissions` is the one definition both sides use.
"""

from __future__ import annotations

from sqlalchemy import Select, exists, select

from quietwire.store._models import Delivery, Source, Submission

#: The reply recipient of a placeholder source; the desk cannot encrypt a reply to it.
UNATTACHED = "unattached: sent after the session ended; the source has not logged in"


def held_submissions() -> Select[str]:
    """Ids of the submissions held for their codename: an unattached source, no delivery."""
    return (
        select(Submission.id)
        .join(Source, Source.id == Submission.source_id)
        .where(Source.reply_recipient == UNATTACHED)
        .where(~exists().where(Delivery.submission_id == Submission.id))
    )
