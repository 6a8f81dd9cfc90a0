"""Decrypting a file envelope while it downloads, in a child process.

pyrage holds the GIL for a whole `decrypt_io`, so decrypting in this process would stop
the download (and everything else) while it runs. Here the age job runs in a child
(`CipherJob`: the stock age command where installed), and three things overlap:

- this thread receives the envelope and appends it to its file in `incoming/`;
- a feeder thread moves the file's new bytes into the child's input with `splice`, from
  the page cache and without a copy through Python (the envelope is written once and
  read once, by age); the same feeder replays a partial file left by an interrupted pull;
- a drain thread moves the plaintext from the child to a private temporary file (or to
  /dev/null when no scrubber would read it), again with `splice`, counting it.

The envelope's header is checked against the manifest's digest as soon as it has arrived,
so a swapped envelope is refused before the rest of it is downloaded. Every failure kills
the child and deletes the plaintext file; a network failure keeps the partial envelope,
which the next pull resumes with an HTTP Range request.
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

from quietwire.crypto import HEADER_MAX, CipherJob, EnvelopeError, header_digest
from quietwire.desk._client import DeskClient, check
from quietwire.desk._errors import Unreachable, WorkspaceError

CHUNK = 1024 * 1024
WRITEBACK = 64 * 1024 * 1024  # start writing the envelope to the disk every this many bytes
Progress = Callable[[int], None]


def _move(src: int, dst: int, count: int, offset: int | None = None) -> int:
    """Move up to `count` bytes from `src` (at `offset`, for a file) to `dst` with splice,
    or by read and write where the kernel cannot splice these two. Returns how many moved
    (0: `src` is at its end)."""
    try:
        if offset is None:
            return os.splice(src, dst, count)
        return os.splice(src, dst, count, offset_src=offset)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOSYS):
            raise
    data = os.read(src, count) if offset is None else os.pread(src, count, offset)
    view = memoryview(data)
    while view:
        view = view[os.write(dst, view) :]
    return len(data)


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
                while moved := _move(self._src, out, CHUNK):
                    self.size += moved
            finally:
                os.close(out)
        except OSError as exc:
            self.failed = exc
        finally:
            os.close(self._src)


class _Feeder(threading.Thread):
    """Feeds the child the envelope from its file, up to what has arrived so far."""

    def __init__(self, path: Path, job: CipherJob, arrived: int) -> None:
        super().__init__(name="pull-feed", daemon=True)
        self._src = os.open(path, os.O_RDONLY)
        # Our own descriptor, as for _Drain; age sees the end once both are closed.
        self._dst = os.dup(job.stdin.fileno())
        self._arrived = arrived
        self._ended = False
        self._cond = threading.Condition()
        self.fed = 0
        self.child_gone = False
        self.failed: OSError | None = None

    def arrived(self, size: int) -> None:
        """The file now holds `size` bytes."""
        with self._cond:
            self._arrived = size
            self._cond.notify()

    def end(self) -> None:
        """Nothing more will arrive: feed the rest, then let go of the child's input."""
        with self._cond:
            self._ended = True
            self._cond.notify()

    def run(self) -> None:
        try:
            while True:
                with self._cond:
                    while self.fed == self._arrived and not self._ended:
                        self._cond.wait()
                    target = self._arrived
                if self.fed == target:
                    return
                while self.fed < target:
                    moved = _move(self._src, self._dst, min(target - self.fed, CHUNK), self.fed)
                    if not moved:
                        raise OSError(errno.EIO, "the envelope file shrank while it was read")
                    self.fed += moved
        except BrokenPipeError:
            self.child_gone = True  # it has given up; result() says why
        except OSError as exc:
            self.failed = exc
        finally:
            os.close(self._src)
            os.close(self._dst)


