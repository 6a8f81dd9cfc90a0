"""Envelopes: standard age files encrypted to every editor recipient.

An envelope is exactly what the stock `age` tool writes, so editors can always open their
data with `age -d -i IDENTITY` even if QuietWire disappears. We stream through pyrage's
`encrypt_io`/`decrypt_io` in constant memory. They hold the GIL for the whole job, so
large streams go to a child process instead (`quietwire.crypto.CipherJob`).

`header_digest` names one envelope: the SHA-256 of its header, which carries the file key
wrapped to each recipient and a MAC under that key. The payload is authenticated under
the same key, so an envelope with this header decrypts to these bytes or not at all; the
manifest binds each file envelope by this digest.
"""

from __future__ import annotations

import functools
import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Protocol

import pyrage
from pyrage import x25519

from quietwire.crypto._errors import EnvelopeError, RecipientError
from quietwire.crypto._secret import Secret

AGE_MAGIC = b"age-encryption.org/v1\n"
ARMOR_MAGIC = b"-----BEGIN AGE ENCRYPTED FILE-----"
# The largest header `header_digest` looks for: about 600 X25519 recipients.
HEADER_MAX = 64 * 1024


class Readable(Protocol):
    def readinto(self, buffer: bytearray | memoryview, /) -> int: ...


@dataclass(frozen=True, slots=True)
class IdentityPair:
    """A fresh age X25519 key pair: the secret as an `AGE-SECRET-KEY-1...` string."""

    secret: Secret[str]
    recipient: str


def parse_recipient(text: str) -> x25519.Recipient:
    """Parse one `age1...` X25519 recipient.

    Raises RecipientError naming the problem (never echoing a secret key pasted by mistake).
    """
    value = text.strip()
    if value.upper().startswith("AGE-SECRET-KEY-"):
        raise RecipientError("that is a secret key, not a recipient: never give it to the server")
    try:
        return x25519.Recipient.from_str(value)
    except (pyrage.RecipientError, ValueError) as exc:
        raise RecipientError(f"not an age X25519 recipient: {value[:12]!r}...") from exc


def parse_recipients(texts: Iterable[str]) -> list[x25519.Recipient]:
    """Parse recipients; an empty list is refused (nobody could ever read the data)."""
    parsed = [parse_recipient(t) for t in texts]
    if not parsed:
        raise RecipientError("no recipients: an envelope nobody can open would lose the submission")
    return parsed


def parse_identity(text: str) -> x25519.Identity:
    """Parse one `AGE-SECRET-KEY-1...` identity; the message never echoes the key."""
    try:
        return x25519.Identity.from_str(text.strip())
    except (pyrage.IdentityError, ValueError) as exc:
        raise RecipientError("not a valid age X25519 identity") from exc


