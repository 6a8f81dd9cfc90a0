"""Minisign-compatible Ed25519 signatures for everything the network publishes.

The formats are minisign's own (https://jedisct1.github.io/minisign/), produced and read by
the maintained PyPI package `py-minisign` (Ed25519 from `cryptography`, scrypt from
`cryptography`): nothing here touches curve arithmetic. Anything we sign, the stock
`minisign -V -P PUBKEY -m FILE` verifies, and the reverse.

Why these choices:
- Signatures are always the pre-hashed kind ("ED", BLAKE2b-512 of the file, then Ed25519),
  minisign's default since 0.8: a large media file is hashed, not held, and the stock tool
  verifies it without `-H`/legacy flags. py-minisign's `sign_file()` defaults to the legacy
  kind, so we never call it (FINDINGS.md, "Signing").
- The secret key is scrypt-encrypted with minisign's own "sensitive" limits (about 1 GiB and
  a few seconds to unlock): a stolen laptop must not yield the key that readers and courts
  trust. Tests pass `FAST_SIGNING_KDF`, which no configuration file can reach.
- The trusted comment is ours to choose and covered by the signature: we put the file name
  in it, never the wall-clock time of signing, because the moment an editor signs is a hint
  about when a source reported.

Errors: only `SignatureError` (a `CryptoError`) leaves this module; messages never carry
key material or the passphrase.
"""

from __future__ import annotations

from dataclasses import dataclass

import minisign

from quietwire.crypto._errors import SignatureError
from quietwire.crypto._secret import Secret


@dataclass(frozen=True, slots=True)
class SigningKdf:
    """scrypt limits for the secret key, in libsodium's opslimit/memlimit terms."""

    opslimit: int
    memlimit: int


#: minisign's own limits (crypto_pwhash_scryptsalsa208sha256_*_SENSITIVE).
SIGNING_KDF = SigningKdf(opslimit=33_554_432, memlimit=1_073_741_824)
#: For tests only: unlocks in milliseconds. Never reachable from a config file.
FAST_SIGNING_KDF = SigningKdf(opslimit=32_768, memlimit=8_388_608)


@dataclass(frozen=True, slots=True)
class SigningKeyFiles:
    """A new key pair as the two files minisign itself writes (`-G`)."""

    secret_key_file: bytes  # encrypted with the passphrase
    public_key_file: bytes  # "untrusted comment: ..." line, then the key line
    public_key: str  # the base64 key line alone, what `minisign -P` takes


class SigningKey:
    """An unlocked signing key. Holds secret material: keep its life short."""

    __slots__ = ("_key", "public_key")

    def __init__(self, key: minisign.SecretKey) -> None:
        self._key = key
        self.public_key: str = key.get_public_key().to_base64().decode("ascii")

    def __repr__(self) -> str:  # never let the key reach a log or traceback
        return f"SigningKey(public_key={self.public_key!r})"

    def sign(self, data: bytes, *, file_name: str) -> bytes:
        """Return the text of a `.minisig` file for `data`, as `minisign -S` writes it.

        The trusted comment is `file:<file_name>` (no timestamp, see module docstring).
        Raises `SignatureError` if the file name cannot go into a comment.
        """
        if not file_name or any(c in file_name for c in "\r\n\t"):
            raise SignatureError("a signed file name must be one non-empty line")
        try:
            sig = self._key.sign(
                data,
                prehash=True,
                untrusted_comment="signature from the QuietWire desk key",
                trusted_comment=f"file:{file_name}",
            )
        except minisign.Error as exc:
            raise SignatureError(f"signing failed: {exc}") from None
        return bytes(sig) + b"\n"


def new_signing_key(passphrase: Secret[str], kdf: SigningKdf = SIGNING_KDF) -> SigningKeyFiles:
    """Make a fresh Ed25519 key pair in minisign format, the secret part encrypted.

    Contract: refuses an empty passphrase (`SignatureError`); the secret file unlocks with
    `load_signing_key` and with the stock minisign tool.
    """
    if not passphrase.reveal():
        raise SignatureError("the signing key needs a passphrase")
    pair = minisign.KeyPair.generate()
    public = pair.public_key
    key_id = bytes(public._keynum_pk.key_id).hex().upper()  # no public getter
    public.untrusted_comment = f"minisign public key {key_id}"
    secret = pair.secret_key
    secret.untrusted_comment = "minisign encrypted secret key (QuietWire desk)"
    try:
        secret.encrypt(passphrase.reveal(), opslimit=kdf.opslimit, memlimit=kdf.memlimit)
        secret_file = bytes(secret) + b"\n"
    finally:
        secret.wipe()
    return SigningKeyFiles(
        secret_key_file=secret_file,
        public_key_file=bytes(public) + b"\n",
        public_key=public.to_base64().decode("ascii"),
    )


def load_signing_key(secret_key_file: bytes, passphrase: Secret[str]) -> SigningKey:
    """Unlock a minisign secret key file. A wrong passphrase raises `SignatureError`."""
    try:
        key = minisign.SecretKey.from_bytes(secret_key_file)
        key.decrypt(passphrase.reveal())
    except minisign.Error as exc:
        if "wrong password" in str(exc):
            raise SignatureError("wrong passphrase for the signing key") from None
        raise SignatureError("the signing key file is damaged or not a minisign key") from None
    return SigningKey(key)


def parse_public_key(text: str) -> str:
    """Accept a public key as the bare base64 line or a whole `minisign.pub` file.

    Returns the base64 key line. Raises `SignatureError` if it is not a minisign key.
    """
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    candidate = lines[-1] if lines else ""
    try:
        minisign.PublicKey.from_base64(candidate)
    except (minisign.Error, ValueError):
        raise SignatureError("not a minisign public key") from None
    return candidate


def verify_signature(public_key: str, data: bytes, signature_file: bytes) -> str:
    """Check a `.minisig` over `data` against `public_key` (the base64 line).

    Contract: returns the trusted comment when both the signature over the data and the
    global signature over the trusted comment verify; otherwise raises `SignatureError`
    saying which part failed. Accepts pre-hashed and legacy signatures, as minisign does.
    """
    try:
        pub = minisign.PublicKey.from_base64(parse_public_key(public_key))
    except minisign.Error:
        raise SignatureError("not a minisign public key") from None
    try:
        sig = minisign.Signature.from_bytes(signature_file)
    except (minisign.Error, ValueError, IndexError):
        raise SignatureError("the signature file is malformed") from None
    try:
        pub.verify(data, sig)
    except minisign.VerifyError as exc:
        if "key identifiers" in str(exc):
            raise SignatureError("signed by a different key") from None
        raise SignatureError("signature does not match the data (altered or wrong file)") from None
    comment: str = sig.trusted_comment
    return comment
