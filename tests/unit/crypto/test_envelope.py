"""Envelopes are standard age files: round trips, many recipients, stock-CLI interop, tampering."""

from __future__ import annotations

import hashlib
import io
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.support.components import require_tool

from quietwire.crypto import (
    EnvelopeError,
    RecipientError,
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

PAIR = new_identity()
OTHER = new_identity()
RECIPIENT = parse_recipient(PAIR.recipient)
IDENTITY = parse_identity(PAIR.secret.reveal())


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=200_000))
def test_round_trip_any_bytes(data: bytes) -> None:
    sealed = encrypt_bytes(data, [RECIPIENT])
    assert decrypt_bytes(sealed, [IDENTITY]) == data
    assert looks_like_age(sealed[:512])


def test_plaintext_does_not_appear_in_ciphertext() -> None:
    marker = b"PLAINTEXT-MARKER-" * 100
    assert marker[:17] not in encrypt_bytes(marker, [RECIPIENT])


def test_every_recipient_can_decrypt_alone() -> None:
    # Given an envelope for two editors
    sealed = encrypt_bytes(b"report", [RECIPIENT, parse_recipient(OTHER.recipient)])
    # Then each decrypts it with only their own identity
    assert decrypt_bytes(sealed, [IDENTITY]) == b"report"
    assert decrypt_bytes(sealed, [parse_identity(OTHER.secret.reveal())]) == b"report"


def test_wrong_identity_is_a_clear_error() -> None:
    sealed = encrypt_bytes(b"x", [RECIPIENT])
    with pytest.raises(EnvelopeError, match="not encrypted to this identity"):
        decrypt_bytes(sealed, [parse_identity(OTHER.secret.reveal())])


