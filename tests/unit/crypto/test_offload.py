"""CipherJob: age in a child process, interoperable with the stock CLI, failing loudly."""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
from pathlib import Path

import pytest
from tests.support.components import require_tool

from quietwire.crypto import (
    CipherJob,
    EnvelopeError,
    RecipientError,
    encrypt_bytes,
    new_identity,
    parse_recipient,
)
from quietwire.crypto._offload import Engine

PAIR = new_identity()
OTHER = new_identity()


def run(job: CipherJob, data: bytes) -> bytes:
    """Feed `data` from a thread while reading the output here, as callers must."""

    def feed() -> None:
        try:
            job.stdin.write(data)
        except BrokenPipeError:
            pass  # the child gave up early (a wrong key): result() reports it
        finally:
            job.stdin.close()

    feeder = threading.Thread(target=feed)
    feeder.start()
    assert job.stdout is not None
    out = job.stdout.read()
    feeder.join()
    return bytes(out or b"")


ENGINES = pytest.mark.parametrize("engine", ["cli", "pyrage"])


@ENGINES
def test_encrypts_for_the_stock_cli_and_measures_the_plaintext(
    tmp_path: Path, engine: Engine
) -> None:
    age = require_tool("age", "age")
    data = os.urandom(3 * 1024 * 1024 + 17)  # several pipe-fulls and age chunks, uneven end
    job = CipherJob.encrypt([PAIR.recipient, OTHER.recipient], engine=engine)
    sealed = run(job, data)
    result = job.result()
    assert result.size == (None if engine == "cli" else len(data))
    assert data[:4096] not in sealed
    (tmp_path / "f.age").write_bytes(sealed)
    for pair in (PAIR, OTHER):
        (tmp_path / "id").write_text(pair.secret.reveal() + "\n")
        out = subprocess.run(
            [age, "-d", "-i", str(tmp_path / "id"), str(tmp_path / "f.age")],
            capture_output=True,
            check=True,
        ).stdout
        assert out == data


@ENGINES
def test_decrypts_and_measures_the_plaintext(engine: Engine) -> None:
    require_tool("age", "age")
    data = os.urandom(3 * 1024 * 1024 + 1)
    job = CipherJob.decrypt([OTHER.secret.reveal(), PAIR.secret.reveal()], engine=engine)
    assert run(job, encrypt_bytes(data, [parse_recipient(PAIR.recipient)])) == data
    got = job.result()
    # The age command measures nothing for us: the caller counts what it read.
    assert got.size == (None if engine == "cli" else len(data))


def _break_header_mac(sealed: bytes) -> bytes:
    at = sealed.index(b"\n--- ") + 5
    return sealed[:at] + (b"A" if sealed[at : at + 1] != b"A" else b"B") + sealed[at + 1 :]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: b[:-40], "damaged or incomplete"),
        (lambda b: b[:-200] + bytes([b[-200] ^ 1]) + b[-199:], "damaged or incomplete"),
        (_break_header_mac, "header"),
    ],
)
@ENGINES
def test_damaged_envelopes_fail(damage: object, message: str, engine: Engine) -> None:
    require_tool("age", "age")
    sealed = encrypt_bytes(os.urandom(150_000), [parse_recipient(PAIR.recipient)])
    job = CipherJob.decrypt([PAIR.secret.reveal()], engine=engine)
    run(job, damage(sealed))  # type: ignore[operator]
    with pytest.raises(EnvelopeError, match=message):
        job.result()


@ENGINES
def test_wrong_identity_is_named(engine: Engine) -> None:
    require_tool("age", "age")
    sealed = encrypt_bytes(b"for someone else", [parse_recipient(PAIR.recipient)])
    job = CipherJob.decrypt([OTHER.secret.reveal()], engine=engine)
    assert run(job, sealed) == b""
    with pytest.raises(EnvelopeError, match="not encrypted to this identity"):
        job.result()


@ENGINES
def test_a_killed_child_never_reports_success(engine: Engine) -> None:
    require_tool("age", "age")
    job = CipherJob.decrypt([PAIR.secret.reveal()], engine=engine)
    with contextlib.suppress(BrokenPipeError):  # it may already have refused the garbage
        job.stdin.write(b"x" * 100_000)
    job.kill()
    with pytest.raises(EnvelopeError, match="stopped before it finished"):
        job.result()


def test_bad_keys_are_refused_before_a_child_starts() -> None:
    with pytest.raises(RecipientError, match="secret key"):
        CipherJob.encrypt([PAIR.secret.reveal()])
    with pytest.raises(RecipientError):
        CipherJob.encrypt([])
    with pytest.raises(RecipientError):
        CipherJob.decrypt(["AGE-SECRET-KEY-1NOTAKEY"])


@ENGINES
def test_a_killed_encryption_never_reports_success(engine: Engine) -> None:
    require_tool("age", "age")
    job = CipherJob.encrypt([PAIR.recipient], engine=engine)
    job.stdin.write(b"x" * 100_000)
    job.kill()
    with pytest.raises(EnvelopeError, match="stopped before it finished"):
        job.result()


def test_the_cli_engine_is_the_stock_age_command_itself() -> None:
    age = require_tool("age", "age")
    for job in (
        CipherJob.decrypt([PAIR.secret.reveal()], engine="cli"),
        CipherJob.encrypt([PAIR.recipient], engine="cli"),
    ):
        try:
            assert Path(f"/proc/{job._proc.pid}/exe").resolve() == Path(age).resolve()
        finally:
            job.kill()


@ENGINES
def test_keys_never_reach_a_command_line(engine: Engine) -> None:
    require_tool("age", "age")
    secret = PAIR.secret.reveal()
    job = CipherJob.decrypt([secret], engine=engine)
    try:
        threading.Event().wait(0.2)  # let it start
        pid = job._proc.pid
        assert not Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for part in ("cmdline", "environ"):
            assert secret.encode() not in Path(f"/proc/{pid}/{part}").read_bytes()
    finally:
        job.kill()


@ENGINES
def test_writes_straight_into_a_file_when_given_one(tmp_path: Path, engine: Engine) -> None:
    age = require_tool("age", "age")
    data = os.urandom(2 * 1024 * 1024 + 5)
    target = tmp_path / "direct.age"
    with target.open("wb") as out:
        job = CipherJob.encrypt([PAIR.recipient], output=out.fileno(), engine=engine)
        assert job.stdout is None
        assert not job.wait(0.01)  # still waiting for its input
        job.stdin.write(data)
        job.stdin.close()
        assert job.wait(10)
        result = job.result()
    assert result.size == (None if engine == "cli" else len(data))
    (tmp_path / "id").write_text(PAIR.secret.reveal() + "\n")
    out_bytes = subprocess.run(
        [age, "-d", "-i", str(tmp_path / "id"), str(target)], capture_output=True, check=True
    ).stdout
    assert out_bytes == data
