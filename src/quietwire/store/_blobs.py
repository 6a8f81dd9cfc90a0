"""Blob stores: where ciphertext lives. Nothing but age files is ever written here.

A blob becomes visible in two steps: it is written under a temporary name, flushed to the
device and renamed into place (`PendingBlob.finish`), and only then does the caller commit
the database row that points at it. A crash before the rename leaves a temporary file; a
crash between the rename and the commit leaves a blob no row points at. `sweep()` removes
both at start-up, so an interrupted upload never becomes half a submission.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from quietwire.store._errors import BlobIntegrityError, StoreError

_KEY = re.compile(r"^[0-9a-f]{32}\.age$")
_TMP_SUFFIX = ".part"


class PendingBlob(Protocol):
    """A blob being written: `file` takes bytes; `finish()` publishes it; `abort()` drops it."""

    @property
    def file(self) -> BinaryIO: ...

    def finish(self) -> tuple[str, int]:
        """Make the blob durable and visible; return (key, size)."""
        ...

    def abort(self) -> None: ...

    def direct_fd(self) -> int | None:
        """A descriptor another process may write the blob's bytes to, in place of `file`
        (nothing may have been written through `file`), or None if the store has none."""
        ...

    def write_back(self) -> None:
        """Start writing what is there to the device now, so that `finish` (which waits
        for all of it) has little left; a no-op where the store has no file."""
        ...

    def head(self, limit: int) -> bytes:
        """The blob's first `limit` bytes (at most 64 KiB) of what was written so far,
        through `file` or `direct_fd`."""
        ...


class BlobStore(Protocol):
    def begin(self) -> PendingBlob: ...

    def open(self, key: str) -> BinaryIO: ...

    def size(self, key: str) -> int: ...

    def delete(self, key: str) -> None: ...

    def keys(self) -> Iterator[str]: ...

    def sweep(self, referenced: Iterable[str]) -> int:
        """Remove temporaries and blobs not in `referenced`; return how many went."""
        ...


def check_key(key: str) -> str:
    """Refuse anything but our own key shape: no path can be smuggled in as a key."""
    if not _KEY.fullmatch(key):
        raise BlobIntegrityError("malformed blob key")
    return key


class _PendingFile:
    def __init__(self, root: Path, sync_dir: Callable[[], None]) -> None:
        self._root = root
        self._sync_dir = sync_dir
        self.key = f"{secrets.token_hex(16)}.age"
        self._tmp = root / f".{self.key}{_TMP_SUFFIX}"
        # Read-write: `head` reads the start back, whoever wrote it.
        fd = os.open(self._tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        self._file: BinaryIO = os.fdopen(fd, "wb", buffering=1024 * 1024)
        self._done = False

    @property
    def file(self) -> BinaryIO:
        return self._file

    def direct_fd(self) -> int:
        return self._file.fileno()

    def write_back(self) -> None:
        with contextlib.suppress(OSError):
            # On Linux this starts writeback of the dirty pages, then drops clean ones.
            os.posix_fadvise(self._file.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)

    def head(self, limit: int) -> bytes:
        self._file.flush()
        return os.pread(self._file.fileno(), min(limit, 64 * 1024), 0)

    def finish(self) -> tuple[str, int]:
        self._file.flush()
        os.fsync(self._file.fileno())
        size = os.fstat(self._file.fileno()).st_size  # also right when a child wrote it
        self._file.close()
        # File times would date a submission to the second, finer than the database's
        # hour: set them to the start of the hour (ctime cannot be set; see docs).
        hour = int(time.time()) // 3600 * 3600
        os.utime(self._tmp, (hour, hour))
        final = self._root / self.key
        os.rename(self._tmp, final)
        self._sync_dir()  # the rename itself must survive a power cut
        self._done = True
        return self.key, size

    def abort(self) -> None:
        if self._done:
            return
        self._done = True
        if not self._file.closed:
            self._file.close()
        self._tmp.unlink(missing_ok=True)


class FileBlobStore:
    """Blobs as `<root>/<32 hex>.age` files, readable by the stock `age -d` tool."""

    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            root.mkdir(mode=0o700, parents=True, exist_ok=True)
            # Kept open: every published blob syncs the directory, and opening it each
            # time cost as much as the sync itself.
            self._dir_fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as exc:
            raise StoreError(f"cannot create the blob directory: {exc.strerror}") from None
        weakref.finalize(self, os.close, self._dir_fd)

    def _sync_dir(self) -> None:
        os.fsync(self._dir_fd)

    def begin(self) -> _PendingFile:
        try:
            return _PendingFile(self.root, self._sync_dir)
        except OSError as exc:
            raise StoreError(f"cannot write to the blob store: {exc.strerror}") from None

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def open(self, key: str) -> BinaryIO:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError:
            raise BlobIntegrityError("blob missing from the store") from None

    def size(self, key: str) -> int:
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError:
            raise BlobIntegrityError("blob missing from the store") from None

    def delete(self, key: str) -> None:
        """Unlink the blob. On SSDs and journalling or copy-on-write file systems the old
        ciphertext blocks may survive until reused; we do not pretend that overwriting in
        place erases them (see docs/security.md). The data was only ever ciphertext."""
        self._path(key).unlink(missing_ok=True)
        self._sync_dir()

    def keys(self) -> Iterator[str]:
        for entry in os.scandir(self.root):
            if _KEY.fullmatch(entry.name):
                yield entry.name

    def sweep(self, referenced: Iterable[str]) -> int:
        keep = set(referenced)
        removed = 0
        for entry in os.scandir(self.root):
            stale_tmp = entry.name.startswith(".") and entry.name.endswith(_TMP_SUFFIX)
            orphan = _KEY.fullmatch(entry.name) is not None and entry.name not in keep
            if stale_tmp or orphan:
                os.unlink(entry.path)
                removed += 1
        if removed:
            self._sync_dir()
        return removed
