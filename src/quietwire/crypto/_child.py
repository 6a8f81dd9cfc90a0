"""One age job in a child process: `python -I _child.py encrypt|decrypt RESULT_FD KEYS_FD`.

pyrage keeps the GIL for the whole of `encrypt_io`/`decrypt_io`, so in-process streaming
serialises encryption with everything else the interpreter does (an upload's HTTP and
multipart parsing, a download). Run here, the job gets a core of its own. This file is run
as a script and imports nothing but the standard library and pyrage, so a child starts in
about 15 ms.

stdin carries the input, a pipe; stdout the output, a pipe or a file the parent opened (the
blob being written, or the desk's own destination). The recipients (public) or identities
(secret) arrive on the KEYS_FD pipe, one per line, never on the command line or in the
environment. When the job is done the child writes one line to RESULT_FD: `ok SIZE`, the
plaintext's size (the input when encrypting, the output when decrypting), or
`error REASON`; the parent trusts nothing without that line. (Where the stock `age`
command is installed, the parent hands decryption to it instead of this script.)
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from typing import BinaryIO

import pyrage
from pyrage import x25519


class _Prefetch:
    """The input, read in large blocks on a thread of its own, so reading the pipe (which
    lets go of the GIL) overlaps the encryption (which holds it)."""

    def __init__(self, fd: int) -> None:
        self.size = 0
        self._blocks: queue.Queue[bytes | OSError] = queue.Queue(maxsize=4)
        self._current = memoryview(b"")
        self._eof = False
        self._thread = threading.Thread(target=self._pull, args=(fd,), daemon=True)
        self._thread.start()

    def _pull(self, fd: int) -> None:
        try:
            while block := os.read(fd, 1024 * 1024):
                self.size += len(block)
                self._blocks.put(block)
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


class _Counting:
    """Counts what passes through on its way out."""

    def __init__(self, inner: BinaryIO) -> None:
        self.inner = inner
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return self.inner.write(data)

    def flush(self) -> None:
        self.inner.flush()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, pyrage.DecryptError):
        return "not-for-these-keys" if "no matching keys" in str(exc).lower() else "bad-header"
    if isinstance(exc, OSError) and str(exc) == "decryption error":
        return "damaged"
    if isinstance(exc, OSError):
        return "io"
    return "failed"


def main(argv: list[str]) -> int:
    mode, result_fd, keys_fd = argv[0], int(argv[1]), int(argv[2])
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
                size = source.size
            elif mode == "decrypt":
                identities = [x25519.Identity.from_str(line) for line in lines]
                sink = _Counting(stdout)
                pyrage.decrypt_io(os.fdopen(0, "rb", buffering=256 * 1024), sink, identities)
                sink.flush()
                size = sink.size
            else:
                result.write("error usage\n")
                return 2
            lines.clear()
        except Exception as exc:
            result.write(f"error {_reason(exc)}\n")
            return 1
        result.write(f"ok {size}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
