"""Cryptography for QuietWire: envelopes, codenames, source keys and signatures.

Only `CryptoError` (and its subclasses) leaves this package, and no message carries key
material or plaintext. Everything here wraps maintained libraries (age via pyrage,
Argon2id via argon2-cffi, HKDF via cryptography, Ed25519 via PyNaCl); nothing is
hand-rolled.
"""

from quietwire.crypto._codename import (
    WORDLISTS,
    Codename,
    generate_codename,
    login_forms,
    looks_like_codename,
    normalize_codename,
)
from quietwire.crypto._envelope import (
    HEADER_MAX,
    IdentityPair,
    age_file_problem,
    decrypt_bytes,
    decrypt_stream,
    encrypt_bytes,
    encrypt_stream,
    header_digest,
    looks_like_age,
    new_identity,
    parse_identity,
    parse_identity_file,
    parse_recipient,
    parse_recipients,
)
from quietwire.crypto._errors import (
    CodenameError,
    CryptoError,
    EnvelopeError,
    RecipientError,
    SignatureError,
)
from quietwire.crypto._kdf import KdfParams, SourceKeys, derive_source_keys
from quietwire.crypto._manifest import HOW_KNOWN, REPORT_FIELDS, FileEntry, Manifest
from quietwire.crypto._offload import CipherJob, JobResult
from quietwire.crypto._secret import Secret, SecretBytes
from quietwire.crypto._signing import (
    FAST_SIGNING_KDF,
    SIGNING_KDF,
    SigningKdf,
    SigningKey,
    SigningKeyFiles,
    load_signing_key,
    new_signing_key,
    parse_public_key,
    verify_signature,
)

__all__ = [
    "FAST_SIGNING_KDF",
    "HEADER_MAX",
    "HOW_KNOWN",
    "REPORT_FIELDS",
    "SIGNING_KDF",
    "WORDLISTS",
    "CipherJob",
    "Codename",
    "CodenameError",
    "CryptoError",
    "EnvelopeError",
    "FileEntry",
    "IdentityPair",
    "JobResult",
    "KdfParams",
    "Manifest",
    "RecipientError",
    "Secret",
    "SecretBytes",
    "SignatureError",
    "SigningKdf",
    "SigningKey",
    "SigningKeyFiles",
    "SourceKeys",
    "age_file_problem",
    "decrypt_bytes",
    "decrypt_stream",
    "derive_source_keys",
    "encrypt_bytes",
    "encrypt_stream",
    "generate_codename",
    "header_digest",
    "load_signing_key",
    "login_forms",
    "looks_like_age",
    "looks_like_codename",
    "new_identity",
    "new_signing_key",
    "normalize_codename",
    "parse_identity",
    "parse_identity_file",
    "parse_public_key",
    "parse_recipient",
    "parse_recipients",
    "verify_signature",
]
