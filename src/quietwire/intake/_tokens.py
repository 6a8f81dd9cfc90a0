"""Stateless form tokens: the login and codename pages cost the server no memory.

A flood of `GET /new` used to fill the session store (20,000 anonymous sessions in 16 s)
and lock returning sources out with 503 for minutes. Now the server keeps nothing for a
visitor until a codename is created or used. What it needs back from a form it signs (or
seals) into the form itself:

- a CSRF token is `issued.mac`, HMAC-SHA256 over the purpose, the browser's random cookie
  id and the time it was issued, under a key derived from the instance pepper (so tokens
  survive a restart and agree across nodes). A page from elsewhere cannot read it, and a
  cross-site POST carries no SameSite=Strict cookie to match it: as strong as the
  per-session random token it replaces, and it expires on its own;
- the codename shown on /new travels back sealed with AES-GCM under a random key that
  lives only in this process's memory, bound to the cookie id and the time: the browser
  holds ciphertext only, which nobody can open once the process is gone.

Keys come from maintained libraries (HKDF, HMAC, AES-GCM); nothing here is hand-rolled.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_INFO = b"quietwire intake form tokens v1"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


def _issued(text: str) -> int | None:
    # ASCII digits only: str.isdigit() also accepts "¹" and Arabic-Indic digits.
    return int(text) if 0 < len(text) <= 12 and text.isascii() and text.isdigit() else None


class FormTokens:
    """Issues and checks the tokens of one source app; never raises on a bad token."""

    def __init__(self, pepper: bytes, clock: Callable[[], float] = time.time) -> None:
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO)
        self._mac_key = hkdf.derive(pepper)
        self._seal_key = AESGCM(secrets.token_bytes(32))  # memory only, gone with the process
        self._clock = clock

    def _now(self) -> int:
        return int(self._clock())

    def _mac(self, purpose: str, bound: str, issued: int) -> str:
        message = f"{purpose}\x00{bound}\x00{issued}".encode()
        return _b64(hmac.new(self._mac_key, message, hashlib.sha256).digest())

    def sign(self, purpose: str, bound: str) -> str:
        """A token for `purpose`, valid only for a request carrying the cookie id `bound`."""
        issued = self._now()
        return f"{issued}.{self._mac(purpose, bound, issued)}"

    def check(self, token: str, purpose: str, bound: str | None, max_age_s: int) -> bool:
        """True when `token` was signed for `purpose` and `bound` at most `max_age_s` ago."""
        if not bound or len(token) > 200:
            return False
        issued_text, _, mac = token.partition(".")
        issued = _issued(issued_text)
        if issued is None or not 0 <= self._now() - issued <= max_age_s:
            return False
        expected = self._mac(purpose, bound, issued)
        return hmac.compare_digest(expected.encode(), mac.encode("utf-8", "replace"))

    def seal(self, secret: str, purpose: str, bound: str) -> str:
        """`secret` encrypted for this process alone, bound to `purpose`, `bound` and now."""
        issued = self._now()
        nonce = secrets.token_bytes(12)
        aad = f"{purpose}\x00{bound}\x00{issued}".encode()
        sealed = self._seal_key.encrypt(nonce, secret.encode(), aad)
        return f"{issued}.{_b64(nonce + sealed)}"

    def open(self, token: str, purpose: str, bound: str | None, max_age_s: int) -> str | None:
        """The secret `seal` put in `token`, or None if forged, foreign, stale or garbled."""
        if not bound or len(token) > 1000:
            return None
        issued_text, _, body = token.partition(".")
        raw, issued = _unb64(body), _issued(issued_text)
        if raw is None or len(raw) < 29 or issued is None:
            return None
        if not 0 <= self._now() - issued <= max_age_s:
            return None
        aad = f"{purpose}\x00{bound}\x00{issued}".encode()
        try:
            return self._seal_key.decrypt(raw[:12], raw[12:], aad).decode()
        except (InvalidTag, UnicodeDecodeError):
            return None
