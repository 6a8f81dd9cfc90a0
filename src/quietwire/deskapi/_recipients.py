"""The recipients an instance encrypts to, seen from the editors who hold them.

There is one list: the active editors' age keys, plus keys no editor holds yet (an
upgraded instance's config, `init --recipient`, `recipients add`). A key without an editor
is allowed but reported, since what is sealed to it reaches nobody until an editor claims
it; an active editor without a key is refused, since nothing would be sealed to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select

from quietwire.deskapi._editors import canonical_recipient
from quietwire.deskapi._errors import EditorError
from quietwire.instance import Instance, current_recipients
from quietwire.store import Editor, Seal, UnclaimedRecipient


@dataclass(frozen=True, slots=True)
class RecipientInfo:
    """One recipient in use, and the active editor holding it (None: unclaimed)."""

    recipient: str
    editor: str | None


@dataclass(frozen=True, slots=True)
class RecipientChecks:
    """What `doctor` and `serve` say: problems refuse to start, warnings do not."""

    problems: tuple[str, ...]
    warnings: tuple[str, ...]


def list_recipients(instance: Instance) -> list[RecipientInfo]:
    """Every recipient new submissions are encrypted to: editors' keys first, by name."""
    with instance.db.session() as s:
        held = s.execute(
            select(Editor.recipient, Editor.name)
            .where(Editor.revoked.is_(None), Editor.recipient.is_not(None))
            .order_by(Editor.name)
        ).all()
        unclaimed = s.scalars(
            select(UnclaimedRecipient.recipient).order_by(
                UnclaimedRecipient.created, UnclaimedRecipient.recipient
            )
        ).all()
    return [RecipientInfo(str(r), n) for r, n in held] + [RecipientInfo(r, None) for r in unclaimed]


def add_recipient(instance: Instance, recipient: str) -> str:
    """Encrypt new submissions to `recipient` too, before any editor holds it. Returns the
    stored form. Raises EditorError if it is in use already, RecipientError if malformed."""
    key = canonical_recipient(recipient)
    if key in current_recipients(instance):
        raise EditorError("that recipient is already configured")
    with instance.db.session() as s:
        s.add(UnclaimedRecipient(recipient=key))
    return key


def remove_recipient(instance: Instance, recipient: str) -> None:
    """Stop encrypting to an unclaimed `recipient`. An editor's key goes with the editor
    (`editors revoke`); the last recipient stays, or no submission could be read."""
    key = canonical_recipient(recipient)
    in_use = current_recipients(instance)
    if key not in in_use:
        raise EditorError("no such recipient")
    with instance.db.session() as s:
        holder = s.scalar(
            select(Editor.name).where(Editor.recipient == key, Editor.revoked.is_(None))
        )
        if holder is not None:
            raise EditorError(
                f"editor {holder!r} holds that recipient: `quietwire editors revoke {holder}` "
                "removes both"
            )
        if len(in_use) == 1:
            raise EditorError(
                "refusing to remove the last recipient: nobody could read new submissions"
            )
        s.execute(delete(UnclaimedRecipient).where(UnclaimedRecipient.recipient == key))


def check_recipients(instance: Instance) -> RecipientChecks:
    """Editors without a key (refused), keys without an editor (warned), none at all."""
    directory = instance.settings.dir
    problems: list[str] = []
    warnings: list[str] = []
    with instance.db.session() as s:
        keyless = s.scalars(
            select(Editor.name).where(Editor.revoked.is_(None), Editor.recipient.is_(None))
        ).all()
        waiting = dict(
            s.execute(
                select(UnclaimedRecipient.recipient, func.count(Seal.submission_id))
                .outerjoin(Seal, Seal.recipient == UnclaimedRecipient.recipient)
                .group_by(UnclaimedRecipient.recipient)
            ).all()
        )
    for name in keyless:
        problems.append(
            f"editor {name!r} has no age recipient, so nothing is encrypted to them: "
            f"`quietwire editors set-recipient {name} --recipient age1... --dir {directory}`"
        )
    if not current_recipients(instance):
        problems.append(
            "no editor: nobody could read a submission; add one with "
            f"`quietwire editors add NAME --recipient age1... --dir {directory}`"
        )
    days = instance.settings.envelope_retention_days
    for key, count in waiting.items():
        warnings.append(
            f"recipient {key} has no editor: the {count} submission(s) sealed to it are "
            f"delivered to nobody until `quietwire editors add NAME --recipient {key} "
            f"--dir {directory}` (they are purged unread after {days} days)"
        )
    return RecipientChecks(problems=tuple(problems), warnings=tuple(warnings))
