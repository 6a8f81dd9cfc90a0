"""Decrypting a file envelope while it downloads, in a child process.

pyrage holds the GIL for a whole `decrypt_io`, so decrypting in this process would stop
the download (and everything else) while it runs. Here the age job runs in a child
(`CipherJob`): this thread receives the envelope, appends it to `incoming/` and pipes it
to the child; a second thread moves the plaintext from the child to a private temporary
file (or to /dev/null when no scrubber would read it) with `splice`, so the plaintext never
passes through Python. Receiving, writing, decrypting and hashing then overlap on two
cores instead of running one after the other.

The child reports the size and SHA-256 of the plaintext; the caller compares them with the
manifest. Every failure kills the child and deletes the plaintext file; a network failure
keeps the partial envelope, which the next pull resumes with an HTTP Range request.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

import httpx

from quietwire.crypto import CipherJob, EnvelopeError, JobResult
from quietwire.desk._client import DeskClient, check
from quietwire.desk._errors import Unreachable, WorkspaceError

CHUNK = 1024 * 1024
WRITEBACK = 64 * 1024 * 1024  # start writing the envelope to the disk every this many bytes
Progress = Callable[[int], None]


class _Drain(threading.Thread):
    """Moves everything the child writes into a file, or to /dev/null, counting it."""

    def __init__(self, pipe: IO[bytes] | None, dest: Path | None) -> None:
        super().__init__(name="pull-drain", daemon=True)
        if pipe is None:  # pragma: no cover - a decryption job always has an output pipe
            raise WorkspaceError("the decryption process has no output pipe")
        # Our own descriptor: `CipherJob.kill` closes the job's, and must not pull it from
        # under a splice in progress here.
        self._src = os.dup(pipe.fileno())
        self._dest = dest
        self.size = 0
        self.failed: OSError | None = None

    def run(self) -> None:
        try:
            if self._dest is None:
                out = os.open(os.devnull, os.O_WRONLY)
            else:
                out = os.open(self._dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                self._move(out)
            finally:
                os.close(out)
        except OSError as exc:
            self.failed = exc
        finally:
            os.close(self._src)

    def _move(self, out: int) -> None:
        spliced = True
        while True:
            if spliced:
                try:
                    moved = os.splice(self._src, out, CHUNK)
                except OSError as exc:
                    if exc.errno not in (errno.EINVAL, errno.ENOSYS):
                        raise
                    spliced = False  # a target that cannot splice: copy instead
                    continue
            else:
                data = os.read(self._src, CHUNK)
                moved = len(data)
                view = memoryview(data)
                while view:
                    view = view[os.write(out, view) :]
            if not moved:
                return
            self.size += moved


class _Sink:
    """Appends the envelope to its file in `incoming/` and feeds the child the same bytes."""

    def __init__(self, job: CipherJob, dest: Path | None, append: bool = False) -> None:
        self._job = job
        self._fd = -1
        if dest is not None:
            flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
            self._fd = os.open(dest, flags, 0o600)
        self._written = 0
        self.child_gone = False

    def feed(self, chunk: bytes) -> None:
        """Give the child `chunk` (it may have stopped early on a bad envelope)."""
        if self.child_gone:
            return
        try:
            view = memoryview(chunk)
            while view:
                view = view[self._job.stdin.write(view) or 0 :]
        except BrokenPipeError:
            self.child_gone = True  # it has given up; result() says why

    def write(self, chunk: bytes) -> None:
        """Keep `chunk` of the envelope on disk, then feed it to the child."""
        view = memoryview(chunk)
        while view:
            view = view[os.write(self._fd, view) :]
        self._written += len(chunk)
        if self._written >= WRITEBACK:
            # Start the disk writing now (asynchronously), rather than all of it in the
            # sync before the acknowledgement; the page cache is not needed for it either.
            with contextlib.suppress(OSError):
                os.posix_fadvise(self._fd, 0, 0, os.POSIX_FADV_DONTNEED)
            self._written = 0
        self.feed(chunk)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)


def _feed_file(path: Path, have: int, sink: _Sink, progress: Progress) -> None:
    with path.open("rb", buffering=0) as src:
        left = have
        while left:
            chunk = src.read(min(CHUNK, left))
            if not chunk:
                raise EnvelopeError("an envelope in incoming/ shrank while it was read")
            left -= len(chunk)
            sink.feed(chunk)
    progress(have)


def _receive(
    client: DeskClient,
    env: dict[str, Any],
    dest: Path,
    have: int,
    job: CipherJob,
    progress: Progress,
    counts: dict[str, int],
) -> None:
    headers = {"Range": f"bytes={have}-"} if have else {}
    with client.http.stream("GET", f"/api/v1/envelopes/{env['id']}", headers=headers) as r:
        check(r)
        resumed = have if r.status_code == 206 else 0
        sink = _Sink(job, dest, append=bool(resumed))
        try:
            if resumed:
                counts["resumed"] += resumed
                _feed_file(dest, resumed, sink, progress)
            for chunk in r.iter_raw():
                sink.write(chunk)
                counts["downloaded"] += len(chunk)
                progress(len(chunk))
                if sink.child_gone:
                    return  # the envelope is bad already: no point receiving the rest
        finally:
            sink.close()


def fetch_decrypt(
    client: DeskClient | None,
    env: dict[str, Any],
    dest: Path,
    keys: Sequence[str],
    plain: Path | None,
    progress: Progress,
    counts: dict[str, int],
) -> JobResult:
    """Bring envelope `env` into `dest` (resuming what is there) while decrypting it.

    The plaintext goes to `plain` (created 0600, must not exist) or nowhere (None). With
    `client` None the envelope must be in `dest` already. `counts` gains "downloaded" and
    "resumed" bytes. Returns the child's size and SHA-256 of the plaintext.

    Raises EnvelopeError (damaged, wrong key, not the size listed: reject the submission),
    Unreachable (the download stopped: `dest` keeps what arrived), WorkspaceError (a local
    failure: no child process, a full disk) or a DeskError from the server's answer. On
    every failure `plain` is removed.
    """
    size = int(env["size"])
    have = dest.stat().st_size if dest.exists() else 0
    if have > size:
        dest.unlink()
        have = 0
    try:
        job = CipherJob.decrypt(keys)
    except EnvelopeError as exc:  # a local failure, not the envelope's: no rejection
        raise WorkspaceError(f"cannot start the decryption: {exc}") from None
    drain: _Drain | None = None
    done = False
    try:
        drain = _Drain(job.stdout, plain)
        drain.start()
        if have == size or client is None:
            _feed_file(dest, have, _Sink(job, None), progress)  # all here already
        else:
            try:
                _receive(client, env, dest, have, job, progress, counts)
            except httpx.TransportError as exc:
                raise Unreachable(
                    f"the download stopped ({type(exc).__name__}); run `desk pull` again to resume"
                ) from None
        with contextlib.suppress(BrokenPipeError):
            job.stdin.close()
        drain.join()
        if drain.failed is not None:
            raise WorkspaceError(f"cannot write the plaintext: {drain.failed.strerror}")
        result = job.result()  # EnvelopeError unless the child read a whole, authentic file
        if dest.stat().st_size != size:
            raise EnvelopeError("an envelope did not have the size the server listed")
        if drain.size != result.size:
            raise EnvelopeError("the decrypted file was not written whole")
        done = True
        return result
    finally:
        if not done:
            job.kill()
            if drain is not None:
                drain.join()
            if plain is not None:
                plain.unlink(missing_ok=True)
