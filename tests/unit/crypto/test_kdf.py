"""Source keys: one Argon2id call per codename use, split into an id and a reply key pair."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from tests.conftest import FAST_KDF
from tests.support.components import require_tool

from quietwire.crypto import (
    CodenameError,
    KdfParams,
    decrypt_bytes,
    derive_source_keys,
    encrypt_bytes,
    generate_codename,
    normalize_codename,
    parse_recipient,
)

PEPPER = bytes(range(32))


def test_same_codename_same_keys_other_codename_other_keys() -> None:
    name = normalize_codename("alpha beta gamma delta epsilon zeta eta")
    a = derive_source_keys(name, PEPPER, FAST_KDF)
    b = derive_source_keys(name, PEPPER, FAST_KDF)
    c = derive_source_keys(
        normalize_codename("alpha beta gamma delta epsilon zeta theta"), PEPPER, FAST_KDF
    )
    assert (a.source_id, a.reply_recipient) == (b.source_id, b.reply_recipient)
    assert a.source_id != c.source_id and a.reply_recipient != c.reply_recipient
    assert len(a.source_id) == 64


def test_pepper_changes_everything() -> None:
    name = generate_codename("en")
    a = derive_source_keys(name, PEPPER, FAST_KDF)
    b = derive_source_keys(name, bytes(32), FAST_KDF)
    assert a.source_id != b.source_id and a.reply_recipient != b.reply_recipient


def test_id_and_reply_key_are_independent_outputs() -> None:
    keys = derive_source_keys(generate_codename("en"), PEPPER, FAST_KDF)
    assert keys.source_id not in keys.reply_secret.reveal().hex()


def test_reply_key_pair_works_with_age(tmp_path: Path) -> None:
    # Given a source's derived keys
    keys = derive_source_keys(generate_codename("ar"), PEPPER, FAST_KDF)
    # When the desk encrypts a reply to the stored recipient
    sealed = encrypt_bytes("رد من المحررين".encode(), [parse_recipient(keys.reply_recipient)])
    # Then only the codename's derived identity opens it
    assert decrypt_bytes(sealed, [keys.reply_identity()]).decode() == "رد من المحررين"
    # And the stock age-keygen agrees on the public key of the derived secret
    keygen = require_tool("age-keygen", "age")
    key_file = tmp_path / "derived.txt"
    key_file.write_text(str(keys.reply_identity()) + "\n")
    out = subprocess.run([keygen, "-y", str(key_file)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == keys.reply_recipient


def test_wipe_zeroes_the_reply_secret() -> None:
    keys = derive_source_keys(generate_codename("en"), PEPPER, FAST_KDF)
    assert not keys.reply_secret.wiped
    keys.wipe()
    assert keys.reply_secret.wiped
    assert "*****" in repr(keys.reply_secret)


def test_empty_codename_and_short_pepper_refused() -> None:
    with pytest.raises(CodenameError):
        derive_source_keys(normalize_codename("   "), PEPPER, FAST_KDF)
    with pytest.raises(CodenameError, match="pepper"):
        derive_source_keys(generate_codename("en"), b"short", FAST_KDF)


def test_production_parameters_meet_the_floor_and_cost_real_time() -> None:
    params = KdfParams()
    assert params.memory_kib >= 19 * 1024 and params.time_cost >= 2 and params.meets_minimum
    start = time.perf_counter()
    derive_source_keys(generate_codename("en"), PEPPER, params)
    # Memory-hard work really happened (tens of ms here); a silently weakened KDF would be ~0.
    assert time.perf_counter() - start > 0.005
    assert not FAST_KDF.meets_minimum
