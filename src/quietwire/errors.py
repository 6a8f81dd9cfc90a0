"""The root of every exception QuietWire raises on purpose.

    Error
    ├── ConfigError                 (quietwire.config)
    ├── crypto.CryptoError          (envelopes, codenames, signatures)
    ├── store.StoreError            (database and blob store)
    │   └── store.BlobIntegrityError
    ├── intake/deskapi/desk errors  (each package's errors.py)
    ├── verify.VerifyError
    └── publish.PublishError

A command-line entry point catches `Error`, prints its message and exits 1.
A message never contains key material, a codename or submission plaintext.
"""


class Error(Exception):
    """Base class of every deliberate QuietWire failure."""


class ConfigError(Error):
    """The configuration is missing, malformed or unsafe."""
