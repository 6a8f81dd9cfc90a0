"""Editor accounts: a name and the SHA-256 of a 256-bit random token.

A token reads `NAME.SECRET`: the name part lets the server throttle failed attempts per
editor without a database lookup, the secret part is 32 random bytes (base64url). Only
the hash of the whole token is stored, so a seized database yields no usable token.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from quietwire.deskapi._errors import EditorError
from quietwire.deskapi._service import withdraw_deliveries
from quietwire.instance import Instance
from quietwire.store import Editor

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
TOKEN_BYTES = 32


@dataclass(frozen=True, slots=True)
class EditorInfo:
    """An editor as `editors list` shows it (no token, no hash)."""

    name: str
    created: datetime
    revoked: datetime | None


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


def add_editor(instance: Instance, name: str) -> str:
    """Create editor `name` and return its token: the only time it exists in clear.

    Raises EditorError if the name is malformed or already used (revoked names stay taken,
    so an old token can never come back to life under a new account).
    """
    check_name(name)
    token = f"{name}.{secrets.token_urlsafe(TOKEN_BYTES)}"
    try:
        with instance.db.session() as s:
            if s.scalar(select(Editor.id).where(Editor.name == name)) is not None:
                raise EditorError(f"an editor named {name!r} exists already")
            s.add(Editor(name=name, token_hash=hash_token(token)))
    except IntegrityError:
        raise EditorError(f"an editor named {name!r} exists already") from None
    return token


def list_editors(instance: Instance) -> list[EditorInfo]:
    """Every editor, revoked ones included, by name."""
    with instance.db.session() as s:
        rows = s.scalars(select(Editor).order_by(Editor.name)).all()
        return [EditorInfo(name=e.name, created=e.created, revoked=e.revoked) for e in rows]


def revoke_editor(instance: Instance, name: str) -> None:
    """Revoke `name`'s token at once. Raises EditorError if there is no such editor.

    Revocation stops API access and new deliveries, and withdraws what the editor had still
    to fetch, so submissions every other editor has are deleted now rather than at the end
    of the retention period. Envelopes already encrypted to that editor's age key stay
    decryptable by that key (remove the recipient for new ones).
    """
    with instance.db.session() as s:
        editor = s.scalar(select(Editor).where(Editor.name == name))
        if editor is None:
            raise EditorError(f"no editor named {name!r}")
        if editor.revoked is None:
            editor.revoked = datetime.now(UTC)
        editor_id = editor.id
    withdraw_deliveries(instance, editor_id)