class _Envelope:
    """The envelope's file in `incoming/`: appends what arrives, checks the header against
    the manifest's digest as soon as all of it is there, and tells the feeder."""

    def __init__(self, dest: Path, header: str) -> None:
        self._path = dest
        self._fd = os.open(dest, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        self._header = header
        self._header_ok = False
        self._since_writeback = 0
        self.size = os.fstat(self._fd).st_size
        self._told = 0  # the size the feeder was last told
        self.feeder: _Feeder | None = None

    def restart(self) -> None:
        """Drop what is there (the server is sending the whole envelope, not the rest)."""
        os.ftruncate(self._fd, 0)
        self.size = 0

    def check_header(self) -> bool:
        """Whether the header is all there and checked. Raises EnvelopeError if it is not
        the one the manifest names."""
        if not self._header_ok:
            digest = header_digest(os.pread(self._fd, HEADER_MAX, 0))
            if digest is not None and digest != self._header:
                raise EnvelopeError("not the envelope the manifest names")
            self._header_ok = digest is not None
        return self._header_ok

    def append(self, chunk: bytes) -> None:
        view = memoryview(chunk)
        while view:
            view = view[os.write(self._fd, view) :]
        self.size += len(chunk)
        self.check_header()
        if self.feeder is None or self.size - self._told < CHUNK:
            return  # tell the feeder a megabyte at a time, not every network read
        self.feeder.arrived(self.size)
        self._since_writeback += self.size - self._told
        self._told = self.size
        if self._since_writeback >= WRITEBACK:
            # Start writing to the disk now (asynchronously), rather than all of it in the
            # sync before the acknowledgement, and let go of the pages age has read.
            with contextlib.suppress(OSError):
                os.posix_fadvise(self._fd, 0, self.feeder.fed, os.POSIX_FADV_DONTNEED)
            self._since_writeback = 0

    def feed(self, job: CipherJob) -> _Feeder:
        """Start feeding `job` from this file (its start is settled by now)."""
        self.check_header()
        self.feeder = _Feeder(self._path, job, self.size)
        self.feeder.start()
        return self.feeder

    def done(self) -> _Feeder:
        """Nothing more will arrive: let the feeder finish the file and stop."""
        if self.feeder is None:  # pragma: no cover - fetch_decrypt always starts it
            raise WorkspaceError("the envelope was never fed to the decryption")
        self.feeder.arrived(self.size)
        self.feeder.end()
        return self.feeder

    def close(self) -> None:
        os.close(self._fd)


def _receive(
    client: DeskClient,
    env: dict[str, Any],
    envelope: _Envelope,
    job: CipherJob,
    progress: Progress,
    counts: dict[str, int],
) -> None:
    have = envelope.size
    headers = {"Range": f"bytes={have}-"} if have else {}
    with client.http.stream("GET", f"/api/v1/envelopes/{env['id']}", headers=headers) as r:
        check(r)
        if r.status_code == 200:
            envelope.restart()
        else:
            counts["resumed"] += have
            progress(have)
        feeder = envelope.feed(job)
        unreported = 0
        try:
            for chunk in r.iter_raw():
                envelope.append(chunk)
                counts["downloaded"] += len(chunk)
                unreported += len(chunk)
                if unreported >= CHUNK:  # the progress bar needs no more than this
                    progress(unreported)
                    unreported = 0
                if feeder.child_gone:
                    return  # the envelope is bad already: no point receiving the rest
        finally:
            progress(unreported)


def fetch_decrypt(
    client: DeskClient | None,
    env: dict[str, Any],
    dest: Path,
    keys: Sequence[str],
    plain: Path | None,
    header: str,
    progress: Progress,
    counts: dict[str, int],
) -> int:
    """Bring envelope `env` into `dest` (resuming what is there) while decrypting it.

    The plaintext goes to `plain` (created 0600, must not exist) or nowhere (None). With
    `client` None the envelope must be in `dest` already. `header`: the `header_digest`
    the envelope must have. `counts` gains "downloaded" and "resumed" bytes. Returns the
    size of the plaintext, once age has authenticated all of it.

    Raises EnvelopeError (damaged, wrong key, not the size listed: reject the submission),
    Unreachable (the download stopped: `dest` keeps what arrived), WorkspaceError (a local
    failure: no child process, a full disk) or a DeskError from the server's answer. On
    every failure `plain` is removed.
    """
    size = int(env["size"])
    if dest.exists() and dest.stat().st_size > size:
        dest.unlink()
    try:
        job = CipherJob.decrypt(keys)
    except EnvelopeError as exc:  # a local failure, not the envelope's: no rejection
        raise WorkspaceError(f"cannot start the decryption: {exc}") from None
    drain: _Drain | None = None
    envelope: _Envelope | None = None
    done = False
    try:
        drain = _Drain(job.stdout, plain)
        drain.start()
        envelope = _Envelope(dest, header)
        if envelope.size == size or client is None:
            envelope.feed(job)  # all here already
            progress(envelope.size)
        else:
            try:
                _receive(client, env, envelope, job, progress, counts)
            except httpx.TransportError as exc:
                raise Unreachable(
                    f"the download stopped ({type(exc).__name__}); run `desk pull` again to resume"
                ) from None
        feeder = envelope.done()
        feeder.join()
        with contextlib.suppress(BrokenPipeError):
            job.stdin.close()
        drain.join()
        for failed, what in ((feeder.failed, "read the envelope"), (drain.failed, "write it")):
            if failed is not None:
                raise WorkspaceError(f"cannot {what}: {failed.strerror}")
        result = job.result()  # EnvelopeError unless the child read a whole, authentic file
        if envelope.size != size:
            raise EnvelopeError("an envelope did not have the size the server listed")
        if not envelope.check_header():  # age opened it, so this cannot be missing
            raise EnvelopeError("the envelope has no complete header")
        if result.size is not None and drain.size != result.size:
            raise EnvelopeError("the decrypted file was not written whole")
        done = True
        return drain.size
    finally:
        if not done:
            job.kill()
            for thread in (drain, envelope.feeder if envelope is not None else None):
                if thread is not None and thread.is_alive():
                    if isinstance(thread, _Feeder):
                        thread.end()
                    thread.join()
            if plain is not None:
                plain.unlink(missing_ok=True)
        if envelope is not None:
            envelope.close()
