"""Decrypting an original for download: exact bytes, bounded memory, damage detected, no leak."""

from __future__ import annotations

import secrets
import threading
from pathlib import Path

import pytest

from quietwire.crypto import encrypt_bytes, new_identity, parse_identity, parse_recipient
from quietwire.desk.ui import DeskUIError
from quietwire.desk.ui._stream import decrypt_chunks

PAIR = new_identity()
IDENTITY = parse_identity(PAIR.secret.reveal())


def envelope(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "original.age"
    path.write_bytes(encrypt_bytes(data, [parse_recipient(PAIR.recipient)]))
    return path


def decrypt_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "desk-ui-decrypt"]


def test_chunks_join_to_the_exact_original(tmp_path: Path) -> None:
    data = secrets.token_bytes(3 * 1024 * 1024 + 17)
    chunks = list(decrypt_chunks(envelope(tmp_path, data), [IDENTITY]))
    assert b"".join(chunks) == data
    assert len(chunks) > 1 and max(len(c) for c in chunks) <= 1024 * 1024
    assert decrypt_threads() == []


def test_tampered_envelope_raises_after_the_authentic_part(tmp_path: Path) -> None:
    data = secrets.token_bytes(300_000)
    path = envelope(tmp_path, data)
    raw = bytearray(path.read_bytes())
    raw[-50] ^= 0xFF
    path.write_bytes(bytes(raw))
    received = b""
    with pytest.raises(DeskUIError, match="damaged or incomplete"):
        for chunk in decrypt_chunks(path, [IDENTITY]):
            received += chunk
    assert data.startswith(received) and len(received) < len(data)


def test_wrong_identity_raises(tmp_path: Path) -> None:
    other = parse_identity(new_identity().secret.reveal())
    with pytest.raises(DeskUIError):
        list(decrypt_chunks(envelope(tmp_path, b"secret"), [other]))


def test_closing_early_stops_the_decrypting_thread(tmp_path: Path) -> None:
    # The browser cancels a large download after the first chunk.
    chunks = decrypt_chunks(envelope(tmp_path, secrets.token_bytes(8 * 1024 * 1024)), [IDENTITY])
    next(chunks)
    assert len(decrypt_threads()) == 1
    chunks.close()
    assert decrypt_threads() == []
