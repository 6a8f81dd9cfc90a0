"""The one exception family `quietwire.crypto` lets out.

    CryptoError
    ├── RecipientError   a recipient or identity string is not valid age
    ├── EnvelopeError    encryption failed, or an envelope is tampered, truncated or not for us
    ├── CodenameError    an unknown wordlist or an unusable codename
    └── SignatureError   a signature is missing, malformed or does not verify

Messages name what went wrong and never carry key material or plaintext.
"""

from quietwire.errors import Error


class CryptoError(Error):
    """Base of every failure in quietwire.crypto."""


class RecipientError(CryptoError):
    """A recipient or identity is malformed."""


class EnvelopeError(CryptoError):
    """An envelope could not be written, or could not be opened intact."""


class CodenameError(CryptoError):
    """A codename request or input cannot be used."""


class SignatureError(CryptoError):
    """A signature is malformed or does not verify."""
