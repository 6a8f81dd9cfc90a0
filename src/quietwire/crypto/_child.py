"""One age job in a child process: `python -I _child.py encrypt|decrypt RESULT_FD KEYS_FD [AGE]`.

pyrage keeps the GIL for the whole of `encrypt_io`/`decrypt_io`, so in-process streaming
serialises encryption with everything else the interpreter does (an upload's HTTP and
multipart parsing, a download). Run here, the job gets a core of its own. This file is run
as a script and imports nothing but the standard library and pyrage, so a child starts in
about 15 ms.

stdin carries the input, a pipe; stdout the output, a pipe or a file the parent opened (the
blob being written, or the desk's own destination). The recipients (public) or identities
(secret) arrive on the KEYS_FD pipe, one per line, never on the command line or in the
environment. When the job is done the child writes one line
to RESULT_FD: `ok SIZE SHA256` over the plaintext (the input when encrypting, the output
when decrypting), or `error REASON`; the parent trusts nothing without that line.

Given the path of the stock `age` command, decryption is handed to it: age reads the
envelope from this process's stdin, and this process hashes the plaintext and passes it
on (measured: 0.33 s for 200 MB against pyrage's 0.45 s). Encryption stays with pyrage,
which was as fast here as piping through age.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import queue
import stat
import subprocess
import sys
import threading
from typing import BinaryIO

import pyrage
from pyrage import x25519


class _Writeback:
    """When stdout is a regular file (a blob being written), ask the kernel every 64 MiB to
    start writing it to the device: the parent's fsync at the end then has little left."""

    _EVERY = 64 * 1024 * 1024

    def __init__(self) -> None:
        self._on = stat.S_ISREG(os.fstat(1).st_mode)
        self._since = 0

    def advance(self, n: int) -> None:
        self._since += n
        if self._on and self._since >= self._EVERY:
            self._since = 0
            with contextlib.suppress(OSError):
                # On Linux this starts writeback of the dirty pages, then drops clean ones.
                os.posix_fadvise(1, 0, 0, os.POSIX_FADV_DONTNEED)


class _Counted:
    """The size and SHA-256 of the plaintext, as it passes."""

    def __init__(self) -> None:
        self.sha256 = hashlib.sha256()
        self.size = 0

    def add(self, data: bytes) -> None:
        self.sha256.update(data)
        self.size += len(data)


class _Prefetch:
    """The input, read in large blocks and hashed on a thread of its own.

    hashlib lets go of the GIL while it hashes a block, so the SHA-256 of the plaintext
    runs on a second core beside the encryption (which holds the GIL) instead of after it.
    """

    def __init__(self, fd: int) -> None:
        self.counted = _Counted()
        self._blocks: queue.Queue[bytes | OSError] = queue.Queue(maxsize=4)
        self._current = memoryview(b"")
        self._eof = False
        self._writeback = _Writeback()
        self._thread = threading.Thread(target=self._pull, args=(fd,), daemon=True)
        self._thread.start()

    def _pull(self, fd: int) -> None:
        try:
            while block := os.read(fd, 1024 * 1024):
                self.counted.add(block)
                self._blocks.put(block)
                self._writeback.advance(len(block))
            self._blocks.put(b"")
        except OSError as exc:
            self._blocks.put(exc)

    def read(self, size: int = -1) -> bytes:
        while not self._current and not self._eof:
            block = self._blocks.get()
            if isinstance(block, OSError):
                raise block
            self._eof = not block
            self._current = memoryview(block)
        n = size if 0 < size < len(self._current) else len(self._current)
        data = bytes(self._current[:n])
        self._current = self._current[n:]
        return data

    def finish(self) -> None:
        self._thread.join()


class _Hashing:
    """Counts and hashes what passes through on its way out."""

    def __init__(self, inner: BinaryIO) -> None:
        self.inner = inner
        self.counted = _Counted()

    def write(self, data: bytes) -> int:
        self.counted.add(data)
        return self.inner.write(data)

    def flush(self) -> None:
        self.inner.flush()


class _AgeFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _decrypt_with_cli(age: str, identities: list[str], out: BinaryIO) -> _Counted:
    """Let the stock age command read the envelope from our stdin; hash its output and pass
    it on to `out`. The identities reach it through a pipe named /dev/fd/N."""
    keys_r, keys_w = os.pipe()
    try:
        proc = subprocess.Popen(  # noqa: S603 - the parent's shutil.which, fixed arguments
            [age, "--decrypt", "-i", f"/dev/fd/{keys_r}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=(keys_r,),
            bufsize=0,
        )
    finally:
        os.close(keys_r)
    with os.fdopen(keys_w, "w", encoding="ascii") as keys:
        keys.write("".join(f"{line}\n" for line in identities))
    if proc.stdout is None or proc.stderr is None:  # pragma: no cover - asked for above
        raise OSError("no pipe from age")
    with contextlib.suppress(OSError):
        fcntl.fcntl(proc.stdout.fileno(), fcntl.F_SETPIPE_SZ, 1024 * 1024)
    counted = _Counted()
    try:
        while block := os.read(proc.stdout.fileno(), 1024 * 1024):
            counted.add(block)
            out.write(block)
        out.flush()
        complaint = proc.stderr.read().decode("utf-8", "replace").lower()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    if proc.wait() != 0:
        if "no identity matched" in complaint:
            raise _AgeFailed("not-for-these-keys")
        if "header" in complaint:
            raise _AgeFailed("bad-header")
        raise _AgeFailed("damaged")
    return counted


def _reason(exc: BaseException) -> str:
    if isinstance(exc, _AgeFailed):
        return exc.reason
    if isinstance(exc, pyrage.DecryptError):
        return "not-for-these-keys" if "no matching keys" in str(exc).lower() else "bad-header"
    if isinstance(exc, OSError) and str(exc) == "decryption error":
        return "damaged"
    if isinstance(exc, OSError):
        return "io"
    return "failed"


def main(argv: list[str]) -> int:
    mode, result_fd, keys_fd = argv[0], int(argv[1]), int(argv[2])
    age = argv[3] if len(argv) > 3 else None
    with os.fdopen(keys_fd, "r", encoding="ascii") as keys_file:
        lines = [line.strip() for line in keys_file if line.strip()]
    stdout = os.fdopen(1, "wb", buffering=256 * 1024)
    with os.fdopen(result_fd, "w", encoding="ascii") as result:
        try:
            if mode == "encrypt":
                recipients = [x25519.Recipient.from_str(line) for line in lines]
                source = _Prefetch(0)
                pyrage.encrypt_io(source, stdout, recipients)
                stdout.flush()
                source.finish()
                counted = source.counted
            elif mode == "decrypt" and age is not None:
                for line in lines:
                    x25519.Identity.from_str(line)
                counted = _decrypt_with_cli(age, lines, stdout)
            elif mode == "decrypt":
                identities = [x25519.Identity.from_str(line) for line in lines]
                sink = _Hashing(stdout)
                pyrage.decrypt_io(os.fdopen(0, "rb", buffering=256 * 1024), sink, identities)
                sink.flush()
                counted = sink.counted
            else:
                result.write("error usage\n")
                return 2
            lines.clear()
        except Exception as exc:
            result.write(f"error {_reason(exc)}\n")
            return 1
        result.write(f"ok {counted.size} {counted.sha256.hexdigest()}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
