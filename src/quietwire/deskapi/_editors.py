"""Editor accounts: a name, the SHA-256 of a 256-bit random token, and an age recipient.

A token reads `NAME.SECRET`: the name part lets the server throttle failed attempts per
editor without a database lookup, the secret part is 32 random bytes (base64url). Only
the hash of the whole token is stored, so a seized database yields no usable token.

The recipient is the editor's public age key. The active editors' keys are what new
submissions are encrypted to, so an account and the key it can read are one thing: a
newcomer cannot make an editor who receives nothing, or a key nobody is delivered to,
without `doctor` and `serve` saying so (see `_recipients`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from quietwire.deskapi._errors import EditorError
from quietwire.deskapi._service import deliver_sealed, withdraw_deliveries
from quietwire.instance import Instance, canonical_recipients
from quietwire.store import Editor, UnclaimedRecipient

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
TOKEN_BYTES = 32


@dataclass(frozen=True, slots=True)
class EditorInfo:
    """An editor as `editors list` shows it (no token, no hash)."""

    name: str
    created: datetime
    revoked: datetime | None
    recipient: str | None


def check_name(name: str) -> str:
    """Return `name` if it is a valid editor name (lower-case letters, digits, - and _)."""
    if not NAME_PATTERN.fullmatch(name):
        raise EditorError(
            "an editor name is 1-64 lower-case letters, digits, '-' or '_', starting with a "
            "letter or digit"
        )
    return name


def hash_token(token: str) -> str:
    """The stored form of a token: SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def split_token(token: str) -> tuple[str, str] | None:
    """(name, secret) of a well-formed token, else None."""
    name, dot, secret = token.partition(".")
    if not dot or not NAME_PATTERN.fullmatch(name) or not secret:
        return None
    return name, secret


def token_matches(token: str, stored_hash: str) -> bool:
    """Constant-time comparison of a presented token against a stored hash."""
    return hmac.compare_digest(hash_token(token), stored_hash)


def canonical_recipient(text: str) -> str:
    """The age recipient as stored and compared. Raises RecipientError if it is not one."""
    return canonical_recipients([text])[0]


def add_editor(instance: Instance, name: str, recipient: str) -> str:
    """Create editor `name` holding age key `recipient`, and return its token: the only
    time it exists in clear. What is already waiting sealed to that key is delivered to
    the new editor at once.

    Raises EditorError if the name is malformed or already used (revoked names stay taken,
    so an old token can never come back to life under a new account) or another active
    editor holds the key; RecipientError if `recipient` is not an age recipient.
    """
    check_name(name)
    key = canonical_recipient(recipient)
    token = f"{name}.{secrets.token_urlsafe(TOKEN_BYTES)}"
    try:
        with instance.db.session() as s:
            if s.scalar(select(Editor.id).where(Editor.name == name)) is not None:
                raise EditorError(f"an editor named {name!r} exists already")
            _refuse_held_key(s, key, name)
            editor = Editor(name=name, token_hash=hash_token(token), recipient=key)
            s.add(editor)
            s.flush()
            _claim(s, editor, key)
    except IntegrityError:
        raise EditorError(f"an editor named {name!r} exists already") from None
    return token


def set_recipient(instance: Instance, name: str, recipient: str) -> int:
    """Give active editor `name` the age key `recipient` (an account made before editors
    had keys, or one whose key changed). Returns how many waiting submissions sealed to
    that key were delivered to them now. Raises EditorError, RecipientError."""
    key = canonical_recipient(recipient)
    with instance.db.session() as s:
        editor = s.scalar(select(Editor).where(Editor.name == name))
        if editor is None or editor.revoked is not None:
            raise EditorError(f"no active editor named {name!r}")
        _refuse_held_key(s, key, name)
        editor.recipient = key
        s.flush()
        return _claim(s, editor, key)


def _refuse_held_key(s: Session, key: str, name: str) -> None:
    # One key, one active editor: otherwise a delivery could not say whose copy it is,
    # and revoking one of them would silently keep encrypting to the other's key.
    holder = s.scalar(
        select(Editor.name).where(
            Editor.recipient == key, Editor.revoked.is_(None), Editor.name != name
        )
    )
    if holder is not None:
        raise EditorError(f"editor {holder!r} already holds that recipient")


def _claim(s: Session, editor: Editor, key: str) -> int:
    """`key` is held now: no longer unclaimed, and what waits sealed to it is delivered."""
    s.execute(delete(UnclaimedRecipient).where(UnclaimedRecipient.recipient == key))
    return deliver_sealed(s, editor.id, key)


def list_editors(instance: Instance) -> list[EditorInfo]:
    """Every editor, revoked ones included, by name."""
    with instance.db.session() as s:
        rows = s.scalars(select(Editor).order_by(Editor.name)).all()
        return [
            EditorInfo(name=e.name, created=e.created, revoked=e.revoked, recipient=e.recipient)
            for e in rows
        ]


def revoke_editor(instance: Instance, name: str) -> None:
    """Revoke `name`'s token at once. Raises EditorError if there is no such editor.

    Revocation stops API access and new deliveries, and withdraws what the editor had still
    to fetch, so submissions every other editor has are deleted now rather than at the end
    of the retention period. New submissions are no longer encrypted to the editor's age
    key; envelopes already encrypted to it stay decryptable by it.
    """
    with instance.db.session() as s:
        editor = s.scalar(select(Editor).where(Editor.name == name))
        if editor is None:
            raise EditorError(f"no editor named {name!r}")
        if editor.revoked is None:
            editor.revoked = datetime.now(UTC)
        editor_id = editor.id
    withdraw_deliveries(instance, editor_id)