@pytest.mark.parametrize("damage", ["truncate", "flip_payload", "flip_header", "drop_last_byte"])
def test_tampered_or_truncated_envelope_is_refused(damage: str) -> None:
    sealed = bytearray(encrypt_bytes(b"A" * 200_000, [RECIPIENT]))
    if damage == "truncate":
        sealed = sealed[: len(sealed) // 2]
    elif damage == "flip_payload":
        sealed[-1000] ^= 1
    elif damage == "flip_header":
        sealed[40] ^= 1
    else:
        sealed = sealed[:-1]
    with pytest.raises(EnvelopeError, match="cannot open the envelope"):
        decrypt_bytes(bytes(sealed), [IDENTITY])


def test_stock_age_cli_decrypts_our_envelopes_and_we_decrypt_its(tmp_path: Path) -> None:
    age = require_tool("age", "age")
    keygen = require_tool("age-keygen", "age")
    key_file = tmp_path / "key.txt"
    subprocess.run([keygen, "-o", str(key_file)], check=True, capture_output=True)
    recipient = subprocess.run(
        [keygen, "-y", str(key_file)], check=True, capture_output=True, text=True
    ).stdout.strip()
    data = bytes(range(256)) * 3000
    sealed = tmp_path / "ours.age"
    with sealed.open("wb") as out:
        encrypt_stream(io.BytesIO(data), out, [parse_recipient(recipient)])
    opened = subprocess.run(
        [age, "-d", "-i", str(key_file), str(sealed)], capture_output=True, check=True
    )
    assert opened.stdout == data
    theirs = subprocess.run(
        [age, "-r", recipient], input=data, capture_output=True, check=True
    ).stdout
    identities = parse_identity_file(key_file.read_text())
    out_buf = io.BytesIO()
    decrypt_stream(io.BytesIO(theirs), out_buf, identities)
    assert out_buf.getvalue() == data


def test_recipient_errors_never_echo_secrets() -> None:
    secret = PAIR.secret.reveal()
    with pytest.raises(RecipientError) as caught:
        parse_recipient(secret)
    assert secret not in str(caught.value)
    assert "secret key" in str(caught.value)
    with pytest.raises(RecipientError, match="not an age X25519 recipient"):
        parse_recipient("age1notreallyakey")
    with pytest.raises(RecipientError, match="no recipients"):
        parse_recipients([])
    with pytest.raises(EnvelopeError, match="no recipients"):
        encrypt_bytes(b"x", [])


def test_identity_errors_never_echo_the_key() -> None:
    bad = PAIR.secret.reveal()[:-3] + "QQQ"
    with pytest.raises(RecipientError) as caught:
        parse_identity(bad)
    assert bad not in str(caught.value)
    with pytest.raises(RecipientError, match="no AGE-SECRET-KEY"):
        parse_identity_file("# only a comment\n")


def test_secret_repr_is_masked() -> None:
    assert PAIR.secret.reveal() not in repr(PAIR)
    assert "*****" in repr(PAIR.secret)


def test_looks_like_age_rejects_plaintext() -> None:
    assert not looks_like_age(b"hello, this is a plain reply")
    assert not looks_like_age(b"age-encryption.org/v1\nno stanza here")
    assert looks_like_age(b"-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n")


def test_age_file_problem_reads_the_header_with_ages_own_parser(tmp_path: Path) -> None:
    sealed = encrypt_bytes(b"a reply", [RECIPIENT])
    assert age_file_problem(sealed) is None
    # The stock CLI's armored output is an age file too.
    age = require_tool("age", "age")
    (tmp_path / "plain").write_bytes(b"a reply")
    armored = subprocess.run(
        [age, "--armor", "-r", PAIR.recipient, str(tmp_path / "plain")],
        capture_output=True,
        check=True,
    ).stdout
    assert armored.startswith(b"-----BEGIN AGE") and age_file_problem(armored) is None
    end = sealed.index(b"\n", sealed.index(b"\n--- ") + 1) + 1
    for bad in (
        b"plain text reply",
        b"",
        b"-----BEGIN AGE ENCRYPTED FILE-----\nthis is plaintext\n-----END AGE ENCRYPTED FILE-----\n",
        b"age-encryption.org/v1\n-> X25519 junk\n--- junk\nPLAINTEXT SECRET REPLY",
        sealed[: end - 10],  # the MAC line cut short
        sealed[:end].replace(b"--- ", b"-- "),
    ):
        problem = age_file_problem(bad)
        assert problem is not None and problem.startswith("it "), bad


def _payload_size(plain: int) -> int:
    """What follows an age header (age spec: a 16-byte nonce, then 64 KiB chunks, each
    with a 16-byte tag, and at least one chunk): an independent way to find the header's end."""
    chunks = max(1, -(-plain // 65536))
    return 16 + plain + 16 * chunks


@pytest.mark.parametrize("plain", [0, 1, 65536, 200_000])
def test_header_digest_covers_the_header_and_nothing_else(tmp_path: Path, plain: int) -> None:
    age = require_tool("age", "age")
    data = bytes(plain)
    ours = encrypt_bytes(data, [RECIPIENT, parse_recipient(OTHER.recipient)])
    (tmp_path / "key.txt").write_text(PAIR.secret.reveal() + "\n")
    theirs = subprocess.run(
        [age, "-r", PAIR.recipient], input=data, capture_output=True, check=True
    ).stdout
    for sealed in (ours, theirs):
        end = len(sealed) - _payload_size(plain)
        assert sealed[end - 1 : end] == b"\n"
        want = hashlib.sha256(sealed[:end]).hexdigest()
        assert header_digest(sealed) == want
        assert header_digest(sealed[:end]) == want
        assert header_digest(sealed[: end - 1]) is None  # not all of the header yet
        assert header_digest(sealed[:5]) is None


def test_header_digest_tells_envelopes_of_the_same_bytes_apart() -> None:
    a, b = (encrypt_bytes(b"same words", [RECIPIENT]) for _ in range(2))
    assert header_digest(a) != header_digest(b)


@pytest.mark.parametrize(
    "head",
    [
        b"plain text",
        b"-----BEGIN AGE ENCRYPTED FILE-----\n",
        b"age-encryption.org/v1\n-> X " * 10_000,
    ],
)
def test_header_digest_refuses_what_is_not_a_binary_age_header(head: bytes) -> None:
    with pytest.raises(EnvelopeError, match=r"not a binary age envelope|too large"):
        header_digest(head)
