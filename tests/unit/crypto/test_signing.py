"""Minisign-compatible signing: our signatures verify with the stock tool and vice versa."""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quietwire.crypto import Secret, SignatureError
from quietwire.crypto._signing import (
    FAST_SIGNING_KDF,
    SIGNING_KDF,
    load_signing_key,
    new_signing_key,
    parse_public_key,
    verify_signature,
)

PASS = Secret("correct horse battery staple")
FILES = new_signing_key(PASS, FAST_SIGNING_KDF)
KEY = load_signing_key(FILES.secret_key_file, PASS)


def _minisign() -> str:
    path = shutil.which("minisign")
    if path is None:
        pytest.fail("the stock `minisign` tool is needed: apt-get install minisign")
    return path


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=4096), name=st.from_regex(r"[a-z0-9]{1,12}\.json", fullmatch=True))
def test_sign_then_verify_round_trips(data: bytes, name: str) -> None:
    sig = KEY.sign(data, file_name=name)
    assert verify_signature(FILES.public_key, data, sig) == f"file:{name}"


@settings(max_examples=40, deadline=None)
@given(
    data=st.binary(min_size=1, max_size=512), index=st.integers(min_value=0), bit=st.integers(0, 7)
)
def test_any_flipped_bit_fails(data: bytes, index: int, bit: int) -> None:
    sig = KEY.sign(data, file_name="x.json")
    i = index % len(data)
    altered = data[:i] + bytes([data[i] ^ (1 << bit)]) + data[i + 1 :]
    with pytest.raises(SignatureError, match="does not match"):
        verify_signature(FILES.public_key, altered, sig)


def test_stock_minisign_verifies_ours_and_rejects_one_changed_byte(tmp_path: Path) -> None:
    # Given a file signed by us
    target = tmp_path / "bulletin.json"
    target.write_bytes(b'{"title":"market shelled"}')
    (tmp_path / "bulletin.json.minisig").write_bytes(
        KEY.sign(target.read_bytes(), file_name="bulletin.json")
    )
    # Then minisign accepts it and shows our trusted comment
    ok = subprocess.run(
        [_minisign(), "-V", "-P", FILES.public_key, "-m", str(target)],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    assert "file:bulletin.json" in ok.stdout
    # When one byte changes, minisign refuses it
    target.write_bytes(b'{"title":"market shelleD"}')
    bad = subprocess.run(
        [_minisign(), "-V", "-P", FILES.public_key, "-m", str(target)],
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0


def test_stock_minisign_signs_with_our_key_and_we_verify(tmp_path: Path) -> None:
    (tmp_path / "sk").write_bytes(FILES.secret_key_file)
    target = tmp_path / "feed.atom"
    target.write_bytes(b"<feed/>")
    out = subprocess.run(
        [_minisign(), "-S", "-s", str(tmp_path / "sk"), "-m", str(target), "-t", "file:feed.atom"],
        input=PASS.reveal() + "\n",
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    sig = (tmp_path / "feed.atom.minisig").read_bytes()
    assert verify_signature(FILES.public_key, b"<feed/>", sig) == "file:feed.atom"


def test_wrong_passphrase_is_refused_without_leaking_it() -> None:
    with pytest.raises(SignatureError, match="wrong passphrase") as info:
        load_signing_key(FILES.secret_key_file, Secret("not it"))
    assert "not it" not in str(info.value)


def test_empty_passphrase_is_refused() -> None:
    with pytest.raises(SignatureError, match="needs a passphrase"):
        new_signing_key(Secret(""), FAST_SIGNING_KDF)


def test_another_key_and_garbage_are_told_apart() -> None:
    other = new_signing_key(Secret("x"), FAST_SIGNING_KDF)
    sig = KEY.sign(b"data", file_name="a.json")
    with pytest.raises(SignatureError, match="different key"):
        verify_signature(other.public_key, b"data", sig)
    with pytest.raises(SignatureError, match="malformed"):
        verify_signature(FILES.public_key, b"data", b"not a signature")
    with pytest.raises(SignatureError, match="not a minisign public key"):
        parse_public_key("RWQ-not-base64")


def test_public_key_file_and_bare_line_are_the_same_key() -> None:
    assert parse_public_key(FILES.public_key_file.decode()) == FILES.public_key
    assert FILES.public_key_file.decode().startswith("untrusted comment: minisign public key ")


def test_the_key_repr_holds_no_secret() -> None:
    assert repr(KEY) == f"SigningKey(public_key={FILES.public_key!r})"


def test_production_key_uses_minisigns_sensitive_scrypt_limits() -> None:
    # The secret key line: Ed, Sc, B2, salt (32), opslimit (8, LE), memlimit (8, LE), ...
    files = new_signing_key(PASS, SIGNING_KDF)
    raw = base64.b64decode(files.secret_key_file.splitlines()[1])
    assert raw[:6] == b"EdScB2"
    assert int.from_bytes(raw[38:46], "little") == 33_554_432
    assert int.from_bytes(raw[46:54], "little") == 1_073_741_824