def parse_identity_file(text: str) -> list[x25519.Identity]:
    """Parse an identity file as `age-keygen` writes it (comments and blank lines allowed)."""
    keys = [
        parse_identity(line)
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not keys:
        raise RecipientError("the identity file holds no AGE-SECRET-KEY line")
    return keys


def new_identity() -> IdentityPair:
    """Generate an age X25519 key pair (what `age-keygen` does)."""
    ident = x25519.Identity.generate()
    return IdentityPair(secret=Secret(str(ident)), recipient=str(ident.to_public()))


def encrypt_stream(
    reader: Readable | BinaryIO, writer: BinaryIO, recipients: Sequence[x25519.Recipient]
) -> None:
    """Encrypt everything `reader` yields into `writer` as one age file.

    Memory stays constant whatever the size. Raises EnvelopeError if encryption fails or
    `recipients` is empty; the writer may then hold a partial file, which the caller must
    discard (the blob store does, by never renaming it into place).
    """
    if not recipients:
        raise EnvelopeError("refusing to encrypt to no recipients")
    try:
        pyrage.encrypt_io(reader, writer, list(recipients))
    except pyrage.EncryptError as exc:
        raise EnvelopeError("encryption failed") from exc
    except OSError as exc:
        # Raised for failures of the reader or writer (an aborted upload, a full disk).
        raise EnvelopeError(f"encryption stopped: {exc.strerror or exc}") from exc


def decrypt_stream(
    reader: Readable | BinaryIO, writer: BinaryIO, identities: Sequence[x25519.Identity]
) -> None:
    """Decrypt one age file from `reader` into `writer`, verifying every chunk.

    Raises EnvelopeError if the envelope is not for these identities, or is tampered with
    or truncated. age authenticates each 64 KiB chunk and the end of the stream, so a
    truncated file fails at the end; the caller must treat what was written as invalid.
    """
    try:
        pyrage.decrypt_io(reader, writer, list(identities))
    except pyrage.DecryptError as exc:
        raise EnvelopeError(f"cannot open the envelope: {_reason(exc)}") from exc
    except OSError as exc:
        # pyrage reports a failed payload chunk (tampered or truncated) as a bare OSError
        # "decryption error"; other OSErrors come from the reader or writer.
        if str(exc) == "decryption error":
            raise EnvelopeError("cannot open the envelope: it is damaged or incomplete") from exc
        raise EnvelopeError(f"decryption stopped: {exc.strerror or exc}") from exc


def encrypt_bytes(data: bytes, recipients: Sequence[x25519.Recipient]) -> bytes:
    """Encrypt a small in-memory value (manifests, replies). Same contract as encrypt_stream."""
    out = io.BytesIO()
    encrypt_stream(io.BytesIO(data), out, recipients)
    return out.getvalue()


def decrypt_bytes(data: bytes, identities: Sequence[x25519.Identity]) -> bytes:
    """Decrypt a small in-memory envelope. Same contract as decrypt_stream."""
    out = io.BytesIO()
    decrypt_stream(io.BytesIO(data), out, identities)
    return out.getvalue()


def looks_like_age(head: bytes) -> bool:
    """Whether `head` (the first bytes of a file) starts like an age file, binary or armored.

    A server cannot open envelopes meant for others; this only stops obvious mistakes
    (a plaintext reply uploaded by a broken client) from being stored and served.
    """
    if head.startswith(ARMOR_MAGIC):
        return True
    if not head.startswith(AGE_MAGIC):
        return False
    # The header is text stanzas ending in a "--- MAC" line, before any payload.
    header_end = head.find(b"\n--- ")
    return header_end > 0 and b"\n-> " in head[len(AGE_MAGIC) - 1 : header_end]


def age_file_problem(data: bytes) -> str | None:
    """Why `data` is not a well-formed age file (binary or armored), or None if it is.

    The armor and the header are read by age's own parser (rage, through pyrage) with an
    identity that matches nothing: a file whose header parses fails with "no matching
    keys", anything else with what the parser found wrong. The payload cannot be judged
    without the file key, so only the recipient can tell whether the rest is authentic.
    """
    if not data.startswith((AGE_MAGIC, ARMOR_MAGIC)):
        return "it does not start like an age file"
    try:
        pyrage.decrypt(data, [_nobody()])
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).lower():
            return None
        return f"it is not a well-formed age file: {exc}"
    return "it opens with a throwaway key"  # cannot happen: nobody else has that key


@functools.cache
def _nobody() -> x25519.Identity:
    """A key generated here and never shown: nothing is encrypted to it."""
    return x25519.Identity.generate()


def header_digest(head: bytes | bytearray | memoryview) -> str | None:
    """The SHA-256 (hex) of a binary age envelope's header, from the version line through
    the MAC line (`--- ...`), given the envelope's first bytes; None while `head` does not
    yet hold the whole header.

    Raises EnvelopeError if `head` is not the start of a binary age file, or holds
    HEADER_MAX bytes without the header ending. Knows only where the header ends (the age
    spec's framing); whether it is authentic is for age to say when it decrypts.
    """
    view = bytes(head[:HEADER_MAX])
    if not view.startswith(AGE_MAGIC[: len(view)]):
        raise EnvelopeError("not a binary age envelope")
    mac = view.find(b"\n--- ", len(AGE_MAGIC) - 1)
    end = view.find(b"\n", mac + 1) if mac >= 0 else -1
    if end >= 0:
        return hashlib.sha256(view[: end + 1]).hexdigest()
    if len(view) >= HEADER_MAX:
        raise EnvelopeError("the envelope header is too large")
    return None


def _reason(exc: Exception) -> str:
    text = str(exc).lower()
    if "no matching keys" in text or "no identity" in text:
        return "it is not encrypted to this identity"
    if "header" in text:
        return "the header is damaged"
    return "it is damaged or incomplete"
