"""Loading the editor's age identity, optionally passphrase-protected.

A protected identity file is what `age -p` writes around an `age-keygen` file (scrypt
recipient stanza). The passphrase and the decrypted key stay in memory only.
"""

from __future__ import annotations

from collections.abc import Callable

import pyrage
from pyrage import x25519

from quietwire.crypto import CryptoError, looks_like_age, parse_identity_file
from quietwire.desk._errors import IdentityError

PassphraseSource = Callable[[], str]


def is_protected(data: bytes) -> bool:
    """Whether an identity file is itself an age (passphrase-encrypted) file."""
    return looks_like_age(data[:4096])


def load_identities(data: bytes, passphrase: PassphraseSource | None) -> list[x25519.Identity]:
    """Parse identity-file bytes, decrypting them with a passphrase first if protected.

    `passphrase` is called at most once, only for a protected file. Raises IdentityError
    with a message that never contains key material.
    """
    if is_protected(data):
        if passphrase is None:
            raise IdentityError("the identity is passphrase-protected and no passphrase was given")
        try:
            data = pyrage.passphrase.decrypt(data, passphrase())
        except pyrage.DecryptError:
            raise IdentityError("wrong passphrase for the identity file") from None
    try:
        return parse_identity_file(data.decode("utf-8"))
    except (UnicodeDecodeError, CryptoError):
        raise IdentityError("the identity file holds no valid AGE-SECRET-KEY line") from None
