"""From a codename to a source id and a reply key pair, with one Argon2id call.

The server must be able to recognise a returning source and encrypt nothing it could read
back later, yet never store the codename. One Argon2id call (memory-hard, so a seized
database cannot be brute-forced cheaply) stretches the normalised codename, salted with a
per-instance pepper that lives in the config file rather than the database: a database
dump alone is not enough to test guesses. HKDF then splits the result into:

- the source id, stored in the database to find the source's rows;
- a 32-byte X25519 secret whose public half is the source's reply recipient. The desk
  encrypts replies to it; only someone who types the codename again can decrypt them.

Changing the pepper or the parameters orphans every source: they are fixed at `init`.
"""

from __future__ import annotations

from dataclasses import dataclass

import bech32
from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pyrage import x25519

from quietwire.crypto._codename import Codename
from quietwire.crypto._errors import CodenameError
from quietwire.crypto._secret import SecretBytes

# OWASP's minimum for Argon2id (19 MiB, t=2) is the floor; config refuses less.
MIN_MEMORY_KIB = 19 * 1024
MIN_TIME_COST = 2
_HKDF_SALT = b"quietwire source keys v1"


@dataclass(frozen=True, slots=True)
class KdfParams:
    memory_kib: int = MIN_MEMORY_KIB
    time_cost: int = MIN_TIME_COST
    parallelism: int = 1

    @property
    def meets_minimum(self) -> bool:
        return self.memory_kib >= MIN_MEMORY_KIB and self.time_cost >= MIN_TIME_COST


@dataclass(frozen=True, slots=True)
class SourceKeys:
    """What one codename use yields. Call `wipe()` when the session ends."""

    source_id: str  # 64 hex characters; safe to store
    reply_recipient: str  # age1...; safe to store
    reply_secret: SecretBytes  # the X25519 scalar; lives only in a server-side session

    def reply_identity(self) -> x25519.Identity:
        """Build the pyrage identity for decrypting replies (short-lived; do not keep it)."""
        return x25519.Identity.from_str(_encode_age_secret(self.reply_secret.reveal()))

    def wipe(self) -> None:
        self.reply_secret.wipe()


def derive_source_keys(codename: Codename, pepper: bytes, params: KdfParams) -> SourceKeys:
    """Derive a source's id and reply key pair from its normalised codename.

    `codename` must already be normalised (`normalize_codename`), so that retyping with
    other spacing or letter forms reaches the same source. Deterministic for a given
    (codename, pepper, params). Raises CodenameError for an empty codename or a pepper
    shorter than 16 bytes. Costs one Argon2id call: run it in the bounded KDF pool.
    """
    if not codename.strip():
        raise CodenameError("empty codename")
    if len(pepper) < 16:
        raise CodenameError("the instance pepper is too short")
    stretched = bytearray(
        hash_secret_raw(
            secret=codename.encode("utf-8"),
            salt=pepper,
            time_cost=params.time_cost,
            memory_cost=params.memory_kib,
            parallelism=params.parallelism,
            hash_len=32,
            type=Type.ID,
        )
    )
    try:
        source_id = _expand(stretched, b"source-id").hex()
        reply_secret = SecretBytes(_expand(stretched, b"reply-key"))
    finally:
        stretched[:] = bytes(len(stretched))
    identity = x25519.Identity.from_str(_encode_age_secret(reply_secret.reveal()))
    return SourceKeys(
        source_id=source_id,
        reply_recipient=str(identity.to_public()),
        reply_secret=reply_secret,
    )


def _expand(key: bytes | bytearray, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=info).derive(bytes(key))


def _encode_age_secret(raw: bytes) -> str:
    # age encodes X25519 secrets as upper-case bech32 (not bech32m) with this HRP.
    data = bech32.convertbits(list(raw), 8, 5)
    if data is None:  # pragma: no cover - convertbits fails only on out-of-range input
        raise CodenameError("cannot encode the reply key")
    return str(bech32.bech32_encode("age-secret-key-", data)).upper()
